"""The decision: from the rules that fired to an outcome with its reasons.

Contract section 3: the outcome is ``refuse`` when any refusal ground holds,
``return`` when only return grounds hold, ``register`` otherwise. All grounds
that hold are reported, refusals first, one reason per ground code, whose
pointers and evidence list every cause. Warnings never change the outcome.
Messages are rendered in every language here; the response picks one.
"""

from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from specreg.engine import Match
from specreg.reference import LANGUAGES
from specreg.ruleset import Ground, Rule, RuleSet

PRECEDENCE = ("refuse", "return")


@dataclass(frozen=True)
class Reason:
    """One ground that holds, with every cause found for it."""

    ground: Ground
    rule_ids: tuple[str, ...]
    message: dict[str, str]
    pointers: tuple[str, ...]
    evidence: dict[str, list[Any]]


@dataclass(frozen=True)
class ScreeningWarning:
    """Something the administrator should know that does not change the outcome."""

    code: str
    rule_ids: tuple[str, ...]
    message: dict[str, str]
    pointers: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    application_id: str
    outcome: str
    as_of: date
    decision_due: date
    reasons: tuple[Reason, ...]
    warnings: tuple[ScreeningWarning, ...]
    ruleset: RuleSet


def decide(
    matches: list[Match], ruleset: RuleSet, labels: dict[str, dict[str, str]]
) -> tuple[str, tuple[Reason, ...], tuple[ScreeningWarning, ...]]:
    """Outcome, reasons (refusals first) and warnings from the engine's matches."""
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for match in matches:
        by_rule[match.rule].append(_merged(match))
    fired = [rule for rule in ruleset.rules.values() if rule.id in by_rule]
    render = _Renderer(labels, ruleset.parameters)
    reasons = [
        _reason(ground, [r for r in fired if r.code == code and not r.is_warning], by_rule, render)
        for code, ground in ruleset.grounds.items()
    ]
    reasons = sorted(
        (reason for reason in reasons if reason is not None),
        key=lambda reason: PRECEDENCE.index(reason.ground.outcome),
    )
    warnings = _warnings([r for r in fired if r.is_warning], by_rule, render)
    outcome = reasons[0].ground.outcome if reasons else "register"
    return outcome, tuple(reasons), warnings


def _merged(match: Match) -> dict[str, Any]:
    """The facts of one firing as one mapping (a later alias wins a clash)."""
    merged: dict[str, Any] = {}
    for fact in match.facts.values():
        merged.update(fact)
    return merged


def _reason(ground: Ground, rules: list[Rule], by_rule: dict, render: _Renderer) -> Reason | None:
    if not rules:
        return None
    evidence: dict[str, list[Any]] = {}
    for rule in rules:
        for fact in by_rule[rule.id]:
            for key, spec in rule.evidence.items():
                _add_unique(evidence.setdefault(key, []), _evidence_item(spec, fact))
    return Reason(
        ground=ground,
        rule_ids=tuple(rule.id for rule in rules),
        message=render.messages(rules, by_rule),
        pointers=_pointers(rules, by_rule),
        evidence=evidence,
    )


def _warnings(rules: list[Rule], by_rule: dict, render: _Renderer) -> tuple[ScreeningWarning, ...]:
    """One warning per cause: each names its own pointer (an absent key, say)."""
    return tuple(
        ScreeningWarning(
            code=rule.code, rule_ids=(rule.id,),
            message=render.messages([rule], {rule.id: [fact]}),
            pointers=_pointers([rule], {rule.id: [fact]}),
        )
        for rule in rules
        for fact in by_rule[rule.id]
    )


def _pointers(rules: list[Rule], by_rule: dict) -> tuple[str, ...]:
    pointers: list[str] = []
    for rule in rules:
        for fact in by_rule[rule.id]:
            for name in rule.locate:
                located = fact.get(name)
                for pointer in located if isinstance(located, list) else [located]:
                    if pointer is not None:
                        _add_unique(pointers, pointer)
    return tuple(pointers)


def _evidence_item(spec: str | dict[str, str], fact: dict[str, Any]) -> Any:
    if isinstance(spec, str):
        return fact.get(spec)
    return {key: fact.get(name) for key, name in spec.items()}


def _add_unique(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


class _Renderer:
    """Fills message templates: {field} is every distinct value of that fact field."""

    def __init__(self, labels: dict[str, dict[str, str]], parameters: dict[str, Any]) -> None:
        self.labels = labels
        self.parameters = parameters

    def messages(self, rules: list[Rule], by_rule: dict) -> dict[str, str]:
        return {
            lang: " ".join(self._render(rule, by_rule[rule.id], lang) for rule in rules)
            for lang in LANGUAGES
        }

    def _render(self, rule: Rule, facts: list[dict[str, Any]], lang: str) -> str:
        template = rule.message[lang]
        values = {name: self._value(name, facts, lang) for name in _placeholders(template)}
        return template.format_map(values)

    def _value(self, name: str, facts: list[dict[str, Any]], lang: str) -> str:
        if name in self.parameters:
            return str(self.parameters[name])
        found: list[str] = []
        for fact in facts:
            if fact.get(name) is not None:
                _add_unique(found, self._label(fact[name], lang))
        return ", ".join(found) or "—"

    def _label(self, value: Any, lang: str) -> str:
        if isinstance(value, str) and value in self.labels:
            return self.labels[value][lang]
        return str(value)


@lru_cache(maxsize=1024)
def _placeholders(template: str) -> tuple[str, ...]:
    """The {names} of a message template, parsed once per template (each screening renders many)."""
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))
