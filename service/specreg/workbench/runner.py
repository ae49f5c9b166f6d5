"""``specreg test``: fixture cases screened against a rule directory.

Each case is answered by :func:`specreg.answering.answer`, the function the
HTTP route calls, with the case's body, day, language and version, and
compared with its ``expect`` block by :func:`specreg.workbench.cases.differences`.
Nothing here goes through the web layer, so a workbench run is never counted
or logged as a real decision. It asks for the explain trace, so every result
also says which rules fired: coverage is measured on the same run, not on a
second one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from specreg.answering import Answer, Question, answer, kind_answer
from specreg.i18n import negotiate
from specreg.jsonbody import parse_as_of
from specreg.screening import Screener
from specreg.workbench.cases import Case, Difference, differences


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


def run_case(screener: Screener, case: Case, version: str | None = None) -> CaseResult:
    """Screen one case and compare; ``version`` forces a rule set version."""
    started = time.perf_counter()
    given = _answer(screener, case, version)
    seconds = time.perf_counter() - started
    return CaseResult(
        case=case, status=given.status, body=given.body,
        problems=tuple(differences(case, given.status, given.body)),
        fired=_fired(given.body) if given.status == 200 else frozenset(), seconds=seconds,
    )


def _answer(screener: Screener, case: Case, version: str | None) -> Answer:
    """The answer the route would give the case: its body as JSON bytes, its ``as_of`` checked."""
    day = parse_as_of(case.as_of) if case.as_of is not None else None
    if case.as_of is not None and day is None:
        return kind_answer(screener, "bad-as-of", negotiate(case.accept_language))
    body = json.dumps(case.payload, ensure_ascii=False).encode("utf-8")
    return answer(screener, Question(body, day, version, case.accept_language, explain=True))


def run_cases(screener: Screener, cases: Iterable[Case], version: str | None = None
              ) -> Iterator[CaseResult]:
    """Every case in order, one result each."""
    for case in cases:
        yield run_case(screener, case, version)


def _fired(body: dict[str, Any]) -> frozenset[tuple[str, str]]:
    explain = body.get("explain", {})
    version = explain.get("ruleset", {}).get("version", "")
    return frozenset((version, rule["id"]) for rule in explain.get("rules", []) if rule["fired"])
