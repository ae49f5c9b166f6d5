"""What operators see, wired into the app: metrics, JSON log lines with a request id, and the
decision log (:mod:`.metrics`, :mod:`.json_logs`, :mod:`.decision_log`).

None of them ever holds personal data. This module hooks every request (its id, timing,
metrics and one ``specreg.access`` line) and is what the routes call when an answer is a
screening or a rejection.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from flask import Flask, Response, current_app, g, has_request_context, request

from specreg.web.decision_log import DecisionLog
from specreg.web.json_logs import (
    REQUEST_ID_HEADER,
    configure_logging,
    request_id,
    tag_records_with_request_id,
)
from specreg.web.metrics import count_invalid, count_request, count_screening

if TYPE_CHECKING:
    from specreg.screening import InvalidApplication, Screening

access_log = logging.getLogger("specreg.access")


def init_app(app: Flask) -> None:
    """Hook every request (id, timing, metrics, access line) and open the decision log."""
    configure_logging(app.config["LOG_LEVEL"])
    tag_records_with_request_id()
    target = app.config["DECISION_LOG"]
    salts = app.config["IIN_SALT"], app.config["RUN_IIN_SALT"]
    decisions = DecisionLog.open(target, *salts) if target else None
    app.extensions["specreg.decision_log"] = decisions
    app.before_request(_start_request)
    app.after_request(_finish_request)


def _start_request() -> None:
    g.started = time.perf_counter()
    request_id()


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    rule = request.url_rule
    route = rule.rule if rule is not None else "(unmatched)"
    count_request(request.method, route, response.status_code, elapsed)
    method = request.method if request.method in _LOGGED_METHODS else "OTHER"
    access_log.info("request", extra={"method": method, "route": route, "status": response.status_code,
                                      "duration_ms": round(elapsed * 1000, 3)})
    return response



_LOGGED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def record_screening(screening: Screening, digest: str | None = None) -> None:
    """Count one screening's outcome, grounds and warnings, and write its decision-log line.

    ``digest`` names the rule directory that decided (the line says which rules made the decision).
    """
    count_screening(screening)
    decisions = _decision_log()
    if decisions is not None:
        decisions.write_decision(screening, _current_request_id(), digest)


def record_invalid(invalid: InvalidApplication) -> None:
    """Count a rejected application's input errors by code and log the rejection (codes only)."""
    codes = [error.code for error in invalid.errors]
    count_invalid(invalid)
    decisions = _decision_log()
    if decisions is not None:
        decisions.write_rejection(codes, _current_request_id())


def _decision_log() -> DecisionLog | None:
    return current_app.extensions.get("specreg.decision_log") if has_request_context() else None


def _current_request_id() -> str | None:
    return request_id() if has_request_context() else None


