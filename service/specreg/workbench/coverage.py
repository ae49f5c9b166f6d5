"""Coverage of a run of cases: which rules fired, which never did, which grounds no case shows.

OPA and Catala report which lines of a policy a test run reached; here the
unit is the rule (and the warning), because a rule is what an administrator
writes and what a reason names. A rule counts as covered when it fired in at
least one case of the run, under its own rule set version; a ground counts as
exercised when some case's answer gave a reason with its code. The grounds
are the nine of the contract (:mod:`.contract`), so a ground that no rule set
covers at all shows up too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from specreg.rulecheck.contract import contract_grounds
from specreg.ruleset import RuleSet
from specreg.workbench.runner import CaseResult


@dataclass(frozen=True)
class RuleCoverage:
    """How many cases fired one rule of one version."""

    version: str
    rule_id: str
    code: str
    is_warning: bool
    cases: int


@dataclass(frozen=True)
class Coverage:
    rules: tuple[RuleCoverage, ...]
    grounds: dict[str, int]  # ground code -> cases that gave a reason with it

    @property
    def percent(self) -> float:
        """Share of rules that fired at least once (100 when there are none)."""
        if not self.rules:
            return 100.0
        return 100.0 * sum(1 for rule in self.rules if rule.cases) / len(self.rules)

    @property
    def never_fired(self) -> list[RuleCoverage]:
        return [rule for rule in self.rules if not rule.cases]

    @property
    def grounds_not_exercised(self) -> list[str]:
        return [code for code, cases in self.grounds.items() if not cases]

    def as_json(self) -> dict:
        return {
            "percent": round(self.percent, 1),
            "rules": [vars(rule) for rule in self.rules],
            "never_fired": [f"{rule.version}:{rule.rule_id}" for rule in self.never_fired],
            "grounds": self.grounds,
            "grounds_not_exercised": self.grounds_not_exercised,
        }


def measure(results: Iterable[CaseResult], rulesets: list[RuleSet]) -> Coverage:
    """Coverage of every rule of every version, and of the nine grounds, over a run."""
    fired: Counter[tuple[str, str]] = Counter()
    grounds: Counter[str] = Counter()
    for result in results:
        fired.update(result.fired)
        grounds.update(set(result.codes))
    rules = tuple(
        RuleCoverage(ruleset.version, rule.id, rule.code, rule.is_warning, fired[(ruleset.version, rule.id)])
        for ruleset in rulesets
        for rule in ruleset.rules.values()
    )
    return Coverage(rules, {ground.code: grounds[ground.code] for ground in contract_grounds()})
