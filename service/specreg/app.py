"""The Flask application factory (in the manner of Flask's tutorial).

Configuration comes from the environment (``SPECREG_*``) or a mapping given
to :func:`create_app`. The rule directory is read and compiled here, once, so
a broken rule or reference file stops start-up instead of failing requests.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from specreg import access, observability, reloading
from specreg.i18n import negotiate
from specreg.problems import problem
from specreg.web import admin_api, admin_page, batch, docs, health, ops, screenings, security, transport
from specreg.web import rulesets as rulesets_api

MAX_BODY_BYTES = 1024 * 1024
BLUEPRINTS = (
    health.bp, ops.bp, screenings.bp, batch.bp, rulesets_api.bp, docs.bp, admin_api.bp, admin_page.bp,
)
log = logging.getLogger("specreg")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, the screener (rules compiled once), blueprints, error answers."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, RULES_DIR=os.environ.get("SPECREG_RULES_DIR"))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if config:
        app.config.update(config)
    rules = app.config["RULES_DIR"]
    reloading.init_app(app, Path(rules) if rules else None)
    observability.init_app(app)  # before access: refused requests are timed and counted too
    access.init_app(app)
    security.init_app(app)  # headers on every answer; 413 for an oversized streamed body
    transport.init_app(app)  # repeated parameters, Content-Encoding, admin bodies: one answer for every route
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    _register_error_answers(app)
    return app


def _language() -> str:
    return negotiate(request.headers.get("Accept-Language"), screenings.DEFAULT_LANGUAGE)


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
