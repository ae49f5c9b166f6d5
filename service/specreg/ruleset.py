"""Rule sets as data: read, check and compile ``rules/rulesets/*.yaml``.

A rule set file holds the grounds of p.9 (code, outcome, place in the Rules,
text), the rules that decide when each holds (a durable-rules condition over
the facts of :mod:`specreg.facts`), the warnings, and the parameters the
conditions use. At start-up each file is checked against
``schemas/ruleset.schema.json`` and for consistency, then compiled into the
engine. A file that fails stops start-up with its name: the service never
serves a partial rule set.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from specreg.engine import CompiledRules, EngineError, Match
from specreg.reference import DataFileError, load_data_file

OUTCOMES = ("return", "refuse")


@dataclass(frozen=True)
class Ground:
    """A ground of p.9 on which an application is returned or refused."""

    code: str
    outcome: str
    point: int
    subpoint: int
    indent: int
    text: dict[str, str]

    @property
    def paragraph(self) -> str:
        return f"p.{self.point} sp.{self.subpoint} ¶{self.indent}"


@dataclass(frozen=True)
class Rule:
    """When a ground (or, for a warning, a warning code) holds, and what to say."""

    id: str
    code: str
    condition: dict[str, Any]
    message: dict[str, str]
    locate: tuple[str, ...] = ("at",)
    evidence: dict[str, Any] = field(default_factory=dict)
    is_warning: bool = False


@dataclass
class RuleSet:
    """One version of the rules, compiled and ready to evaluate facts."""

    id: str
    version: str
    effective_from: date
    effective_until: date | None
    act: dict[str, Any]
    parameters: dict[str, Any]
    grounds: dict[str, Ground]
    rules: dict[str, Rule]
    source: Path
    compiled: CompiledRules | None = None

    def evaluate(self, facts: list[dict[str, Any]]) -> list[Match]:
        assert self.compiled is not None, "rule set used before compile()"
        return self.compiled.evaluate(facts)

    def compile(self) -> RuleSet:
        """Compile into the engine under a name unique to this file and version."""
        bodies = {rule.id: rule.condition for rule in self.rules.values()}
        try:
            self.compiled = CompiledRules(f"{self.id}@{self.version}", bodies)
        except EngineError as error:
            raise DataFileError(self.source, str(error)) from error
        return self

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day < self.effective_until)


def load_ruleset(path: Path) -> RuleSet:
    """Read one rule set file and check it; not yet compiled."""
    data = load_data_file(path, "ruleset.schema.json")
    grounds = {g["code"]: _ground(g) for g in data["grounds"]}
    parameters = data.get("parameters", {})
    rules: dict[str, Rule] = {}
    entries = [(r, False) for r in data["rules"]] + [(w, True) for w in data.get("warnings", [])]
    for entry, is_warning in entries:
        rule = _rule(entry, is_warning, parameters, path)
        if rule.id in rules:
            raise DataFileError(path, f"rule id {rule.id!r} is used twice")
        if not is_warning and rule.code not in grounds:
            raise DataFileError(path, f"rule {rule.id!r} names an unknown ground {rule.code!r}")
        rules[rule.id] = rule
    until = data.get("effective_until")
    return RuleSet(
        id=data["id"], version=data["version"],
        effective_from=_date(data["effective_from"], path),
        effective_until=_date(until, path) if until else None,
        act=data["act"], parameters=parameters, grounds=grounds, rules=rules, source=path,
    )


def load_rulesets(directory: Path) -> list[RuleSet]:
    """Every rule set file of a directory, compiled, in order of effective date."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise DataFileError(directory, "holds no rule set (*.yaml)")
    rulesets = sorted((load_ruleset(path) for path in files), key=lambda r: r.effective_from)
    return [ruleset.compile() for ruleset in rulesets]


def _ground(entry: dict[str, Any]) -> Ground:
    basis = entry["basis"]
    return Ground(
        entry["code"], entry["outcome"], basis["point"], basis["subpoint"], basis["indent"],
        entry["text"],
    )


def _rule(entry: dict[str, Any], is_warning: bool, parameters: dict[str, Any], path: Path) -> Rule:
    condition = _with_parameters(copy.deepcopy(entry["when"]), parameters, path, entry["id"])
    condition["pri"] = 1
    return Rule(
        id=entry["id"],
        code=entry["code"] if is_warning else entry["ground"],
        condition=condition,
        message=entry["message"],
        locate=tuple(entry.get("locate", ("at",))),
        evidence=entry.get("evidence", {}),
        is_warning=is_warning,
    )


def _with_parameters(node: Any, parameters: dict[str, Any], path: Path, rule_id: str) -> Any:
    """Replace every ``{$param: name}`` by the parameter's value."""
    if isinstance(node, dict):
        if set(node) == {"$param"}:
            name = node["$param"]
            if name not in parameters:
                raise DataFileError(path, f"rule {rule_id!r} uses an undefined parameter {name!r}")
            return parameters[name]
        return {key: _with_parameters(value, parameters, path, rule_id) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_parameters(item, parameters, path, rule_id) for item in node]
    return node


def _date(text: str, path: Path) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise DataFileError(path, f"{text!r} is not a date") from error
