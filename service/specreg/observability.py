"""What operators see: Prometheus metrics, JSON log lines with a request id,
and the decision log.

None of them ever holds personal data. Metric labels are the URL rule (never
the raw path), the method, the status, rule set ids and versions, and codes
from the stable vocabularies (outcomes, grounds, warnings, input errors). Log
lines name routes, statuses and codes. The decision log keeps, per screening,
codes and a keyed hash of the specialist's IIN (HMAC-SHA256 with the secret
``SPECREG_IIN_SALT``: an IIN has few enough possible values that an unkeyed
hash could be reversed by trying them all).

Under gunicorn the metrics of every worker are summed through
prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, set up
by ``gunicorn.conf.py``); without it they are this process's.
"""

from __future__ import annotations

import hmac
import json
import logging
import logging.config
import os
import re
import secrets
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from pythonjsonlogger.json import JsonFormatter

if TYPE_CHECKING:
    from specreg.screening import InvalidApplication, Screening

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

disable_created_metrics()  # the *_created series: noise here, and absent in multiprocess mode anyway
HTTP_REQUESTS = Counter(
    "specreg_http_requests", "HTTP requests answered, by route (URL rule) and status",
    ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "specreg_http_request_duration_seconds", "Time to answer an HTTP request, by route and status",
    ["method", "route", "status"], buckets=_LATENCY_BUCKETS)
SCREENINGS = Counter(
    "specreg_screenings", "Screenings decided, by rule set version and outcome",
    ["ruleset", "version", "outcome"])
GROUNDS = Counter(
    "specreg_screening_grounds", "Grounds (reason codes) that held, by rule set version",
    ["ruleset", "version", "code"])
WARNINGS = Counter(
    "specreg_screening_warnings", "Warnings given, by rule set version and code",
    ["ruleset", "version", "code"])
VALIDATION_ERRORS = Counter(
    "specreg_validation_errors", "Input errors of rejected (422) applications, by code", ["code"])
RELOADS = Counter("specreg_rule_reloads", "Rule directory reloads, by result", ["result"])

access_log = logging.getLogger("specreg.access")
log = logging.getLogger("specreg.observability")


class _Children(dict):
    """A metric's child per label values, looked up once per distinct value set.

    ``metric.labels(...)`` checks its arguments and takes a lock on every call;
    a screening updates about a dozen series. Label values come from bounded
    vocabularies (routes, statuses, codes), so this stays small.
    """

    def __init__(self, metric: Any) -> None:
        super().__init__()
        self.metric = metric

    def __missing__(self, labels: tuple[str, ...]) -> Any:
        child = self[labels] = self.metric.labels(*labels)
        return child


_HTTP_REQUESTS, _HTTP_LATENCY = _Children(HTTP_REQUESTS), _Children(HTTP_LATENCY)
_SCREENINGS, _GROUNDS, _WARNINGS = _Children(SCREENINGS), _Children(GROUNDS), _Children(WARNINGS)
_VALIDATION_ERRORS = _Children(VALIDATION_ERRORS)


# --- request id, metrics and the access line of every request ---------------

def init_app(app: Flask) -> None:
    """Hook every request (id, timing, metrics, access line) and open the decision log."""
    configure_logging(app.config["LOG_LEVEL"])
    _tag_records_with_request_id()
    target = app.config["DECISION_LOG"]
    salts = app.config["IIN_SALT"], app.config["RUN_IIN_SALT"]
    decisions = DecisionLog.open(target, *salts) if target else None
    app.extensions["specreg.decision_log"] = decisions
    app.before_request(_start_request)
    app.after_request(_finish_request)


def request_id() -> str:
    """This request's id: the caller's ``X-Request-ID`` if it is a sane token, else a new one.

    One holding a run of 12 digits anywhere is not taken: it could carry an IIN
    (``x850501300011``), and the id goes into every log line and the decision log.
    """
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        sane = _SANE_REQUEST_ID.fullmatch(given) and _TWELVE_DIGITS.search(given) is None
        g.request_id = given if sane else uuid.uuid4().hex
    return g.request_id


def _start_request() -> None:
    g.started = time.perf_counter()
    request_id()


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    method, rule = request.method, request.url_rule
    method = method if method in _METHODS else "OTHER"
    route = rule.rule if rule is not None else "(unmatched)"
    labels = (method, route, str(response.status_code))
    _HTTP_REQUESTS[labels].inc()
    _HTTP_LATENCY[labels].observe(elapsed)
    access_log.info("request", extra={"method": method, "route": route, "status": response.status_code,
                                      "duration_ms": round(elapsed * 1000, 3)})
    return response


def exposition() -> tuple[bytes, str]:
    """The metrics page: every worker's sum under gunicorn, this process's otherwise."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


# --- what screenings feed ---------------------------------------------------

def record_screening(screening: Screening, digest: str | None = None) -> None:
    """Count one screening's outcome, grounds and warnings, and write its decision-log line.

    ``digest`` names the rule directory that decided (the line says which rules made the decision).
    """
    decision = screening.decision
    ruleset, version = decision.ruleset.id, decision.ruleset.version
    _SCREENINGS[ruleset, version, decision.outcome].inc()
    for reason in decision.reasons:
        _GROUNDS[ruleset, version, reason.ground.code].inc()
    for warning in decision.warnings:
        _WARNINGS[ruleset, version, warning.code].inc()
    decisions = _decision_log()
    if decisions is not None:
        decisions.write_decision(screening, _current_request_id(), digest)


def record_invalid(invalid: InvalidApplication) -> None:
    """Count a rejected application's input errors by code and log the rejection (codes only)."""
    codes = [error.code for error in invalid.errors]
    for code in codes:
        _VALIDATION_ERRORS[code,].inc()
    if invalid.unlisted:  # counted, not built: unknown properties past the first hundred of an object
        _VALIDATION_ERRORS["unknown_property",].inc(invalid.unlisted)
    decisions = _decision_log()
    if decisions is not None:
        decisions.write_rejection(codes, _current_request_id())


def record_reload(result: str) -> None:
    RELOADS.labels(result).inc()


def _decision_log() -> DecisionLog | None:
    return current_app.extensions.get("specreg.decision_log") if has_request_context() else None


def _current_request_id() -> str | None:
    return request_id() if has_request_context() else None


# --- the decision log -------------------------------------------------------

class DecisionLog:
    """One JSON line a decision, appended to a file (or stdout); no personal data.

    Each line is written with one ``write`` call on a file opened for
    appending, so lines of several gunicorn workers never interleave.
    """

    def __init__(self, target: str, salt: bytes) -> None:
        self.target, self._salt = target, salt
        self._fd = None if target == "-" else os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._lock = threading.Lock()

    @classmethod
    def open(cls, target: str, salt: str | None, run_salt: str | None = None) -> DecisionLog:
        """``target`` is a path or ``-`` for stdout. Without a salt, the one the server drew for
        this run (all its workers share it), else a random one for this process; either warns."""
        if salt:
            return cls(target, salt.encode())
        if run_salt:
            log.warning("SPECREG_IIN_SALT is unset: the decision log's IIN hashes use a random salt of "
                        "this server run, shared by its workers, and cannot be matched across restarts")
            return cls(target, run_salt.encode())
        log.warning("SPECREG_IIN_SALT is unset: the decision log's IIN hashes use a random salt of "
                    "this process and cannot be matched across processes or restarts")
        return cls(target, secrets.token_bytes(32))

    def iin_hash(self, iin: str) -> str:
        return hmac.digest(self._salt, iin.encode(), "sha256").hex()  # one-shot: no HMAC object to build

    def write_decision(self, screening: Screening, request_id: str | None, digest: str | None = None) -> None:
        decision = screening.decision
        self._write({
            **self._header(request_id),
            "ruleset": {"id": decision.ruleset.id, "version": decision.ruleset.version, "digest": digest},
            "as_of": decision.as_of.isoformat(),
            "outcome": decision.outcome,
            "reasons": [reason.ground.code for reason in decision.reasons],
            "warnings": [warning.code for warning in decision.warnings],
            "iin_hash": self.iin_hash(screening.application.specialist.iin),
        })

    def write_rejection(self, codes: list[str], request_id: str | None) -> None:
        self._write({**self._header(request_id), "outcome": "invalid", "errors": codes})

    @staticmethod
    def _header(request_id: str | None) -> dict[str, Any]:
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {"decision_id": str(uuid.uuid4()), "request_id": request_id, "time": now}

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        if self._fd is None:
            with self._lock:
                sys.stdout.write(line)
                sys.stdout.flush()
        else:
            os.write(self._fd, line.encode())


# --- JSON log lines -----------------------------------------------------------

class JsonLineFormatter(JsonFormatter):
    """One JSON object a line: time, level, logger, message and the record's extra fields."""

    def __init__(self) -> None:
        super().__init__("{levelname}{name}{message}", style="{", timestamp="time",
                         rename_fields={"levelname": "level", "name": "logger"})


def _tag_records_with_request_id() -> None:
    """Every log record made while serving a request carries its id, whichever handler formats it
    and whenever (set when the record is made: a handler may format after the request is over)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "tags_request_id", False):
        return

    def tagged(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if has_request_context():
            given = g.get("request_id")
            if given is not None:
                record.request_id = given
        return record

    tagged.tags_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(tagged)


def log_config(level: str) -> dict[str, Any]:
    """``logging.config.dictConfig`` settings: JSON lines on stderr, gunicorn's own loggers included."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonLineFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "json"}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": [], "propagate": True},
            # off: it would log raw paths; specreg.access logs each request by route instead
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
            "werkzeug": {"level": "WARNING", "handlers": [], "propagate": True},  # the same, `make dev`
        },
    }


def configure_logging(level: str) -> None:
    """JSON lines on stderr unless logging is set up already (by gunicorn's config, or by pytest)."""
    if not logging.getLogger().handlers:
        logging.config.dictConfig(log_config(level))
