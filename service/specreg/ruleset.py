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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from specreg.data_files import DataDocument, DataFileError
from specreg.engine import CompiledRules, EngineError, Match
from specreg.quotes import Quote

OUTCOMES = ("return", "refuse")


@dataclass(frozen=True)
class Ground:
    """A ground of p.9 on which an application is returned or refused, with the words of its indent."""

    code: str
    outcome: str
    point: int
    subpoint: int
    indent: int
    text: Quote

    @property
    def paragraph(self) -> str:
        """The stable place code of the contract (``p.9 sp.2 ¶4``); people read :meth:`Act.cite`."""
        return f"p.{self.point} sp.{self.subpoint} ¶{self.indent}"


@dataclass(frozen=True)
class Act:
    """The act a rule set applies: its citation, registration and title quoted, and how to cite it."""

    citation: Quote
    registration: Quote
    title: Quote
    citation_format: dict[str, str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Act:
        return cls(Quote.from_data(data["citation"]), Quote.from_data(data["registration"]),
                   Quote.from_data(data["title"]), data["citation_format"])

    def cite(self, ground: Ground, lang: str) -> str:
        """The ground's place as a reader of ``lang`` writes it: ru «п. 9 пп. 2) абз. 4 Правил»."""
        return self.citation_format[lang].format(
            point=ground.point, subpoint=ground.subpoint, indent=ground.indent)

    def as_json(self) -> dict[str, Any]:
        return {"citation": self.citation.as_json(), "registration": self.registration.as_json(),
                "title": self.title.as_json(), "citation_format": self.citation_format}


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
    act: Act
    parameters: dict[str, Any]
    grounds: dict[str, Ground]
    rules: dict[str, Rule]
    source: Path
    effective_from_basis: dict[str, Any] | None = None  # why effective_from is that day: a quote and a note
    status: str = "in_force"  # or "draft": never in force by date, picked only by name
    compiled: CompiledRules | None = None
    # What the stages after the engine work out of this version once (decide's plan, each ground's
    # basis in an answer), kept here so that a reload, which brings new rule sets, brings them anew.
    prepared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def prepare(self, key: Any, build: Callable[[RuleSet], Any]) -> Any:
        """``build(self)``, worked out on first use and kept with the rule set."""
        found = self.prepared.get(key)
        if found is None:
            found = self.prepared[key] = build(self)
        return found

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

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def in_force_on(self, day: date) -> bool:
        """In force by date on ``day``; a draft never is (it is tried by name only)."""
        if self.is_draft:
            return False
        return self.effective_from <= day and (self.effective_until is None or day < self.effective_until)


def load_ruleset(document: DataDocument) -> RuleSet:
    """One rule set file, already read and checked against its schema; not yet compiled."""
    data, path = document.data, document.path
    problems = list(parameter_problems(data.get("parameters", {})))
    if problems:
        where, message = problems[0]
        raise document.error(message, where, "parameter-type")
    parameters = parameter_values(data.get("parameters", {}))
    grounds = {g["code"]: _ground(g) for g in data["grounds"]}
    rules: dict[str, Rule] = {}
    entries = [(("rules", i), r, False) for i, r in enumerate(data["rules"])]
    entries += [(("warnings", i), w, True) for i, w in enumerate(data.get("warnings", []))]
    for where, entry, is_warning in entries:
        rule = _rule(entry, is_warning, parameters, document, where)
        if rule.id in rules:
            raise document.error(f"rule id {rule.id!r} is used twice", [*where, "id"])
        if not is_warning and rule.code not in grounds:
            raise document.error(f"rule {rule.id!r} names an unknown ground {rule.code!r}",
                                 [*where, "ground"])
        rules[rule.id] = rule
    until = data.get("effective_until")
    return RuleSet(
        id=data["id"], version=data["version"],
        effective_from=_date(data["effective_from"], document, "effective_from"),
        effective_until=_date(until, document, "effective_until") if until else None,
        act=Act.from_data(data["act"]), parameters=parameters, grounds=grounds, rules=rules, source=path,
        effective_from_basis=_effective_from_basis(data.get("effective_from_basis")),
        status=data.get("status", "in_force"),
    )


def order_rulesets(rulesets: list[RuleSet]) -> list[RuleSet]:
    """Rule sets in order of effective date (on equal dates, in file name order)."""
    return sorted(rulesets, key=lambda ruleset: ruleset.effective_from)


# --- typed parameters --------------------------------------------------------

_PARAMETER_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,), "number": (int, float), "boolean": (bool,), "string": (str,),
}


def parameter_problems(declared: dict[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    """Each parameter whose value is not of its declared type or outside its declared range.

    A wrong type must never pass: ``"three"``, ``true`` or ``1.0e9`` for a number of
    years would silently turn a ground off or on.
    """
    for name, spec in declared.items():
        if not isinstance(spec, dict) or "value" not in spec or spec.get("type") not in _PARAMETER_TYPES:
            continue  # the schema says what is missing
        value, kind = spec["value"], spec["type"]
        wanted = _PARAMETER_TYPES[kind]
        is_bool = isinstance(value, bool)
        if not isinstance(value, wanted) or (is_bool and kind != "boolean"):
            yield ["parameters", name, "value"], f"the parameter {name!r} must be of type {kind}"
            continue
        where: list[str | int] = ["parameters", name, "value"]
        if "minimum" in spec and value < spec["minimum"]:
            yield where, f"the parameter {name!r} is below its minimum {spec['minimum']}"
        if "maximum" in spec and value > spec["maximum"]:
            yield where, f"the parameter {name!r} is above its maximum {spec['maximum']}"


def parameter_values(declared: dict[str, Any]) -> dict[str, Any]:
    """The parameters' values by name, as the conditions and messages use them."""
    return {name: spec["value"] for name, spec in declared.items()}


def _effective_from_basis(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {"quote": Quote.from_data(data["quote"]).as_json(), "note": data["note"]}


def _ground(entry: dict[str, Any]) -> Ground:
    basis = entry["basis"]
    where = {"part": "rules", **basis}
    return Ground(
        entry["code"], entry["outcome"], basis["point"], basis["subpoint"], basis["indent"],
        Quote.from_data(entry["text"], where),
    )


def _rule(entry: dict[str, Any], is_warning: bool, parameters: dict[str, Any], document: DataDocument,
          where: tuple[str, int]) -> Rule:
    condition = _with_parameters(copy.deepcopy(entry["when"]), parameters, document, [*where, "when"])
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


def _with_parameters(node: Any, parameters: dict[str, Any], document: DataDocument,
                     where: list[str | int]) -> Any:
    """Replace every ``{$param: name}`` by the parameter's value."""
    if isinstance(node, dict):
        if set(node) == {"$param"}:
            name = node["$param"]
            if name not in parameters:
                raise document.error(f"the condition uses an undefined parameter {name!r}", where)
            return parameters[name]
        return {key: _with_parameters(value, parameters, document, [*where, key])
                for key, value in node.items()}
    if isinstance(node, list):
        return [_with_parameters(item, parameters, document, [*where, i]) for i, item in enumerate(node)]
    return node


def _date(text: str, document: DataDocument, key: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise document.error(f"{key} is not an existing date written YYYY-MM-DD", [key]) from None
