"""Fixture cases: applications with the answer the rules must give.

Administrators read and extend them (``fixtures/*.yaml``; the format is in
``fixtures/README.md``). A case names a base application from
``fixtures/bases/`` and an RFC 6902 JSON Patch to apply to it (or gives the
whole application), the day it is screened ``as_of``, and what is expected.
The same cases run under pytest (``fixtures/conftest.py``) and from the
command line (``specreg test``, ``specreg diff``: :mod:`specreg.workbench`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonpatch
import yaml


class CaseFileError(Exception):
    """A fixture file that cannot be read, naming the file and the case."""


@dataclass(frozen=True)
class Case:
    """One screening and what it must give."""

    name: str
    source: Path
    as_of: str | None
    payload: Any
    expect: dict[str, Any]
    accept_language: str | None = None
    description: str | dict[str, str] = ""  # one text, or {kk, ru[, en]}
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def query(self) -> str:
        return f"?as_of={self.as_of}" if self.as_of else ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Accept-Language": self.accept_language} if self.accept_language else {}


def collect_cases(paths: list[Path]) -> list[Case]:
    """Every case of the given fixture files and directories (``*.yaml`` in name order)."""
    cases: list[Case] = []
    for path in paths:
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            cases += load_cases(file)
    return cases


def load_cases(path: Path) -> list[Case]:
    """Every case of one fixture file."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CaseFileError(f"{path}: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        raise CaseFileError(f"{path}: a fixture file is a mapping with a list under 'cases'")
    return [_case(entry, path) for entry in document["cases"]]


def _case(entry: dict[str, Any], path: Path) -> Case:
    name = entry.get("name")
    if not name or "expect" not in entry:
        raise CaseFileError(f"{path}: every case needs a name and an expect block ({name!r})")
    try:
        payload = _payload(entry, path)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as error:
        raise CaseFileError(f"{path}: case {name!r}: the patch does not apply: {error}") from error
    as_of = entry.get("as_of")
    return Case(
        name=name, source=path, as_of=None if as_of is None else str(as_of),
        payload=payload, expect=_plain(entry["expect"]),
        accept_language=entry.get("accept_language"),
        description=_description(entry.get("description", ""), name, path),
        tags=tuple(entry.get("tags", ())),
    )


def _description(value: Any, name: str, path: Path) -> str | dict[str, str]:
    """One text, or a mapping of texts by language with non-empty ``kk`` and ``ru``.

    The admin page shows a mapping's text in the page's language, so a mapping that
    lacks one of the two languages administrators work in would show them nothing.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise CaseFileError(
            f"{path}: case {name!r}: description must be a text or a mapping {{kk, ru, en}}"
        )
    for language in ("kk", "ru"):
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            raise CaseFileError(
                f"{path}: case {name!r}: description has no {language!r} text"
            )
    for language, text in value.items():
        if not isinstance(language, str) or not isinstance(text, str):
            raise CaseFileError(
                f"{path}: case {name!r}: description {language!r} must be a text"
            )
    return dict(value)


def _payload(entry: dict[str, Any], path: Path) -> Any:
    if "application" in entry:
        return _plain(entry["application"])
    base = copy.deepcopy(_base(base_path(path, entry.get("base", "full"))))
    return jsonpatch.apply_patch(base, _plain(entry.get("patch", [])))


def base_path(fixture: Path, name: object) -> Path:
    """``fixtures/bases/NAME.json`` beside the fixture file, and nowhere else.

    A name is a file name: ``../../x`` or an absolute path would read any JSON file,
    and so would a link out of ``bases/``.
    """
    bases = fixture.parent / "bases"
    if not isinstance(name, str) or not name or Path(name).name != name or name.startswith("."):
        raise CaseFileError(f"{fixture}: base {name!r} is not the name of a file in {bases}")
    target = bases / f"{name}.json"
    if not target.resolve().is_relative_to(bases.resolve()):
        raise CaseFileError(f"{fixture}: base {name!r} leads out of {bases}")
    return target


@cache
def _base(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CaseFileError(f"{path}: base application cannot be read: {error}") from error


def _plain(value: Any) -> Any:
    """YAML dates and times as the strings a JSON payload would carry."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


class Difference(str):
    """One way an answer differs from a case: the English line, and its parts to say it otherwise.

    A ``str``, so pytest's report, JUnit and JSON take it as the line it always was;
    ``key`` (``status``, ``outcome``, ``codes``, ``warnings``, ``decision_due``,
    ``as_of``, ``pointers``, ``evidence``, ``errors``), ``code`` (the ground, for
    pointers and evidence), ``expected`` and ``got`` let the workbench write it in
    the reader's language (:mod:`specreg.workbench.report`).
    """

    key: str
    code: str | None
    expected: Any
    got: Any

    def __new__(cls, key: str, expected: Any, got: Any, code: str | None = None) -> Difference:
        if code is not None:
            text = f"{key} of {code}: expected {expected}, got {got}"
        elif key in ("status", "errors"):
            text = f"{key}: expected {expected}, got {got}"
        else:
            text = f"{key}: expected {expected!r}, got {got!r}"
        line = super().__new__(cls, text)
        line.key, line.code, line.expected, line.got = key, code, expected, got
        return line

    def __reduce__(self) -> tuple:
        return Difference, (self.key, self.expected, self.got, self.code)


def differences(case: Case, status: int, body: Any) -> list[Difference]:
    """What in an answer differs from the case's expectations (empty: it passes)."""
    expect = case.expect
    found: list[Difference] = []
    want_status = expect.get("status", 200)
    if status != want_status:
        return [Difference("status", want_status, status)]
    if status == 200:
        found += _compare_decision(expect, body)
    elif "problem" in expect and not str(body.get("type", "")).endswith(":" + expect["problem"]):
        found.append(Difference("problem", expect["problem"], body.get("type")))
    if "errors" in expect:
        got = sorted((e["pointer"], e["code"]) for e in body.get("errors", []))
        want = sorted((e["pointer"], e["code"]) for e in expect["errors"])
        if got != want:
            found.append(Difference("errors", want, got))
    return found


def _warnings(expected: Any, warnings: list[dict[str, Any]]) -> list[Any]:
    """Warnings as the case writes them: codes alone, or {code, pointers} mappings."""
    if expected and isinstance(expected[0], dict):
        return [{"code": w["code"], "pointers": w["pointers"]} for w in warnings]
    return [warning["code"] for warning in warnings]


def _compare_decision(expect: dict[str, Any], body: dict[str, Any]) -> list[Difference]:
    found = []
    reasons = {reason["code"]: reason for reason in body["reasons"]}
    checks = {
        "outcome": body["outcome"],
        "codes": [reason["code"] for reason in body["reasons"]],
        "warnings": _warnings(expect.get("warnings"), body["warnings"]),
        "decision_due": body["decision_due"],
        "as_of": body["as_of"],
    }
    for key, got in checks.items():
        if key in expect and expect[key] != got:
            found.append(Difference(key, expect[key], got))
    for code, pointers in expect.get("pointers", {}).items():
        got = reasons.get(code, {}).get("pointers")
        if got != pointers:
            found.append(Difference("pointers", pointers, got, code))
    for code, evidence in expect.get("evidence", {}).items():
        got = reasons.get(code, {}).get("evidence")
        if got != evidence:
            found.append(Difference("evidence", evidence, got, code))
    for code, basis in expect.get("basis", {}).items():
        got = reasons.get(code, {}).get("basis")
        if not _holds(basis, got):
            found.append(Difference("basis", basis, got, code))
    if "ruleset" in expect and not _holds(expect["ruleset"], body.get("ruleset")):
        found.append(Difference("ruleset", expect["ruleset"], body.get("ruleset")))
    found += _compare_entry(expect.get("registry_entry"), body.get("registry_entry"))
    return found


def _compare_entry(expected: dict[str, Any] | None, entry: dict[str, Any] | None) -> list[Difference]:
    """Per column key, the given parts of the column (number, label, text, value) of ``registry_entry``."""
    if expected is None:
        return []
    if entry is None:
        return [Difference("registry_entry", expected, None)]
    columns = {column["key"]: column for column in entry["columns"]}
    return [
        Difference("registry_entry", column, columns.get(key), key)
        for key, column in expected.items() if not _holds(column, columns.get(key))
    ]


def _holds(expected: Any, got: Any) -> bool:
    """``got`` has every key the expectation gives, with equal values (mappings compared key by key)."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(key in got and _holds(value, got[key])
                                             for key, value in expected.items())
    return expected == got
