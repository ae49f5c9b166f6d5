"""Impact replay: the same applications under a base and a candidate rule set, and what flipped.

Each item is admitted once (validation and loading do not depend on the rule
set: the payload schema is the contract's) and then screened under both
sides; a side is a rule directory's screener, optionally held to one rule set
version. What can change is the outcome, the reasons (code, rules, pointers,
evidence, message), the warnings and the deadline (the calendar is part of
the rule directory too). Counts are kept in memory; the changed cases are
spooled to a temporary file, so a replay of 100k applications runs in bounded
memory whatever share of them changes. ``workers`` > 1 screens chunks in
separate processes (durable-rules holds the GIL), results kept in input order.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from specreg.decision import Decision
from specreg.i18n import negotiate
from specreg.jsonbody import declared_language, parse_as_of
from specreg.model import Application
from specreg.ruleset import RuleSet
from specreg.screening import InvalidApplication, NoRuleSetInForce, Screener
from specreg.workbench.sources import Item
from specreg.worker_pool import ordered_map

CHANGE_KINDS = ("outcome", "reasons", "warnings", "decision_due")
CHUNK = 64


@dataclass(frozen=True)
class Side:
    """One rule set to screen under: a screener, optionally held to one version."""

    screener: Screener
    version: str | None = None

    def ruleset_for(self, day: date) -> RuleSet:
        return self.screener.ruleset_named(self.version) if self.version else self.screener.ruleset_for(day)


@dataclass(frozen=True)
class SideSpec:
    """How a worker process builds a side: the rule directory and the version."""

    rules: Path | None
    version: str | None = None

    def build(self) -> Side:
        return Side(Screener.from_directory(self.rules), self.version)


@dataclass(frozen=True)
class Comparison:
    """One item's answer before and after, and which parts of it changed."""

    key: str
    source: str
    application_id: str | None
    before: dict[str, Any]
    after: dict[str, Any]
    changes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"case": self.key, "source": self.source, "application_id": self.application_id,
                "changes": list(self.changes), "before": self.before, "after": self.after}


def compare(item: Item, base: Side, candidate: Side, default_day: date) -> Comparison:
    """Screen one item under both sides."""
    before, after = _both(item, base, candidate, default_day)
    changes = tuple(kind for kind in CHANGE_KINDS if before.get(kind) != after.get(kind))
    return Comparison(item.key, item.source, item.application_id, before, after, changes)


def _both(item: Item, base: Side, candidate: Side, default_day: date) -> tuple[dict, dict]:
    if item.unreadable:
        same = {"outcome": "unreadable", "problem": item.unreadable}
        return same, same
    day = parse_as_of(item.as_of) if item.as_of is not None else default_day
    if day is None:
        return {"outcome": "bad_as_of"}, {"outcome": "bad_as_of"}
    language = negotiate(item.accept_language, declared_language(item.payload))
    try:
        application = base.screener.admit(item.payload)
    except InvalidApplication as invalid:
        return _invalid(invalid), _invalid(invalid)
    return _screen(base, application, day, language), _screen(candidate, application, day, language)


def _screen(side: Side, application: Application, day: date, language: str) -> dict[str, Any]:
    try:
        screening = side.screener.screen_admitted(application, day, side.ruleset_for(day))
    except NoRuleSetInForce:
        return {"outcome": "no_ruleset_in_force"}
    except InvalidApplication as invalid:  # the calendar of this side has no deadline for it
        return _invalid(invalid)
    return summary(screening.decision, language)


def summary(decision: Decision, language: str) -> dict[str, Any]:
    """What a replay compares of a decision, messages in one language."""
    return {
        "outcome": decision.outcome,
        "codes": [reason.ground.code for reason in decision.reasons],
        "reasons": [
            {"code": r.ground.code, "rule_ids": list(r.rule_ids), "pointers": list(r.pointers),
             "evidence": r.evidence, "message": r.message[language]}
            for r in decision.reasons
        ],
        "warnings": [{"code": w.code, "pointers": list(w.pointers)} for w in decision.warnings],
        "decision_due": decision.decision_due.isoformat(),
        "ruleset": decision.ruleset.version,
    }


def _invalid(invalid: InvalidApplication) -> dict[str, Any]:
    return {"outcome": "invalid", "errors": sorted({f"{e.pointer} {e.code}" for e in invalid.errors})}


class Impact:
    """The counts of a replay, and its changed cases spooled to a temporary file."""

    def __init__(self) -> None:
        self.total = 0
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.kinds: Counter[str] = Counter()
        self.changed = 0
        # closed by close() or at the end of a with block: it outlives this method by design
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def add(self, comparison: Comparison) -> None:
        self.total += 1
        self.pairs[(comparison.before["outcome"], comparison.after["outcome"])] += 1
        if comparison.changes:
            self.changed += 1
            self.kinds.update(comparison.changes)
            self._spool.write(json.dumps(comparison.as_json(), ensure_ascii=False) + "\n")

    @property
    def transitions(self) -> list[tuple[str, str, int]]:
        """Outcome changes with their counts, the most frequent first."""
        moved = [(a, b, n) for (a, b), n in self.pairs.items() if a != b]
        return sorted(moved, key=lambda t: (-t[2], t[0], t[1]))

    @property
    def unchanged(self) -> dict[str, int]:
        """Items whose outcome stayed, by outcome (their reasons may still have changed)."""
        return {a: n for (a, b), n in sorted(self.pairs.items()) if a == b}

    @property
    def reasons_changed_only(self) -> int:
        """Changed items whose outcome stayed the same."""
        return self.changed - sum(n for _, _, n in self.transitions)

    def changes(self) -> Iterator[dict[str, Any]]:
        """The changed cases in input order, read back from the spool."""
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            yield json.loads(line)
        self._spool.seek(0, 2)

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> Impact:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def replay(items: Iterable[Item], base: Side, candidate: Side, default_day: date,
           advance: Callable[[int], Any] | None = None) -> Impact:
    """Every item under both sides, in one process."""
    impact = Impact()
    for item in items:
        impact.add(compare(item, base, candidate, default_day))
        if advance:
            advance(1)
    return impact


def replay_parallel(items: Iterable[Item], base: SideSpec, candidate: SideSpec, default_day: date,
                    workers: int, advance: Callable[[int], Any] | None = None) -> Impact:
    """Every item under both sides, chunks screened by ``workers`` processes, a bounded window ahead.

    Raises :class:`~specreg.worker_pool.WorkerDied` when a worker ends before its chunk is done.
    """
    impact = Impact()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited engine state
    for comparisons in ordered_map(_compare_chunk, _chunks(items), workers, context, _start_worker,
                                   (base, candidate, default_day)):
        for comparison in comparisons:
            impact.add(comparison)
        if advance:
            advance(len(comparisons))
    return impact


def _chunks(items: Iterable[Item]) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


_WORKER: dict[str, Any] = {}


def _start_worker(base: SideSpec, candidate: SideSpec, default_day: date) -> None:
    _WORKER.update(base=base.build(), candidate=candidate.build(), day=default_day)


def _compare_chunk(chunk: list[Item]) -> list[Comparison]:
    return [compare(item, _WORKER["base"], _WORKER["candidate"], _WORKER["day"]) for item in chunk]
