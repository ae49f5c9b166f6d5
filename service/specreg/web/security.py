"""Response headers that keep browsers safe, and the body limit on streamed requests.

The answers carry personal data in flight, so none may be cached, sniffed into
another type, framed, or leak a referrer. JSON answers get a Content Security
Policy that allows nothing; HTML pages (the admin page, the API docs) may load
their own scripts, styles and images (``'self'``) and nothing from elsewhere,
and no inline script, so a value from a payload shown on a page cannot run.

Werkzeug reads a streamed (chunked) body up to ``MAX_CONTENT_LENGTH`` and stops
there without an error, so an oversized chunked body used to arrive truncated
and answer 400; :func:`_streamed_body_within_limit` turns it into the 413 the
contract promises.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_BODY_METHODS = ("POST", "PUT", "PATCH")
# The scripts, styles, images and fonts pages load hold no personal data: they may be cached.
_ASSET_TYPES = ("text/css", "text/javascript", "application/javascript", "image/", "font/")


def init_app(app: Flask) -> None:
    """Register the body check and the headers on every answer, errors included."""
    app.before_request(_streamed_body_within_limit)
    app.after_request(secure_headers)


def secure_headers(response: Response) -> Response:
    """The security headers; a page gets the page policy, everything else the JSON one."""
    headers, mimetype = response.headers, response.mimetype  # mimetype parses Content-Type on each read
    headers.update(HEADERS)
    headers["Content-Security-Policy"] = PAGE_POLICY if mimetype == "text/html" else JSON_POLICY
    if not mimetype.startswith(_ASSET_TYPES):
        headers["Cache-Control"] = "no-store"
    return response


def _streamed_body_within_limit() -> None:
    """A body without Content-Length must not be silently cut at the limit: 413 instead."""
    if request.content_length is not None or request.method not in _BODY_METHODS:
        return  # the usual case first: a sized body (its limit is Werkzeug's) or none
    limit = request.max_content_length
    if not limit:
        return
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()
