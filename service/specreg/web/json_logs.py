"""JSON log lines on stderr, each tagged with the request's id.

Every answer carries ``X-Request-ID``: the caller's, when it is a sane token holding no run of
12 digits (it could carry an IIN), else a new one; every log line made while serving the
request names it. Log lines name routes, statuses and codes, never personal data.
"""

from __future__ import annotations

import logging
import logging.config
import re
import uuid
from typing import Any

from flask import g, has_request_context, request
from gunicorn.glogging import Logger as GunicornBaseLogger
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")


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



class JsonLineFormatter(JsonFormatter):
    """One JSON object a line: time, level, logger, message and the record's extra fields."""

    def __init__(self) -> None:
        super().__init__("{levelname}{name}{message}", style="{", timestamp="time",
                         rename_fields={"levelname": "level", "name": "logger"})


def tag_records_with_request_id() -> None:
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


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger, which builds no access line that nobody logs.

    With ``logconfig_dict`` set, gunicorn builds every request's access-line atoms (a
    date and some thirty values) and hands them to ``gunicorn.access``, which
    :func:`log_config` turns off: about 3.5% of a screening worker's time went there
    (bench/RESULTS.md). The access line is the app's own (``specreg.access``).
    """

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if self.access_log.isEnabledFor(logging.INFO):
            super().access(resp, req, environ, request_time)


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
            # off: it would log raw paths; specreg.web.access logs each request by route instead
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
            "werkzeug": {"level": "WARNING", "handlers": [], "propagate": True},  # the same, `make dev`
        },
    }


def configure_logging(level: str) -> None:
    """JSON lines on stderr unless logging is set up already (by gunicorn's config, or by pytest)."""
    if not logging.getLogger().handlers:
        logging.config.dictConfig(log_config(level))
