"""Who may call what: bearer tokens from the environment.

Routes under ``/api/v1/admin/`` need the admin token (``SPECREG_ADMIN_TOKEN``);
while it is unset they answer 403, so an unconfigured deployment exposes no
administrative action. Every other ``/api/`` route needs the API token
(``SPECREG_API_TOKEN``, or the admin token) when one is set and is open
otherwise. ``/api/v1/rulesets`` is public, as legislation is; ``/healthz``,
``/readyz``, ``/metrics`` and the documentation stay open. The check goes by
URL rule, so routes added later under ``/api/`` are covered by default.

401 (with ``WWW-Authenticate: Bearer``) answers a missing or wrong token, 403
a valid API token on an admin route. Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac

from flask import Flask, Response, current_app, request

from specreg.i18n import negotiate
from specreg.web.problems import problem

API_PREFIX = "/api/"
ADMIN_PREFIX = "/api/v1/admin/"
PUBLIC_PREFIX = "/api/v1/rulesets"  # the rules are public, as legislation is (issue 4)
_REALM = 'Bearer realm="specreg"'


def init_app(app: Flask) -> None:
    """Guard requests with the tokens of ``app.config`` (``API_TOKEN``, ``ADMIN_TOKEN``)."""
    app.before_request(check_access)


def check_access() -> Response | None:
    """``None`` lets the request through; otherwise the 401 or 403 answer."""
    rule = request.url_rule.rule if request.url_rule is not None else ""
    if rule.startswith(ADMIN_PREFIX):
        return _admin_access()
    if rule.startswith(PUBLIC_PREFIX):
        return None
    if rule.startswith(API_PREFIX):
        return _api_access()
    return None


def _api_access() -> Response | None:
    expected = current_app.config["API_TOKEN"]
    if not expected:
        return None
    given = bearer_token()
    if given is None:
        return _unauthorized(_REALM)
    admin = current_app.config["ADMIN_TOKEN"]
    if same_token(given, expected) or (admin and same_token(given, admin)):
        return None  # the admin token covers the API too (the admin page screens with it)
    return _unauthorized(f'{_REALM}, error="invalid_token"')


def _admin_access() -> Response | None:
    expected = current_app.config["ADMIN_TOKEN"]
    if not expected:
        return problem("admin-disabled", _language())
    given = bearer_token()
    if given is None:
        return _unauthorized(_REALM)
    if same_token(given, expected):
        return None
    api_token = current_app.config["API_TOKEN"]
    if api_token and same_token(given, api_token):
        answer = problem("forbidden", _language())
        answer.headers["WWW-Authenticate"] = f'{_REALM}, error="insufficient_scope"'
        return answer
    return _unauthorized(f'{_REALM}, error="invalid_token"')


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def same_token(given: str, expected: str) -> bool:
    """Constant-time comparison, so the answer's timing does not reveal how much of a token matched."""
    return hmac.compare_digest(given.encode(), expected.encode())


def _unauthorized(challenge: str) -> Response:
    answer = problem("unauthorized", _language())
    answer.headers["WWW-Authenticate"] = challenge
    return answer


def _language() -> str:
    return negotiate(request.headers.get("Accept-Language"))
