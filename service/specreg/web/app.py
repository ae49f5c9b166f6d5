"""The Flask application factory (in the manner of Flask's tutorial).

Configuration is Flask's: the defaults below, then ``SPECREG_*`` environment
variables (``app.config.from_prefixed_env("SPECREG")``: ``SPECREG_RULES_DIR``
sets ``RULES_DIR``), then a mapping given to :func:`create_app`; every module
reads ``current_app.config``, none the environment. The rule directory is read
and compiled here, once, so a broken file stops start-up instead of failing
requests.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from specreg.i18n import negotiate
from specreg.paths import DEFAULT_FIXTURES_DIR, DEFAULT_RULES_DIR
from specreg.web import (
    access,
    admin_api,
    admin_page,
    batch,
    docs,
    health,
    json_answers,
    observability,
    ops,
    reloading,
    screenings,
    security,
    transport,
)
from specreg.web import rulesets as rulesets_api
from specreg.web.problems import problem

MAX_BODY_BYTES = 1024 * 1024
# The configuration and its defaults; the README's configuration table lists the same keys.
DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
    "RULES_DIR": str(DEFAULT_RULES_DIR),
    "FIXTURES_DIR": str(DEFAULT_FIXTURES_DIR),
    "API_TOKEN": None,
    "ADMIN_TOKEN": None,
    "DECISION_LOG": None,
    "IIN_SALT": None,
    "RUN_IIN_SALT": None,  # drawn once by gunicorn.conf.py when IIN_SALT is unset: one per server
    "LOG_LEVEL": "INFO",
}
BLUEPRINTS = (
    health.bp, ops.bp, screenings.bp, batch.bp, rulesets_api.bp, docs.bp, admin_api.bp, admin_page.bp,
)
log = logging.getLogger("specreg")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, the screener (rules compiled once), blueprints, error answers."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("SPECREG", loads=str)  # values as written: a salt of digits stays text
    # prometheus_client's own variable (gunicorn.conf.py sets it): every worker's metrics are summed
    app.config.setdefault("METRICS_DIR", os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    if config:
        app.config.update(config)
    json_answers.init_app(app)  # orjson; UTF-8, keys in the contract's order
    reloading.init_app(app, Path(app.config["RULES_DIR"]))
    observability.init_app(app)  # before access: refused requests are timed and counted too
    access.init_app(app)
    security.init_app(app)  # headers on every answer; 413 for an oversized streamed body
    transport.init_app(app)  # repeated parameters, Content-Encoding, admin bodies: one answer for every route
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    _register_error_answers(app)
    return app


def _language() -> str:
    return negotiate(request.headers.get("Accept-Language"))


def _register_error_answers(app: Flask) -> None:
    """Every error a client can cause answers problem+json; nothing else leaks."""

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_: RequestEntityTooLarge) -> Response:
        return problem("too-large", _language(), limit=MAX_BODY_BYTES)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        answer = problem("http-error", _language(), status=error.code, reason=error.name)
        allowed = getattr(error, "valid_methods", None)  # a 405 must say what is allowed (RFC 9110)
        if allowed:
            answer.headers["Allow"] = ", ".join(allowed)
        return answer

    @app.errorhandler(Exception)
    def internal_error(error: Exception) -> Response:
        error_id = uuid.uuid4().hex
        log.error("internal error %s on %s %s: %s", error_id, request.method, request.path,
                  type(error).__name__)
        return problem("internal-error", _language(), error_id=error_id)
