"""The explain trace of one screening (``?explain=full``).

An administrator asking "why this outcome?" needs to see what the rules saw:
the facts derived from the payload, and every rule of the rule set used with
whether it fired and on which facts. Facts are numbered by their place in the
list; a rule's ``matched`` names those numbers, so the trace reads the same
whatever language the answer is in.
"""

from __future__ import annotations

from typing import Any

from specreg.ruleset import Ground, Rule
from specreg.screening import Screening

EXPLAIN_LEVELS = ("full",)


def explain(screening: Screening) -> dict[str, Any]:
    """Facts and rules of one screening, as JSON-ready data."""
    matched: dict[str, list[int]] = {}
    for match in screening.matches:
        ids = matched.setdefault(match.rule, [])
        ids.extend(fact_id for fact_id in match.fact_ids if fact_id not in ids)
    ruleset = screening.decision.ruleset
    return {
        "ruleset": {"id": ruleset.id, "version": ruleset.version},
        "facts": [{"id": index, **fact} for index, fact in enumerate(screening.facts)],
        "rules": [
            _rule(rule, ruleset.grounds, sorted(matched.get(rule.id, [])))
            for rule in ruleset.rules.values()
        ],
    }


def _rule(rule: Rule, grounds: dict[str, Ground], fact_ids: list[int]) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": rule.id}
    if rule.is_warning:
        entry["code"] = rule.code
    else:
        entry["ground"] = rule.code
        entry["outcome"] = grounds[rule.code].outcome
    return entry | {"fired": bool(fact_ids), "matched": fact_ids}
