"""``POST /api/v1/screenings``: the portal backend's screening call.

Only transport lives here: content type, JSON parsing, the ``as_of``
parameter, language negotiation and problem answers. The screening itself is
:class:`specreg.screening.Screener`'s.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from specreg.i18n import negotiate
from specreg.jsonbody import BadRequestBody, declared_language, parse_as_of, parse_json
from specreg.problems import problem
from specreg.response import dump_decision
from specreg.screening import InvalidApplication, NoRuleSetInForce
from specreg.validation import localise
from specreg.web import screener

DEFAULT_LANGUAGE = "ru"

bp = Blueprint("screenings", __name__)


@bp.post("/api/v1/screenings")
def screen() -> Response:
    language = negotiate(request.headers.get("Accept-Language"), DEFAULT_LANGUAGE)
    if not is_json(request.mimetype, request.mimetype_params):
        return problem("unsupported-media-type", language)
    try:
        payload = parse_json(request.get_data(cache=False))
    except BadRequestBody as error:
        return problem(error.kind, language, **error.params)
    language = negotiate(request.headers.get("Accept-Language"), declared_language(payload))
    as_of = request.args.get("as_of")
    day = parse_as_of(as_of) if as_of is not None else None
    if as_of is not None and day is None:
        return problem("bad-as-of", language)
    try:
        screening = screener().screen(payload, day)
    except InvalidApplication as invalid:
        return invalid_application(invalid, language)
    except NoRuleSetInForce as missing:
        return problem("no-ruleset-in-force", language, as_of=missing.as_of.isoformat())
    response = jsonify(dump_decision(screening.decision, language))
    response.headers["Content-Language"] = language
    return response


def is_json(mimetype: str, params: dict[str, str]) -> bool:
    """``application/json`` (or a ``+json`` type), in UTF-8 if a charset is named."""
    charset = params.get("charset", "utf-8").lower()
    is_json_type = mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )
    return is_json_type and charset in ("utf-8", "utf8")


def input_errors(invalid: InvalidApplication, language: str) -> list[dict[str, Any]]:
    """The 422 ``errors`` entries in one language."""
    return [
        {"pointer": e.pointer, "code": e.code, "message": localise(e, language)}
        for e in invalid.errors
    ]


def invalid_application(invalid: InvalidApplication, language: str) -> Response:
    errors = input_errors(invalid, language)
    return problem("invalid-application", language, extra={"errors": errors}, count=len(errors))
