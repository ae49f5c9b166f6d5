"""``specreg test``: fixture cases screened against a rule directory.

Each case is posted to ``/api/v1/screenings`` with Flask's test client, as
under pytest (``fixtures/conftest.py``), and compared with its ``expect``
block by :func:`specreg.cases.differences`. The app here is a bare one: the
screenings blueprint over the screener under test, without the service's
tokens, metrics, access log and decision log, so that a workbench run is
never counted or logged as a real decision. The request asks for the
explain trace, so every result also says which rules fired: coverage is
measured on the same run, not on a second one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from flask.testing import FlaskClient

from specreg.cases import Case, Difference, differences
from specreg.reloading import EXTENSION, ScreenerHolder, holder_of
from specreg.ruleset import RuleSet
from specreg.screening import Screener
from specreg.web import screenings

SCREENINGS = "/api/v1/screenings"


@dataclass(frozen=True)
class CaseResult:
    """One case's answer and how it differs from what the case expects."""

    case: Case
    status: int
    body: Any
    problems: tuple[Difference, ...]
    fired: frozenset[tuple[str, str]]  # (rule set version, rule id)
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def outcome(self) -> str:
        """The outcome, or the status of an answer that is not a decision."""
        if self.status == 200 and isinstance(self.body, dict):
            return str(self.body.get("outcome"))
        return str(self.status)

    @property
    def codes(self) -> list[str]:
        reasons = self.body.get("reasons", []) if self.status == 200 else []
        return [reason["code"] for reason in reasons]

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return self.body.get("reasons", []) if self.status == 200 else []

    @property
    def messages(self) -> list[str]:
        return [f"{reason['code']}: {reason['message']}" for reason in self.reasons]

    @property
    def version(self) -> str | None:
        return self.body.get("ruleset", {}).get("version") if self.status == 200 else None


def bare_client(screener: Screener) -> FlaskClient:
    """A test client of an app that only screens, with ``screener``."""
    app = Flask("specreg.workbench")
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    holder = ScreenerHolder(None)
    holder.current = screener
    app.extensions[EXTENSION] = holder
    app.register_blueprint(screenings.bp)
    return app.test_client()


def client_for(rules: Path | None) -> FlaskClient:
    """A bare client on a rule directory (default: the one in force); DataFileError if it is broken."""
    return bare_client(Screener.from_directory(rules))


def rulesets_of(client: FlaskClient) -> list[RuleSet]:
    """The rule sets the client's app screens with."""
    return holder_of(client.application).screener().rulesets


def run_case(client: FlaskClient, case: Case, version: str | None = None) -> CaseResult:
    """Screen one case and compare; ``version`` forces a rule set version."""
    query = {"explain": "full"}
    if case.as_of is not None:
        query["as_of"] = case.as_of
    if version:
        query["ruleset"] = version
    started = time.perf_counter()
    answer = client.post(f"{SCREENINGS}?{urlencode(query)}", json=case.payload, headers=case.headers)
    seconds = time.perf_counter() - started
    body = answer.get_json(silent=True)
    return CaseResult(
        case=case, status=answer.status_code, body=body,
        problems=tuple(differences(case, answer.status_code, body)),
        fired=_fired(body) if answer.status_code == 200 else frozenset(), seconds=seconds,
    )


def run_cases(client: FlaskClient, cases: Iterable[Case], version: str | None = None) -> Iterator[CaseResult]:
    """Every case in order, one result each."""
    for case in cases:
        yield run_case(client, case, version)


def _fired(body: dict[str, Any]) -> frozenset[tuple[str, str]]:
    explain = body.get("explain", {})
    version = explain.get("ruleset", {}).get("version", "")
    return frozenset((version, rule["id"]) for rule in explain.get("rules", []) if rule["fired"])
