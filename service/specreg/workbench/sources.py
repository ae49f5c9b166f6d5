"""What an impact replay screens: fixture cases, or a JSONL export of applications.

Both become :class:`Item` s, read lazily one at a time, so a night's export of
100k applications is never held in memory. A JSONL line is an application
payload, or ``{"application": {...}, "as_of": "YYYY-MM-DD"}`` to give it its
own day (an application never has a top-level ``application`` key, so the
two cannot be confused). Lines are read as strictly as the API reads a body
(:func:`specreg.jsonbody.parse_json`); a line that fails is not dropped: it
becomes an item that is unreadable under both rule sets, so the counts add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from specreg.jsonbody import BadRequestBody, parse_json
from specreg.workbench.cases import collect_cases

JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class Item:
    """One application to screen under both rule sets."""

    key: str  # the case name, or FILE:LINE of a JSONL line
    source: str
    payload: Any
    as_of: str | None  # as written; None: the replay's default day
    accept_language: str | None = None
    unreadable: str | None = None  # why a JSONL line could not be read

    @property
    def application_id(self) -> str | None:
        found = self.payload.get("application_id") if isinstance(self.payload, dict) else None
        return found if isinstance(found, str) else None


def is_jsonl(path: Path) -> bool:
    return str(path) == "-" or path.suffix.lower() in JSONL_SUFFIXES


def items_of(paths: list[Path], stdin: TextIO | None = None) -> Iterator[Item]:
    """Every item of fixture files or directories and JSONL files, in order."""
    for path in paths:
        if str(path) == "-" and stdin is not None:
            yield from jsonl_items(stdin, "-")
        elif is_jsonl(path):
            with path.open(encoding="utf-8") as handle:
                yield from jsonl_items(handle, path.name)
        else:
            yield from fixture_items(path)


def count_items(paths: list[Path]) -> int | None:
    """How many items there are (one quick pass over JSONL files), for the progress bar."""
    total = 0
    for path in paths:
        if str(path) == "-":
            return None
        if is_jsonl(path):
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += len(collect_cases([path]))
    return total


def fixture_items(path: Path) -> Iterator[Item]:
    for case in collect_cases([path]):
        yield Item(case.name, case.source.name, case.payload, case.as_of, case.accept_language)


def jsonl_items(lines: TextIO, name: str) -> Iterator[Item]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield _line_item(line, f"{name}:{number}", name)


def _line_item(line: str, key: str, source: str) -> Item:
    try:
        value = parse_json(line.encode("utf-8"))
    except BadRequestBody as error:
        return Item(key, source, None, None, unreadable=error.kind)
    if isinstance(value, dict) and "application" in value:
        as_of = value.get("as_of")
        return Item(key, source, value["application"], as_of if isinstance(as_of, str) else None)
    return Item(key, source, value, None)
