"""Error answers of the web layer as ``application/problem+json`` (RFC 9457), localised.

Titles and details come from the problem catalog of the rule directory in
force (``rules/messages/problems.yaml``, read by
:class:`specreg.rule_directory.RuleDirectory`), so a reload that changes a text
is served at once; placeholders are filled by the service and never carry a
value from the payload.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, json

from specreg.web.reloading import holder_of

MEDIA_TYPE = "application/problem+json"


def problem_response(body: dict[str, Any]) -> Response:
    """A problem document as the HTTP answer (its status is the document's)."""
    return Response(json.dumps(body, ensure_ascii=False), status=body["status"], mimetype=MEDIA_TYPE)


def reload_error_text(check: str | None, language: str) -> str:
    """What one kind of rule-directory error means, in the answer's language, from the catalog in force."""
    return holder_of(current_app).problems().reload_error_text(check, language)


def reload_error_detail(check: str | None, language: str) -> str:
    """Where to look for one reload error, in the answer's language (never what the file says)."""
    return holder_of(current_app).problems().reload_error_detail(check, language)


def problem(kind: str, language: str, status: int | None = None, extra: dict[str, Any] | None = None,
            **params: Any) -> Response:
    """A complete problem answer of one kind, from the catalog in force."""
    catalog = holder_of(current_app).problems()
    return problem_response(catalog.body(kind, language, status, **params) | (extra or {}))
