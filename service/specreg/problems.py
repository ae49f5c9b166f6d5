"""Error answers as ``application/problem+json`` (RFC 9457), localised.

Titles and details come from ``rules/messages/problems.yaml``; placeholders
are filled by the service and never carry a value from the payload.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from flask import Response, json

from specreg.paths import rules_dir

MEDIA_TYPE = "application/problem+json"


@cache
def _document() -> dict[str, Any]:
    with (rules_dir() / "messages" / "problems.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _catalog() -> dict[str, dict[str, Any]]:
    return _document()["problems"]


def reload_error_text(check: str | None, language: str) -> str:
    """What one kind of rule-directory error means, in the answer's language."""
    texts = _document()["reload_errors"]
    return texts.get(check or "other", texts["other"])[language]


def problem_body(kind: str, language: str, status: int | None = None, **params: Any) -> dict[str, Any]:
    """The problem document of one kind, in one language."""
    entry = _catalog()[kind]
    return {
        "type": f"urn:specreg:problem:{kind}",
        "title": entry["title"][language],
        "status": status or entry["status"],
        "detail": entry["detail"][language].format(**params),
    }


def problem(kind: str, language: str, status: int | None = None, extra: dict[str, Any] | None = None,
            **params: Any) -> Response:
    """A complete problem answer."""
    body = problem_body(kind, language, status, **params) | (extra or {})
    return Response(json.dumps(body, ensure_ascii=False), status=body["status"], mimetype=MEDIA_TYPE)
