"""rule_stage_vs_zen: our rule stage over zen-engine's on the same facts.

Both sides take the reference application's facts (computed once, before
timing) and end with the same grounds: the same ``Reason`` and warning
objects, by the same ``decision.decide``. Ours: ``RuleSet.evaluate``
(durable-rules) then ``decide``. The peer: zen-engine evaluates
``grounds.jdm.json`` (one decision table, collect hit policy, looped over the
facts: the same rules as ``rules/rulesets/rules-2025.yaml``), its rows become
the same matches, then ``decide``. Before timing, both sides must give the
same matches on the facts of every valid fixture case. Goal <= 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zen
from figure import Figure
from timing import side_by_side
from workload import Reference, valid_cases

from specreg.decision import decide
from specreg.engine import Match
from specreg.jsonbody import parse_as_of
from specreg.ruleset import RuleSet
from specreg.screening import Screener

TABLE = Path(__file__).with_name("grounds.jdm.json")


class ZenGrounds:
    """The decision table, compiled once by zen-engine's Python binding."""

    def __init__(self) -> None:
        self.decision = zen.ZenEngine().create_decision(TABLE.read_text(encoding="utf-8"))

    def matches(self, facts: list[dict[str, Any]]) -> list[Match]:
        """The table's rows for each fact, as the engine's matches (same order: rule, then fact)."""
        rows = self.decision.evaluate({"facts": facts})["result"]["matches"]
        found = [Match(row["rule"], {"fact": facts[index]}, (index,))
                 for index, fired in enumerate(rows) for row in fired]
        return sorted(found, key=lambda match: (match.rule, match.fact_ids))


def _key(matches: list[Match]) -> list[tuple[str, tuple[int, ...]]]:
    return [(match.rule, match.fact_ids) for match in matches]


def check_same_matches(screener: Screener, peer: ZenGrounds) -> int:
    """Every valid fixture case: the table fires exactly where the rule set does."""
    checked = 0
    for case in valid_cases():
        day = parse_as_of(case.as_of) if case.as_of else None
        if case.as_of and day is None:
            continue
        screening = screener.screen(case.payload, day)
        ruleset = screening.decision.ruleset
        theirs = peer.matches(screening.facts)
        if _key(theirs) != _key(screening.matches):
            raise AssertionError(f"grounds.jdm.json disagrees with {ruleset.source.name} on {case.name}")
        checked += 1
    return checked


def measure(screener: Screener, ref: Reference) -> Figure:
    peer = ZenGrounds()
    checked = check_same_matches(screener, peer)
    facts = screener.screen(ref.payload, ref.as_of).facts
    ruleset: RuleSet = screener.ruleset_for(ref.as_of)
    labels = screener.reference.labels
    ours, theirs = side_by_side(lambda: decide(ruleset.evaluate(facts), ruleset, labels),
                                lambda: decide(peer.matches(facts), ruleset, labels))
    assert decide(ruleset.evaluate(facts), ruleset, labels) == decide(peer.matches(facts), ruleset, labels)
    engine, table = side_by_side(lambda: ruleset.evaluate(facts), lambda: peer.matches(facts))
    return Figure("rule_stage_vs_zen", ours.best / theirs.best, "<=", 1.0, [
        f"same matches as the rule set on all {checked} valid fixture cases; "
        f"{len(facts)} facts in the reference application",
        f"ours (durable-rules + decide): {ours}",
        f"zen-engine {zen_version()} (decision table + decide): {theirs}",
        f"engines alone: durable-rules {engine}; zen-engine {table}",
    ])


def zen_version() -> str:
    from importlib.metadata import version

    return version("zen-engine")
