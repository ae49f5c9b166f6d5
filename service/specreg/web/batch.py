"""``POST /api/v1/screenings:batch``: many applications in one call, as JSON lines.

The body is NDJSON (``application/x-ndjson``), one application a line; the
answer streams back NDJSON, one line per input line in the same order (the
lines are described in :mod:`specreg.batch`), then a last line
``{"summary": {"lines", "screened", "problems"}}`` that only a complete answer
has. Only what concerns the whole request answers a problem instead: a media
type other than NDJSON (415), a body over ``MAX_BATCH_BYTES`` (413, this
route's own limit), a bad ``as_of``, ``ruleset`` or ``explain`` (400). The
query parameters are the single route's and mean the same; language is
negotiated as for the single endpoint, per line.

Under ``make run`` this route has its own gunicorn pool behind nginx, which
admits a few batches at once and answers 429 with ``Retry-After`` beyond them
(:mod:`specreg.web.front`), so batches never take the workers of single screenings.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, request, stream_with_context
from werkzeug.exceptions import RequestEntityTooLarge

from specreg.batch import LineScreener, Tally, split_lines
from specreg.calendar import today_in_almaty
from specreg.explain import EXPLAIN_LEVELS
from specreg.i18n import negotiate
from specreg.jsonbody import parse_as_of
from specreg.screening import UnknownRuleSet
from specreg.web import screener
from specreg.web.observability import record_invalid, record_screening
from specreg.web.problems import problem

MAX_BATCH_BYTES = 50 * 1024 * 1024
NDJSON = "application/x-ndjson"

bp = Blueprint("batch", __name__)


@bp.url_value_preprocessor
def _batch_body_limit(_: str | None, __: dict | None) -> None:
    """This route's body limit, set before any ``before_request`` hook reads the body.

    Flask runs URL value preprocessors ahead of every ``before_request``
    function, the app's included (the streamed-body check reads up to the limit).
    """
    request.max_content_length = MAX_BATCH_BYTES


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_: RequestEntityTooLarge) -> Response:
    return problem("too-large", negotiate(request.headers.get("Accept-Language")),
                   limit=MAX_BATCH_BYTES)


@bp.post("/api/v1/screenings:batch")
def screen_batch() -> Response:
    accept = request.headers.get("Accept-Language")
    language = negotiate(accept)
    if request.mimetype != NDJSON or request.mimetype_params.get("charset", "utf-8").lower() not in (
        "utf-8", "utf8"
    ):
        return problem("unsupported-batch-media-type", language)
    args = request.args
    as_of = args.get("as_of")
    day = parse_as_of(as_of) if as_of is not None else today_in_almaty()
    if day is None:
        return problem("bad-as-of", language)
    if args.get("explain", "full") not in EXPLAIN_LEVELS:
        return problem("bad-explain", language)
    current = screener()  # once: every line on the same rules
    version = args.get("ruleset")
    if version is not None:
        try:
            current.ruleset_named(version)
        except UnknownRuleSet as unknown:
            return problem("unknown-ruleset", language, known=", ".join(unknown.known))
    body = request.get_data(cache=False)  # over MAX_BATCH_BYTES: 413 by _too_large
    lines = LineScreener(current, day, accept, version, explain="explain" in args)
    response = Response(stream_with_context(_answers(lines, split_lines(body), current.digest)),
                        mimetype=NDJSON)
    response.headers["X-Accel-Buffering"] = "no"  # nginx passes each line on as it comes
    return response


def _answers(lines: LineScreener, body_lines: list[bytes], digest: str) -> Iterator[str]:
    """One answer line per input line, counted in the metrics and the decision log as it goes,
    then the summary line."""
    tally = Tally()
    for number, line in enumerate(body_lines, start=1):
        answer = lines.answer(number, line.rstrip(b"\r"))
        if answer.screening is not None:
            record_screening(answer.screening, digest)
        elif answer.invalid is not None:
            record_invalid(answer.invalid)
        tally.count(answer)
        yield answer.json() + "\n"
    yield tally.summary() + "\n"
