"""What the figures screen: the reference application and a stream of varied ones.

The reference application is the richest valid application of the fixture
cases (``fixtures/*.yaml``): among the cases the contract answers with 200,
the one with the most array entries (documents, education, employment, court
decisions), then the largest. The stream cycles through every valid fixture
application, each with its own ``application_id``, so nothing a process keeps
between screenings can be the same object twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from specreg.jsonbody import parse_as_of
from specreg.workbench.cases import Case, load_cases

REPO = Path(__file__).resolve().parents[1]
DEFAULT_AS_OF = date(2026, 3, 20)


@dataclass(frozen=True)
class Reference:
    name: str
    payload: dict[str, Any]
    as_of: date

    @property
    def body(self) -> bytes:
        return json.dumps(self.payload, ensure_ascii=False).encode("utf-8")


def valid_cases() -> list[Case]:
    """Fixture cases whose expected answer is a screening (status 200) of an object payload."""
    cases = [case for path in sorted((REPO / "fixtures").glob("*.yaml")) for case in load_cases(path)]
    return [case for case in cases
            if case.expect.get("status", 200) == 200 and isinstance(case.payload, dict)]


def _richness(payload: dict[str, Any]) -> tuple[int, int]:
    specialist = payload["specialist"]
    decisions = payload["verifications"].get("court_decisions") or []
    entries = (len(payload["documents"]) + len(specialist["education"])
               + len(specialist["employment"]) + len(decisions))
    return entries, len(json.dumps(payload, ensure_ascii=False))


def reference() -> Reference:
    case = max(valid_cases(), key=lambda case: _richness(case.payload))
    day = parse_as_of(case.as_of) if case.as_of else DEFAULT_AS_OF
    return Reference(case.name, case.payload, day or DEFAULT_AS_OF)


def varied_lines(count: int) -> Iterator[bytes]:
    """``count`` NDJSON lines: the valid fixture applications in turn, each with a new id."""
    payloads = [case.payload for case in valid_cases()]
    for number in range(count):
        payload = dict(payloads[number % len(payloads)])
        payload["application_id"] = f"BENCH-{number:07d}"
        payload.pop("previous", None)  # a resubmission must name its own id; keep every line a plain one
        yield json.dumps(payload, ensure_ascii=False).encode("utf-8")
