"""Prometheus metrics: requests by route and status, screenings by outcome, grounds, warnings,
input errors, reloads.

Labels are the URL rule (never the raw path), the method, the status, rule set ids and
versions, and codes from the stable vocabularies: never personal data. Under gunicorn the
metrics of every worker are summed through prometheus_client's multiprocess mode
(``PROMETHEUS_MULTIPROC_DIR``, set up by ``gunicorn.conf.py``); without it they are this
process's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from specreg.screening import InvalidApplication, Screening


_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

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



def count_request(method: str, route: str, status: int, elapsed: float) -> None:
    """One answered request: its method (or OTHER), URL rule and status, and how long it took."""
    labels = (method if method in _METHODS else "OTHER", route, str(status))
    _HTTP_REQUESTS[labels].inc()
    _HTTP_LATENCY[labels].observe(elapsed)


def count_screening(screening: Screening) -> None:
    """One screening's outcome, grounds and warnings."""
    decision = screening.decision
    ruleset, version = decision.ruleset.id, decision.ruleset.version
    _SCREENINGS[ruleset, version, decision.outcome].inc()
    for reason in decision.reasons:
        _GROUNDS[ruleset, version, reason.ground.code].inc()
    for warning in decision.warnings:
        _WARNINGS[ruleset, version, warning.code].inc()


def count_invalid(invalid: InvalidApplication) -> None:
    """A rejected application's input errors by code (counted ones too)."""
    for error in invalid.errors:
        _VALIDATION_ERRORS[error.code,].inc()
    if invalid.unlisted:  # counted, not built: unknown properties past the first hundred of an object
        _VALIDATION_ERRORS["unknown_property",].inc(invalid.unlisted)


def record_reload(result: str) -> None:
    RELOADS.labels(result).inc()


def exposition(multiprocess_dir: str | None) -> tuple[bytes, str]:
    """The metrics page: every worker's sum under gunicorn (in ``multiprocess_dir``), else this process's."""
    if multiprocess_dir:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
