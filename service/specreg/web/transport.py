"""What every route refuses alike, before any route reads the request.

Contract section 0 answers 400 and 415 for what a client sends wrong; these
checks apply to every route in one place, so no route can answer them
differently (the batch once took the first of two ``as_of``, the single route
refused them):

* a query parameter given twice: 400 ``repeated-parameter`` (which one is meant?);
* a body with a ``Content-Encoding`` (gzip, ...): 415 ``unsupported-content-encoding``.
  Bodies are read as sent; decoding would let a small compressed body expand past
  the size limits that bound a request's work;
* an admin route (``/api/v1/admin/``) sent a body that is not JSON: 415.
"""

from __future__ import annotations

from flask import Flask, Response, request

from specreg.i18n import negotiate
from specreg.web.access import ADMIN_PREFIX
from specreg.web.problems import problem
from specreg.web.screenings import is_json


def init_app(app: Flask) -> None:
    app.before_request(refuse_ambiguous_transport)


def refuse_ambiguous_transport() -> Response | None:
    """``None`` lets the request through; otherwise the 400 or 415 answer."""
    args = request.args
    if len(args) != len(list(args.items(multi=True))):
        return problem("repeated-parameter", _language())
    if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        return problem("unsupported-content-encoding", _language())
    rule = request.url_rule.rule if request.url_rule is not None else ""
    if rule.startswith(ADMIN_PREFIX) and request.method == "POST" and _has_body() and not is_json(
            request.mimetype, request.mimetype_params):
        return problem("unsupported-media-type", _language())
    return None


def _has_body() -> bool:
    """A Content-Type names a body; so do a length above zero and a chunked transfer."""
    return bool(request.content_type) or bool(request.content_length) or (
        "chunked" in request.headers.get("Transfer-Encoding", "").lower())


def _language() -> str:
    return negotiate(request.headers.get("Accept-Language"))
