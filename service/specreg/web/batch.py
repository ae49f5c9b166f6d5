"""``POST /api/v1/screenings:batch``: many applications in one call, as JSON lines.

The body is NDJSON (``application/x-ndjson``), one application a line; the
answer streams back NDJSON, one line per input line in the same order (the
lines are described in :mod:`specreg.batch`). Only what concerns the whole
request answers a problem instead: a media type other than NDJSON (415), a
body over ``MAX_BATCH_BYTES`` (413, this route's own limit), a bad ``as_of``
(400). Language is negotiated as for the single endpoint, per line.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, request, stream_with_context
from werkzeug.exceptions import RequestEntityTooLarge

from specreg.batch import LineScreener, split_lines
from specreg.calendar import today_in_almaty
from specreg.i18n import negotiate
from specreg.jsonbody import parse_as_of
from specreg.observability import record_invalid, record_screening
from specreg.problems import problem
from specreg.web import screener

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
    as_of = request.args.get("as_of")
    day = parse_as_of(as_of) if as_of is not None else today_in_almaty()
    if day is None:
        return problem("bad-as-of", language)
    body = request.get_data(cache=False)  # over MAX_BATCH_BYTES: 413 by _too_large
    current = screener()
    lines = LineScreener(current, day, accept)
    return Response(stream_with_context(_answers(lines, split_lines(body), current.digest)), mimetype=NDJSON)


def _answers(lines: LineScreener, body_lines: list[bytes], digest: str) -> Iterator[str]:
    """One answer line per input line, counted in the metrics and the decision log as it goes."""
    for number, line in enumerate(body_lines, start=1):
        answer = lines.answer(number, line.rstrip(b"\r"))
        if answer.screening is not None:
            record_screening(answer.screening, digest)
        elif answer.invalid is not None:
            record_invalid(answer.invalid)
        yield answer.json() + "\n"
