"""The decision: from the rules that fired to an outcome with its reasons.

Contract section 3: the outcome is ``refuse`` when any refusal ground holds,
``return`` when only return grounds hold, ``register`` otherwise. All grounds
that hold are reported, refusals first, one reason per ground code, whose
pointers and evidence list every cause. Warnings never change the outcome.
A reason's messages are rendered per language when first read: an answer
speaks one language of three, so the other two are never rendered.
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from specreg.engine import Match
from specreg.facts import DATE_FIELDS
from specreg.i18n import LANGUAGES, local_date
from specreg.ruleset import Ground, Rule, RuleSet

PRECEDENCE = ("refuse", "return")


@dataclass(frozen=True)
class Reason:
    """One ground that holds, with every cause found for it."""

    ground: Ground
    rule_ids: tuple[str, ...]
    message: Mapping[str, str]
    pointers: tuple[str, ...]
    evidence: dict[str, list[Any]]


@dataclass(frozen=True)
class ScreeningWarning:
    """Something the administrator should know that does not change the outcome."""

    code: str
    rule_ids: tuple[str, ...]
    message: Mapping[str, str]
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
    plan = _plan(ruleset)
    render = _Renderer(labels, plan.templates)
    reasons = []
    for ground, ground_rules in plan.grounds:
        rules = [rule for rule in ground_rules if rule.id in by_rule]
        if rules:
            reasons.append(_reason(ground, rules, by_rule, render))
    reasons.sort(key=lambda reason: PRECEDENCE.index(reason.ground.outcome))
    warnings = _warnings([rule for rule in plan.warnings if rule.id in by_rule], by_rule, render)
    outcome = reasons[0].ground.outcome if reasons else "register"
    return outcome, tuple(reasons), warnings


def _merged(match: Match) -> dict[str, Any]:
    """The facts of one firing as one mapping (a later alias wins a clash); read, never changed."""
    if len(match.facts) == 1:
        return next(iter(match.facts.values()))
    merged: dict[str, Any] = {}
    for fact in match.facts.values():
        merged.update(fact)
    return merged


@dataclass(frozen=True)
class _Template:
    """A message template split once: parameters filled in, fact fields left to each rendering."""

    text: str
    parameters: dict[str, str]
    fields: tuple[str, ...]
    constant: str | None  # the whole text when no fact field enters it


@dataclass(frozen=True)
class _Plan:
    """What ``decide`` reads of a rule set, worked out once per rule set instead of per screening."""

    grounds: tuple[tuple[Ground, tuple[Rule, ...]], ...]  # each ground with its rules, in file order
    warnings: tuple[Rule, ...]
    templates: dict[tuple[str, str], _Template]  # (rule id, language)


def _plan(ruleset: RuleSet) -> _Plan:
    """The rule set's plan, worked out once and kept with it (a reload brings new rule sets)."""
    return ruleset.prepare(_Plan, _build_plan)


def _build_plan(ruleset: RuleSet) -> _Plan:
    rules = list(ruleset.rules.values())
    return _Plan(
        grounds=tuple(
            (ground, tuple(r for r in rules if r.code == code and not r.is_warning))
            for code, ground in ruleset.grounds.items()
        ),
        warnings=tuple(rule for rule in rules if rule.is_warning),
        templates={(rule.id, lang): _template(rule.message[lang], ruleset.parameters)
                   for rule in rules for lang in LANGUAGES},
    )


def _template(text: str, parameters: dict[str, Any]) -> _Template:
    names = _placeholders(text)
    filled = {name: str(parameters[name]) for name in names if name in parameters}
    fields = tuple(name for name in names if name not in parameters)
    return _Template(text, filled, fields, None if fields else text.format_map(filled))


def _reason(ground: Ground, rules: list[Rule], by_rule: dict, render: _Renderer) -> Reason:
    evidence: dict[str, list[Any]] = {}
    for rule in rules:
        for fact in by_rule[rule.id]:
            for key, spec in rule.evidence.items():
                _add_unique(evidence.setdefault(key, []), _evidence_item(spec, fact))
    return Reason(
        ground=ground,
        rule_ids=tuple(rule.id for rule in rules),
        message=_Messages(render, rules, by_rule),
        pointers=_pointers(rules, by_rule),
        evidence=evidence,
    )


def _warnings(rules: list[Rule], by_rule: dict, render: _Renderer) -> tuple[ScreeningWarning, ...]:
    """One warning per cause: each names its own pointer (an absent key, say)."""
    return tuple(
        ScreeningWarning(
            code=rule.code, rule_ids=(rule.id,),
            message=_Messages(render, [rule], {rule.id: [fact]}),
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


class _Messages(Mapping[str, str]):
    """A message in each language, each rendered when first read (an answer reads one)."""

    __slots__ = ("_by_rule", "_render", "_rules", "_texts")

    def __init__(self, render: _Renderer, rules: list[Rule], by_rule: dict) -> None:
        self._render, self._rules, self._by_rule = render, rules, by_rule
        self._texts: dict[str, str] = {}

    def __getitem__(self, lang: str) -> str:
        text = self._texts.get(lang)
        if text is None:
            if lang not in LANGUAGES:
                raise KeyError(lang)
            text = self._texts[lang] = " ".join(
                self._render.render(rule, self._by_rule[rule.id], lang) for rule in self._rules)
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)

    def __repr__(self) -> str:
        return repr(dict(self))


class _Renderer:
    """Fills message templates: {field} is every distinct value of that fact field."""

    def __init__(self, labels: dict[str, dict[str, str]],
                 templates: dict[tuple[str, str], _Template]) -> None:
        self.labels = labels
        self.templates = templates

    def render(self, rule: Rule, facts: list[dict[str, Any]], lang: str) -> str:
        template = self.templates[rule.id, lang]
        if template.constant is not None:
            return template.constant
        values = dict(template.parameters)
        for name in template.fields:
            values[name] = self._value(name, facts, lang)
        return template.text.format_map(values)

    def _value(self, name: str, facts: list[dict[str, Any]], lang: str) -> str:
        found: list[str] = []
        for fact in facts:
            if fact.get(name) is not None:
                _add_unique(found, self._shown(name, fact[name], lang))
        return ", ".join(found) or "—"

    def _shown(self, name: str, value: Any, lang: str) -> str:
        """A fact's value as the reader's text writes it: a date locally, a code by its label."""
        if name in DATE_FIELDS:
            return local_date(value, lang)  # DD.MM.YYYY in kk and ru, ISO in English
        if isinstance(value, str) and value in self.labels:
            return self.labels[value][lang]
        return str(value)


def _placeholders(template: str) -> tuple[str, ...]:
    """The {names} of a message template (parsed once, into the rule set's plan)."""
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))
