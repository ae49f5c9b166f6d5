"""The decision log: one JSON line a screening, with codes and a keyed hash of the IIN.

It keeps, per screening, codes and a keyed hash of the specialist's IIN (HMAC-SHA256 with the
secret ``SPECREG_IIN_SALT``: an IIN has few enough possible values that an unkeyed hash could
be reversed by trying them all), the rule set and the digest of the rule directory that
decided. No name, phone, e-mail, address or IIN.
"""

from __future__ import annotations

import hmac
import json
import logging
import logging.config
import os
import secrets
import sys
import threading
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specreg.screening import Screening


log = logging.getLogger("specreg.observability")


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
