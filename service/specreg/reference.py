"""Reference data an administrator edits: the profession classifier, the
document catalog, regions and the labels of coded values.

Each is read from its YAML file under the rule directory, checked against its
JSON Schema in ``schemas/``, and held in memory as an immutable object. A file
that is missing or malformed raises :class:`DataFileError` naming the file, so
the service never starts with partial reference data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from specreg.names import normalise_name
from specreg.paths import rules_dir, schemas_dir

LANGUAGES = ("kk", "ru", "en")


class DataFileError(Exception):
    """A rule or reference file that cannot be used, with where and why."""

    def __init__(self, path: Path, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = path, problem, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


# Schemas that other data-file schemas refer to by name (``{"$ref": "quote.schema.json#/..."}``).
SHARED_SCHEMAS = ("quote.schema.json",)


@cache
def schema_validator(schema_name: str) -> Draft202012Validator:
    """The validator of one data-file schema, with the shared schemas it may refer to."""
    directory = schemas_dir()
    shared = [
        (name, Resource.from_contents(json.loads((directory / name).read_text(encoding="utf-8"))))
        for name in SHARED_SCHEMAS
    ]
    with (directory / schema_name).open(encoding="utf-8") as handle:
        return Draft202012Validator(json.load(handle), registry=Registry().with_resources(shared))


def load_data_file(path: Path, schema_name: str) -> dict[str, Any]:
    """Read a YAML data file and check it against its schema."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        raise DataFileError(path, f"cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise DataFileError(path, f"is not valid YAML: {error}", line) from error
    problems = sorted(schema_validator(schema_name).iter_errors(data), key=lambda e: e.path)
    if problems:
        first = problems[0]
        where = "/".join(str(part) for part in first.absolute_path) or "(top level)"
        raise DataFileError(path, f"{where}: {first.message}")
    return data


@dataclass(frozen=True)
class Profession:
    """One entry of the profession classifier."""

    id: str
    ru: str
    kk: str
    medical: bool
    medical_specialties: tuple[str, ...] = ()


class ProfessionClassifier:
    """Matches a written profession name to a classifier entry (contract 4a).

    It also knows which medical specialties cover each medical profession and
    which names mean medical activity as a whole, so that a court's ban on
    medical activity can be read «по заявляемой специальности» (p.9 sp.3 ¶3).
    """

    def __init__(self, entries: list[dict[str, Any]], medical_activity_terms: Sequence[str] = ()) -> None:
        self._by_name: dict[str, Profession] = {}
        self._specialties: dict[str, frozenset[str]] = {}
        for entry in entries:
            specialties = tuple(entry.get("medical_specialties", ()))
            profession = Profession(entry["id"], entry["ru"], entry["kk"], entry["medical"], specialties)
            for name in (entry["ru"], entry["kk"], *entry.get("synonyms", [])):
                self._by_name[normalise_name(name)] = profession
            self._specialties[profession.id] = frozenset(normalise_name(name) for name in specialties)
        self._generic = frozenset(normalise_name(term) for term in medical_activity_terms)

    @classmethod
    def from_file(cls, path: Path) -> ProfessionClassifier:
        data = load_data_file(path, "professions.schema.json")
        return cls(data["professions"], data["medical_activity_terms"])

    def match(self, name: str) -> Profession | None:
        """The entry whose ru or kk name or a synonym equals ``name`` after normalisation."""
        return self._by_name.get(normalise_name(name))

    def same_profession(self, first: str, second: str) -> bool:
        """True when both names match one entry, or are equal after normalisation."""
        left, right = self.match(first), self.match(second)
        if left is not None or right is not None:
            return left == right
        return normalise_name(first) == normalise_name(second)

    def means_medical_activity(self, name: str) -> bool:
        """True when ``name`` is a generic term for medical activity as a whole."""
        return normalise_name(name) in self._generic

    def covers(self, specialty: str, profession: Profession | None) -> bool:
        """True when ``specialty`` is a medical specialty the classifier lists for ``profession``."""
        if profession is None:
            return False
        return normalise_name(specialty) in self._specialties.get(profession.id, frozenset())


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document of the catalog, when it is required, and on what basis."""

    code: str
    required_when: str
    labels: dict[str, str]
    basis: dict[str, Any] | None = None  # an act and paragraph, or {policy: portal, note}

    @property
    def requirement(self) -> str:
        """The label code naming this kind with its basis inside a message."""
        return f"requirement:{self.code}"


class DocumentCatalog:
    """The document kinds an application may carry (contract section 4)."""

    def __init__(self, kinds: dict[str, dict[str, Any]]) -> None:
        self.kinds = tuple(
            DocumentKind(code, spec["required_when"], spec["labels"], spec.get("basis"))
            for code, spec in kinds.items()
        )

    @classmethod
    def from_file(cls, path: Path) -> DocumentCatalog:
        return cls(load_data_file(path, "documents.schema.json")["kinds"])

    def labels(self, policy: dict[str, str]) -> dict[str, dict[str, str]]:
        """Each kind's name, and each requirement's name with its basis: «справка … (требование портала)»."""
        names: dict[str, dict[str, str]] = {kind.code: kind.labels for kind in self.kinds}
        for kind in self.kinds:
            if kind.basis is not None:
                source = policy if "policy" in kind.basis else None
                names[kind.requirement] = {
                    lang: f"{label} ({source[lang] if source else _act_basis(kind.basis)})"
                    for lang, label in kind.labels.items()
                }
        return names


def _act_basis(basis: dict[str, Any]) -> str:
    return f"{basis['act']}, {basis['paragraph']}"


@dataclass(frozen=True)
class ReferenceData:
    """Everything the facts and messages need besides the rule set."""

    professions: ProfessionClassifier
    documents: DocumentCatalog
    regions: dict[str, dict[str, str]]
    labels: dict[str, dict[str, str]]

    @classmethod
    def load(cls, directory: Path | None = None) -> ReferenceData:
        """Read every reference file of a rule directory."""
        base = directory or rules_dir()
        documents = DocumentCatalog.from_file(base / "reference" / "documents.yaml")
        regions = load_data_file(base / "reference" / "regions.yaml", "regions.schema.json")
        labels = load_data_file(base / "messages" / "labels.yaml", "labels.schema.json")
        return cls(
            professions=ProfessionClassifier.from_file(base / "reference" / "professions.yaml"),
            documents=documents,
            regions=regions["regions"],
            labels={**labels["labels"], **documents.labels(labels["labels"]["portal_policy"])},
        )
