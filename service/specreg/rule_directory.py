"""The one owner of everything read from a rule directory.

A :class:`RuleDirectory` is built once from a path: the rule sets (compiled),
the reference data, the calendar overrides, every message catalog, the
registry form and the admin page's texts, each file read once through
:class:`RuleFiles` (confined to the directory, checked against its schema).
It is handed whole to the app, the CLI, the batch and the workbench; a reload
builds a new one beside the old and swaps it. No module reads the directory
on its own or keeps a copy of rule data.

Its :attr:`~RuleDirectory.digest` is a SHA-256 of the files it read (their
paths and bytes), so one request tells which rules a worker serves: every
answer's ``ruleset`` carries it, the decision log carries it, ``/readyz``
reports it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specreg.calendar import WorkingCalendar
from specreg.data_files import DataDocument, DataFileError, check_document, parse_document, read_text
from specreg.messages import InputErrorCatalog, ProblemCatalog
from specreg.paths import SCHEMAS_DIR, links_out_of
from specreg.reference import ReferenceData
from specreg.registry import RegistryForm
from specreg.ruleset import RuleSet, load_ruleset, order_rulesets

DIGEST_LENGTH = 16  # hex digits shown: enough to tell two directories apart, short enough to read


@dataclass
class RuleFiles:
    """Reads the files of one rule directory, each once and from inside it, and digests them."""

    root: Path
    schemas: Path = SCHEMAS_DIR
    _read: dict[str, bytes] = field(default_factory=dict)

    def document(self, relative: str | Path, schema: str) -> DataDocument:
        """One file of the directory, parsed and checked against ``schemas/<schema>``."""
        path = self.root / relative
        text = read_text(path, within=self.root)
        self._read[Path(relative).as_posix()] = text.encode("utf-8")
        return check_document(parse_document(path, text), schema, self.schemas)

    def data(self, relative: str | Path, schema: str) -> Any:
        return self.document(relative, schema).data

    def ruleset_files(self) -> list[Path]:
        """The rule set files (``rulesets/*.yaml``), relative to the directory, in name order."""
        found = sorted((self.root / "rulesets").glob("*.yaml"))
        if not found:
            raise DataFileError(self.root / "rulesets", "holds no rule set (*.yaml)")
        return [path.relative_to(self.root) for path in found]

    @property
    def digest(self) -> str:
        """SHA-256 over every file read, by path: the same content gives the same digest."""
        sha = hashlib.sha256()
        for name in sorted(self._read):
            sha.update(name.encode("utf-8") + b"\0" + self._read[name] + b"\0")
        return sha.hexdigest()[:DIGEST_LENGTH]


@dataclass(frozen=True)
class RuleDirectory:
    """Everything a rule directory holds, read once; see the module's docstring."""

    path: Path
    rulesets: tuple[RuleSet, ...]
    reference: ReferenceData
    calendar: WorkingCalendar
    registry_form: RegistryForm
    problems: ProblemCatalog
    input_errors: InputErrorCatalog
    admin_page: dict[str, dict[str, str]]
    digest: str

    @classmethod
    def read(cls, path: Path, schemas: Path = SCHEMAS_DIR) -> RuleDirectory:
        """Read and check every file, and compile the rule sets; a bad file raises DataFileError."""
        for link in links_out_of(Path(path)):  # none is read: its content would come back in errors
            raise DataFileError(link, "is a link to a file outside the rule directory; it is not read")
        files = RuleFiles(Path(path), schemas)
        rulesets = order_rulesets([load_ruleset(files.document(name, "ruleset.schema.json"))
                                   for name in files.ruleset_files()])
        directory = cls(
            path=Path(path),
            rulesets=tuple(rulesets),
            reference=ReferenceData.from_files(files),
            calendar=WorkingCalendar.from_document(files.document("calendar.yaml", "calendar.schema.json")),
            registry_form=RegistryForm.from_document(
                files.document(RegistryForm.FILE, "registry_form.schema.json")),
            problems=ProblemCatalog(files.data("messages/problems.yaml", "problems.schema.json")),
            input_errors=InputErrorCatalog(
                files.data("messages/input_errors.yaml", "input_errors.schema.json")),
            admin_page=files.data("messages/admin_page.yaml", "admin_page.schema.json")["texts"],
            digest=files.digest,
        )
        for ruleset in directory.rulesets:
            ruleset.compile()
        return directory
