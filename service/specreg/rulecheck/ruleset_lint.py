"""What ``specreg lint`` checks inside one rule set file, beyond its JSON Schema.

* grounds: each is one of the nine of the contract, with the contract's
  outcome and place in p.9; all nine are declared; none twice;
* rules: each cites exactly one declared ground (a rule has ``ground``, a
  warning ``code``, never a ground's code), ids are unique, and every ground
  is decided by some rule;
* conditions: every fact type and field they name is one the facts module
  produces (``specreg.facts.FACT_FIELDS``), every operator is one the rule
  language has, every ``{$param: name}`` is defined; ``locate`` and
  ``evidence`` name fields of the facts the rule matches;
* parameters: each value of its declared type and within its declared range;
* messages: kk, ru and en present, and each ``{placeholder}`` is a field of
  those facts or a parameter.

Each problem carries the path of the value it is about, which the caller
turns into a line with :class:`specreg.data_files.DataDocument`.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from specreg.facts import FACT_FIELDS
from specreg.i18n import LANGUAGES
from specreg.rulecheck.contract import ContractGround, contract_grounds
from specreg.ruleset import parameter_problems

LOGIC = ("$and", "$or")
FIELD_OPERATORS = ("$lt", "$lte", "$gt", "$gte", "$eq", "$neq", "$ex", "$nex", "$mt", "$imt")
SECTIONS = ("rules", "warnings")


@dataclass(frozen=True)
class Problem:
    path: tuple[str | int, ...]
    check: str
    message: str
    severity: str = "error"
    at_key: bool = False  # point at the key's line rather than its value's


def check_ruleset(data: dict[str, Any]) -> Iterator[Problem]:
    """Every problem of one rule set file's data (which may itself break the schema)."""
    declared = yield from _grounds(data)
    entries = list(_entries(data))
    yield from _citations(entries, declared)
    yield from _duplicate_ids(entries)
    yield from _coverage(entries)
    declared = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    for where, message in parameter_problems(declared):
        yield Problem(tuple(where), "parameter-type", message)
    parameters = {name: spec.get("value") for name, spec in declared.items() if isinstance(spec, dict)}
    for path, entry in entries:
        yield from _rule_fields(path, entry, parameters)
        yield from _messages(path, entry, _fields_of(entry), parameters)


def _contract() -> dict[str, ContractGround]:
    return {ground.code: ground for ground in contract_grounds()}


def _entries(data: dict[str, Any]) -> Iterator[tuple[tuple[str, int], dict[str, Any]]]:
    for section in SECTIONS:
        listed = data.get(section)
        for index, entry in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(entry, dict):
                yield (section, index), entry


def _grounds(data: dict[str, Any]) -> Iterator[Problem]:
    contract, declared = _contract(), set()
    listed = data.get("grounds") if isinstance(data.get("grounds"), list) else []
    for index, ground in enumerate(listed):
        code = ground.get("code") if isinstance(ground, dict) else None
        if code is None:
            continue
        path = ("grounds", index)
        if code in declared:
            yield Problem((*path, "code"), "ground", f"the ground {code!r} is declared twice")
        declared.add(code)
        if code not in contract:
            yield Problem((*path, "code"), "ground", f"{code!r} is not one of the nine grounds of p.9 "
                          f"the contract fixes ({', '.join(contract)}); no other ground may return or refuse")
        else:
            yield from _ground_place(path, ground, contract[code])
    for code, ground in contract.items():
        if code not in declared:
            yield Problem(("grounds",), "ground", f"the contract's ground {code!r} ({ground.paragraph}) "
                          "is not declared", at_key=True)
    return declared


def _ground_place(path: tuple, ground: dict[str, Any], contract: ContractGround) -> Iterator[Problem]:
    code = contract.code
    if ground.get("outcome") != contract.outcome:
        yield Problem((*path, "outcome"), "ground", f"the ground {code!r} is a {contract.outcome} ground "
                      f"({contract.paragraph}), not {ground.get('outcome')!r}")
    basis = ground.get("basis") if isinstance(ground.get("basis"), dict) else {}
    place = (basis.get("point"), basis.get("subpoint"), basis.get("indent"))
    if place != (contract.point, contract.subpoint, contract.indent):
        written = "p.{} sp.{} ¶{}".format(*place)
        yield Problem((*path, "basis"), "ground",
                      f"the ground {code!r} stands in {contract.paragraph} of the Rules, not {written}")


def _citations(entries: list, declared: set[str]) -> Iterator[Problem]:
    contract = _contract()
    for path, entry in entries:
        name = _name(entry)
        if path[0] == "rules":
            if "code" in entry:
                yield Problem((*path, "code"), "ground", f"{name} is a rule: it cites its ground with "
                              "`ground`, not `code` (a warning's)", at_key=True)
            ground = entry.get("ground")
            if ground is not None and ground not in declared:
                yield Problem((*path, "ground"), "ground",
                              f"{name} cites {ground!r}, which is not a ground declared in this file")
        else:
            if "ground" in entry:
                yield Problem((*path, "ground"), "ground", f"{name} is a warning and cannot cite a ground: "
                              "warnings never change the outcome", at_key=True)
            if entry.get("code") in contract:
                yield Problem((*path, "code"), "ground", f"{name} is a warning but uses the ground code "
                              f"{entry['code']!r}; give it a code of its own")


def _duplicate_ids(entries: list) -> Iterator[Problem]:
    seen: dict[str, tuple] = {}
    for path, entry in entries:
        rule_id = entry.get("id")
        if not isinstance(rule_id, str):
            continue
        if rule_id in seen:
            first = "{}[{}]".format(*seen[rule_id])
            yield Problem((*path, "id"), "duplicate-id",
                          f"the id {rule_id!r} is used twice in this file (first at {first})")
        else:
            seen[rule_id] = path


def _coverage(entries: list) -> Iterator[Problem]:
    decided = {entry.get("ground") for path, entry in entries if path[0] == "rules"}
    for code, ground in _contract().items():
        if code not in decided:
            yield Problem(("rules",), "coverage", f"no rule decides the ground {code!r} "
                          f"({ground.paragraph}): it could never hold", at_key=True)


def _aliases(entry: dict[str, Any]) -> Iterator[tuple[tuple, Any]]:
    when = entry.get("when") if isinstance(entry.get("when"), dict) else {}
    for mode in ("all", "any"):
        clauses = when.get(mode)
        for index, clause in enumerate(clauses if isinstance(clauses, list) else []):
            for alias, condition in (clause.items() if isinstance(clause, dict) else []):
                yield ("when", mode, index, alias), condition


def _types_named(condition: Any) -> set[str]:
    """The fact types a condition asks for with ``{t: type}``, at any depth of $and and $or."""
    found: set[str] = set()
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("t"), str):
                found.add(node["t"])
            for key in LOGIC:
                if isinstance(node.get(key), list):
                    stack.extend(node[key])
    return found


def _fields_of(entry: dict[str, Any]) -> tuple[set[str], str]:
    """The fields of every fact type the rule can match, and the types for messages."""
    types: set[str] = set()
    for _, condition in _aliases(entry):
        named = _types_named(condition) & set(FACT_FIELDS)
        types |= named or set(FACT_FIELDS)
    fields = {"t"} | {field for kind in types for field in FACT_FIELDS[kind]}
    return fields, " or ".join(sorted(types)) or "any"


def _rule_fields(path: tuple, entry: dict[str, Any], parameters: dict) -> Iterator[Problem]:
    name = _name(entry)
    for where, condition in _aliases(entry):
        for kind in sorted(_types_named(condition) - set(FACT_FIELDS)):
            yield Problem(path + where, "fact-field", f"{name}: no fact has the type {kind!r}; "
                          f"the types are {', '.join(FACT_FIELDS)}")
        named = _types_named(condition) & set(FACT_FIELDS) or set(FACT_FIELDS)
        fields = {"t"} | {field for kind in named for field in FACT_FIELDS[kind]}
        label = " or ".join(sorted(named)) if len(named) < len(FACT_FIELDS) else "any"
        yield from _walk(condition, path + where, fields, label, parameters, name)
    fields, label = _fields_of(entry)
    for index, field in enumerate(entry.get("locate") or []):
        if field not in fields or not (field == "at" or str(field).endswith("_at")):
            yield Problem((*path, "locate", index), "fact-field", f"{name}: locate names {field!r}, which is "
                          f"no pointer field (at, *_at) of the {label} fact")
    yield from _evidence_fields(path, entry, fields, label, name)


def _evidence_fields(path: tuple, entry: dict, fields: set[str], label: str, name: str) -> Iterator[Problem]:
    evidence = entry.get("evidence") if isinstance(entry.get("evidence"), dict) else {}
    for key, spec in evidence.items():
        named = spec.items() if isinstance(spec, dict) else [(None, spec)]
        for sub, field in named:
            if field not in fields:
                where = path + ("evidence", key) + ((sub,) if sub else ())
                yield Problem(where, "fact-field", f"{name}: evidence reads {field!r}, which the {label} "
                              "fact does not have")


def _walk(node: Any, path: tuple, fields: set[str], label: str, parameters: dict, name: str
          ) -> Iterator[Problem]:
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in LOGIC:
            for index, part in enumerate(value if isinstance(value, list) else []):
                yield from _walk(part, (*path, key, index), fields, label, parameters, name)
        elif key in FIELD_OPERATORS:
            for field, operand in (value.items() if isinstance(value, dict) else []):
                yield from _field(field, operand, (*path, key, field), fields, label, parameters, name)
        elif str(key).startswith("$"):
            yield Problem((*path, key), "condition", f"{name}: {key!r} is not an operator of the rule "
                          f"language ({', '.join(LOGIC + FIELD_OPERATORS)})", at_key=True)
        else:
            yield from _field(key, value, (*path, key), fields, label, parameters, name)


def _field(field: str, operand: Any, path: tuple, fields: set[str], label: str, parameters: dict,
           name: str) -> Iterator[Problem]:
    if field not in fields:
        known = ", ".join(sorted(fields - {"t"}))
        yield Problem(path, "fact-field", f"{name}: the {label} fact has no field {field!r} "
                      f"(its fields: {known})", at_key=True)
    if isinstance(operand, dict) and set(operand) == {"$param"} and operand["$param"] not in parameters:
        yield Problem(path, "parameter", f"{name}: the parameter {operand['$param']!r} is not defined "
                      "under parameters")


def _messages(path: tuple, entry: dict[str, Any], fields_label: tuple[set[str], str],
              parameters: dict) -> Iterator[Problem]:
    message = entry.get("message")
    if not isinstance(message, dict):
        return  # absent or not a mapping: the schema check reports it
    fields, label = fields_label
    for language in LANGUAGES:
        text = message.get(language)
        if not isinstance(text, str) or not text.strip():
            yield Problem((*path, "message"), "message",
                          f"{_name(entry)}: the message in {language} is missing or empty", at_key=True)
        else:
            yield from _placeholders(text, (*path, "message", language), fields, label, parameters, entry)


def _placeholders(text: str, path: tuple, fields: set[str], label: str, parameters: dict,
                  entry: dict) -> Iterator[Problem]:
    name = _name(entry)
    try:
        names = [part[1] for part in string.Formatter().parse(text) if part[1] is not None]
    except ValueError as error:
        yield Problem(path, "placeholder", f"{name}: {error} (write a literal brace as {{{{ or }}}})")
        return
    for placeholder in names:
        if placeholder not in fields and placeholder not in parameters:
            yield Problem(path, "placeholder", f"{name}: the placeholder {{{placeholder}}} is no field of "
                          f"the {label} fact and no parameter")


def _name(entry: dict[str, Any]) -> str:
    return f"rule {entry.get('id')!r}"
