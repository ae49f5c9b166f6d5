"""Error answers as ``application/problem+json`` (RFC 9457), localised.

Titles and details come from ``rules/messages/problems.yaml``; placeholders
are filled by the service and never carry a value from the payload.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml
from flask import Response, json

from specreg.paths import rules_dir

if TYPE_CHECKING:
    from specreg.validation import InputError

MEDIA_TYPE = "application/problem+json"
MAX_LISTED_ERRORS = 100  # a 422 lists at most this many; ``errors_omitted`` counts the rest


@cache
def _catalog() -> dict[str, dict[str, Any]]:
    with (rules_dir() / "messages" / "problems.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["problems"]


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


def invalid_application_body(errors: Sequence[InputError], language: str, unlisted: int = 0
                             ) -> dict[str, Any]:
    """The 422 document of a payload that breaks the contract, in one language.

    The errors come sorted by pointer; the first ``MAX_LISTED_ERRORS`` are listed
    (and localised), and ``errors_omitted`` says how many more there are, so a body
    built to break the contract a hundred thousand times answers a small document.
    ``unlisted`` errors were counted but never built (:class:`specreg.validation.InputErrors`).
    The route, the batch and the command line all answer this one.
    """
    from specreg.validation import localise  # validation loads the schema's messages; keep this light

    listed = [{"pointer": e.pointer, "code": e.code, "message": localise(e, language)}
              for e in errors[:MAX_LISTED_ERRORS]]
    count = len(errors) + unlisted
    body = problem_body("invalid-application", language, count=count) | {"errors": listed}
    if count > len(listed):
        body["errors_omitted"] = count - len(listed)
    return body
