"""``POST /api/v1/screenings``: the portal backend's screening call.

Only transport lives here: content type, the query parameters, metrics and
the HTTP answer. What the body means is :func:`specreg.answering.answer`'s,
which the batch, the CLI and the workbench call too.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from specreg.answering import Answer, Question, answer
from specreg.explain import EXPLAIN_LEVELS
from specreg.i18n import negotiate
from specreg.jsonbody import parse_as_of
from specreg.web import screener
from specreg.web.observability import record_invalid, record_screening
from specreg.web.problems import problem, problem_response

bp = Blueprint("screenings", __name__)


@bp.post("/api/v1/screenings")
def screen() -> Response:
    args = request.args
    language = negotiate(request.headers.get("Accept-Language"))
    if not is_json(request.mimetype, request.mimetype_params):
        return problem("unsupported-media-type", language)
    as_of = args.get("as_of")
    day = parse_as_of(as_of) if as_of is not None else None
    if (as_of is not None and day is None) or len(args.getlist("as_of")) > 1:
        return problem("bad-as-of", language)  # a repeated as_of is ambiguous, not "the first"
    if args.get("explain", "full") not in EXPLAIN_LEVELS:
        return problem("bad-explain", language)
    current = screener()  # once: a reload between two reads would mix rule directories
    given = answer(current, Question(
        request.get_data(cache=False), day, args.get("ruleset"), request.headers.get("Accept-Language"),
        explain="explain" in args,
    ))
    record(given, current.digest)
    return http_answer(given)


def record(given: Answer, digest: str) -> None:
    """Count the answer in the metrics, and log a decision with the digest of the rules that made it."""
    if given.screening is not None:
        record_screening(given.screening, digest)
    elif given.invalid is not None:
        record_invalid(given.invalid)


def http_answer(given: Answer) -> Response:
    """An answer as HTTP: JSON with its language for a screening, problem+json for the rest."""
    if given.status != 200:
        return problem_response(given.body)
    response = jsonify(given.body)
    response.headers["Content-Language"] = given.language
    return response


def is_json(mimetype: str, params: dict[str, str]) -> bool:
    """``application/json`` (or a ``+json`` type), in UTF-8 if a charset is named."""
    charset = params.get("charset", "utf-8").lower()
    is_json_type = mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )
    return is_json_type and charset in ("utf-8", "utf8")
