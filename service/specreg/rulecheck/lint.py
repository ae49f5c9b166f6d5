"""``specreg lint``: a rule directory checked before it is deployed.

Every YAML file of the directory that has a schema (``rulesets/*.yaml``
against ``ruleset.schema.json``, any other ``NAME.yaml`` against
``NAME.schema.json``) is read by :mod:`specreg.data_files` (a key written
twice is an error) and checked against it. Drafts (``status: draft``) are
left out of the window checks: they are never in force by date.
Rule set files get the checks of :mod:`.ruleset_lint`; across them, versions
must be unique and their effective windows [effective_from, effective_until)
must not overlap (a gap is a warning: screenings of those days are refused).
If nothing is wrong so far, the directory is loaded and compiled exactly as
the service would load it, which catches whatever the static checks cannot.
Every finding names the file and the line.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from specreg.data_files import DataDocument, DataFileError, describe, read_document, schema_validator
from specreg.paths import SCHEMAS_DIR, links_out_of
from specreg.rulecheck.catalog_lint import catalog_problems
from specreg.rulecheck.ruleset_lint import Problem, check_ruleset
from specreg.screening import Screener

RULESET_SCHEMA = "ruleset.schema.json"
MESSAGES = "messages"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where (file, line) and what."""

    file: str
    line: int
    severity: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message} [{self.check}]"

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "severity": self.severity, "check": self.check,
                "message": self.message}


class LintFailed(DataFileError):
    """A rule directory with lint errors: the service neither starts on it nor reloads it."""

    def __init__(self, errors: list[Finding]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(Path(first.file), first.message, first.line, check=first.check)

    def __str__(self) -> str:
        """Every error, one ``FILE:LINE: error: message`` line each."""
        return "\n".join(f"{e.file}:{e.line}: error: {e.message}" for e in self.errors)


def require_clean(directory: Path) -> None:
    """Raise :class:`LintFailed` when the static checks find an error (the load is the caller's)."""
    errors = [f for f in lint_directory(directory, load=False) if f.severity == "error"]
    if errors:
        raise LintFailed(errors)


def lint_directory(directory: Path, load: bool = True) -> list[Finding]:
    """Every finding for a rule directory, sorted by file and line; ``load``: also compile it."""
    outside = links_out_of(directory)
    findings = [Finding(str(link), 1, "error", "link", "is a link to a file outside the rule directory; "
                        "it is not read") for link in outside]
    rulesets: list[DataDocument] = []
    root = directory.resolve()
    files = [(path, schema) for path, schema in _data_files(directory) if path.resolve().is_relative_to(root)]
    for path, schema in files:
        try:
            document = read_document(path, within=directory)
        except DataFileError as error:
            findings.append(Finding(str(path), error.line or 1, "error", error.check, error.message))
            continue
        findings += _file_findings(document, schema)
        if schema == RULESET_SCHEMA:
            rulesets.append(document)
    if not any(schema == RULESET_SCHEMA for _, schema in files):
        findings.append(Finding(str(directory / "rulesets"), 1, "error", "ruleset", "holds no rule set file"))
    findings += _version_findings(rulesets)
    if load and not any(finding.severity == "error" for finding in findings):
        findings += _load_findings(directory)
    return sorted(findings)


def checked_files(directory: Path) -> int:
    """How many files lint reads in a directory."""
    return sum(1 for _ in _data_files(directory))


def _data_files(directory: Path) -> Iterator[tuple[Path, str | None]]:
    """Every file to check and its schema; a message catalog is checked even without one."""
    for path in sorted((directory / "rulesets").glob("*.yaml")):
        yield path, RULESET_SCHEMA
    for path in sorted(directory.rglob("*.yaml")):
        if path.parent == directory / "rulesets":
            continue
        if (SCHEMAS_DIR / f"{path.stem}.schema.json").exists():
            yield path, f"{path.stem}.schema.json"
        elif path.parent == directory / MESSAGES:
            yield path, None


def _file_findings(document: DataDocument, schema: str | None) -> list[Finding]:
    found = []
    catalog = document.path.parent.name == MESSAGES
    errors = schema_validator(schema, SCHEMAS_DIR).iter_errors(document.data) if schema else ()
    for error in errors:
        said_plainer = (_message_language(error) if schema == RULESET_SCHEMA
                        else catalog and _catalog_language(error))
        if not said_plainer:
            found.append(_schema_finding(document, error))
    if schema == RULESET_SCHEMA and isinstance(document.data, dict):
        found += [_located(document, problem) for problem in check_ruleset(document.data)]
    if catalog:
        found += [_located(document, problem) for problem in catalog_problems(document.data)]
    return found


@cache
def _message_language(error: ValidationError) -> bool:
    """A missing or empty message language: the message check says it more plainly."""
    path = list(error.absolute_path)
    inside = bool(path) and (path[-1] == "message" or (len(path) > 1 and path[-2] == "message"))
    return inside and error.validator in ("required", "minLength", "type")


def _catalog_language(error: ValidationError) -> bool:
    """A catalog's text without kk or ru: :mod:`.catalog_lint` says it more plainly."""
    path = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        return bool(error.instance) and set(error.instance) <= {"kk", "ru", "en"}
    return bool(path) and path[-1] in ("kk", "ru") and error.validator in ("minLength", "type")


def _schema_finding(document: DataDocument, error: ValidationError) -> Finding:
    path = list(error.absolute_path)
    line = document.line(path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        if extra:
            line = document.key_line([*path, extra[0]])
    where = _where(document.data, path)
    return Finding(str(document.path), line, "error", "schema", f"{where}: {describe(error)}")


def _where(data: Any, path: list) -> str:
    """A path as an administrator reads it: ``rule 'x.y' message`` or ``grounds[2].basis``."""
    if len(path) >= 2 and path[0] in ("rules", "warnings") and isinstance(path[1], int):
        entry = data[path[0]][path[1]] if isinstance(data, dict) else None
        if isinstance(entry, dict) and "id" in entry:
            rest = ".".join(str(part) for part in path[2:])
            return f"rule {entry['id']!r}" + (f" {rest}" if rest else "")
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
    return text or "(top level)"


def _located(document: DataDocument, problem: Problem) -> Finding:
    line = document.key_line(problem.path) if problem.at_key else document.line(problem.path)
    return Finding(str(document.path), line, problem.severity, problem.check, problem.message)


@dataclass(frozen=True)
class _Window:
    document: DataDocument
    version: str
    start: date
    until: date | None
    draft: bool = False  # a draft is never in force by date: its window neither overlaps nor fills a gap

    def overlaps(self, other: _Window) -> bool:
        if self.draft or other.draft:
            return False
        return (other.until is None or self.start < other.until) and \
            (self.until is None or other.start < self.until)


def _version_findings(documents: list[DataDocument]) -> list[Finding]:
    found: list[Finding] = []
    windows: list[_Window] = []
    for document in documents:
        window = _window(document, found)
        if window is not None:
            windows.append(window)
    windows.sort(key=lambda w: w.start)
    for index, later in enumerate(windows):
        for earlier in windows[:index]:
            found += _pair_findings(earlier, later)
    in_force = [window for window in windows if not window.draft]
    for earlier, later in itertools.pairwise(in_force):
        if earlier.until is not None and earlier.until < later.start:
            found.append(_at(later, "effective_from", "warning", "dates",
                             f"no rule set is in force from {earlier.until} to "
                             f"{later.start - timedelta(days=1)}: screenings of those days are refused"))
    if in_force and in_force[-1].until is not None:
        found.append(_at(in_force[-1], "effective_until", "warning", "dates",
                         f"no rule set is in force from {in_force[-1].until} on"))
    return found


def _window(document: DataDocument, found: list[Finding]) -> _Window | None:
    data = document.data if isinstance(document.data, dict) else {}
    start, until = _date(data.get("effective_from")), _date(data.get("effective_until"))
    if start is None:
        found.append(Finding(str(document.path), document.line(["effective_from"]), "error", "dates",
                             "effective_from is not an existing date written YYYY-MM-DD"))
        return None
    if "effective_until" in data and until is None:
        found.append(Finding(str(document.path), document.line(["effective_until"]), "error", "dates",
                             "effective_until is not an existing date written YYYY-MM-DD"))
    window = _Window(document, str(data.get("version")), start, until, data.get("status") == "draft")
    if until is not None and until <= start:
        found.append(_at(window, "effective_until", "error", "dates",
                         f"effective_until {until} is not after effective_from {start}"))
    return window


def _pair_findings(earlier: _Window, later: _Window) -> list[Finding]:
    found = []
    where = f"{earlier.document.path.name}:{earlier.document.line(['version'])}"
    if earlier.version == later.version:
        found.append(_at(later, "version", "error", "dates",
                         f"the version {later.version!r} is also the version of {where}"))
    if earlier.overlaps(later):
        found.append(_at(later, "effective_from", "error", "dates",
                         f"version {later.version} takes effect on {later.start} while version "
                         f"{earlier.version} ({where}) is still in force: the windows overlap; end "
                         f"{earlier.version} with effective_until: \"{later.start}\""))
    return found


def _at(window: _Window, key: str, severity: str, check: str, message: str) -> Finding:
    return Finding(str(window.document.path), window.document.line([key]), severity, check, message)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _load_findings(directory: Path) -> list[Finding]:
    """Load and compile the directory as the service would; a failure names its file and line."""
    try:
        screener = Screener.from_directory(directory)
    except DataFileError as error:
        return [Finding(str(error.file), error.line or 1, "error", "load", error.message)]
    for ruleset in screener.rulesets:
        if ruleset.compiled is not None:
            ruleset.compiled.close()
    return []
