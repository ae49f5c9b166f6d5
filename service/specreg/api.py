"""The HTTP API for the portal backend: ``/api/v1/screenings`` and ``/healthz``.

Only transport lives here: content type, size, JSON parsing, the ``as_of``
parameter, language negotiation and problem answers. The screening itself is
:class:`specreg.screening.Screener`'s.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from specreg.i18n import negotiate
from specreg.problems import problem
from specreg.response import dump_decision
from specreg.screening import InvalidApplication, NoRuleSetInForce, Screener
from specreg.validation import localise

MAX_DEPTH = 64
DEFAULT_LANGUAGE = "ru"

bp = Blueprint("api", __name__)


class BadRequestBody(Exception):
    """The body could not be read as JSON; ``kind`` names the problem."""

    def __init__(self, kind: str, **params: Any) -> None:
        super().__init__(kind)
        self.kind, self.params = kind, params


def screener() -> Screener:
    return current_app.extensions["specreg.screener"]


@bp.get("/healthz")
def healthz() -> Response:
    rulesets = [f"{r.id}@{r.version}" for r in screener().rulesets]
    return jsonify(status="ok", rulesets=rulesets)


@bp.post("/api/v1/screenings")
def screen() -> Response:
    language = negotiate(request.headers.get("Accept-Language"), DEFAULT_LANGUAGE)
    if not _is_json(request.mimetype, request.mimetype_params):
        return problem("unsupported-media-type", language)
    try:
        payload = parse_json(request.get_data(cache=False))
    except BadRequestBody as error:
        return problem(error.kind, language, **error.params)
    language = negotiate(request.headers.get("Accept-Language"), _declared_language(payload))
    as_of = request.args.get("as_of")
    day = parse_as_of(as_of) if as_of is not None else None
    if as_of is not None and day is None:
        return problem("bad-as-of", language)
    try:
        decision = screener().screen(payload, day)
    except InvalidApplication as invalid:
        errors = [
            {"pointer": e.pointer, "code": e.code, "message": localise(e, language)}
            for e in invalid.errors
        ]
        return problem("invalid-application", language, extra={"errors": errors},
                       count=len(errors))
    except NoRuleSetInForce as missing:
        return problem("no-ruleset-in-force", language, as_of=missing.as_of.isoformat())
    response = jsonify(dump_decision(decision, language))
    response.headers["Content-Language"] = language
    return response


def _is_json(mimetype: str, params: dict[str, str]) -> bool:
    charset = params.get("charset", "utf-8").lower()
    return mimetype == "application/json" and charset in ("utf-8", "utf8")


def _declared_language(payload: Any) -> str:
    declared = payload.get("language") if isinstance(payload, dict) else None
    return declared if declared in ("kk", "ru") else DEFAULT_LANGUAGE


def parse_json(body: bytes) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN, at most ``MAX_DEPTH`` levels."""
    try:
        text = body.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except UnicodeDecodeError as error:
        raise BadRequestBody("malformed-json", reason="not UTF-8") from error
    except RecursionError as error:
        raise BadRequestBody("too-deep", limit=MAX_DEPTH) from error
    except ValueError as error:
        raise BadRequestBody("malformed-json", reason=_reason(error)) from error
    if _depth(value) > MAX_DEPTH:
        raise BadRequestBody("too-deep", limit=MAX_DEPTH)
    return value


def _reason(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} (line {error.lineno}, column {error.colno})"
    return str(error).split(":")[0][:120]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key in an object")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    """Nesting depth, iteratively (a deep value must not exhaust the stack here)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in node)
    return deepest


def parse_as_of(text: str) -> date | None:
    """A real date written exactly YYYY-MM-DD, or None."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
