"""Reference data an administrator edits: the profession classifier, the
document catalog, regions and the labels of coded values.

Each is read from its YAML file under the rule directory by
:class:`specreg.rule_directory.RuleFiles` (checked against its JSON Schema in
``schemas/``) and held in memory as an immutable object. A file that is
missing or malformed raises :class:`specreg.data_files.DataFileError` naming
the file and line, so the service never starts with partial reference data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from specreg.names import normalise_name

if TYPE_CHECKING:
    from specreg.rule_directory import RuleFiles


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
    def from_data(cls, data: dict[str, Any]) -> ProfessionClassifier:
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
    def from_files(cls, files: RuleFiles) -> ReferenceData:
        """Read every reference file of a rule directory."""
        documents = DocumentCatalog(files.data("reference/documents.yaml", "documents.schema.json")["kinds"])
        labels = files.data("messages/labels.yaml", "labels.schema.json")["labels"]
        return cls(
            professions=ProfessionClassifier.from_data(
                files.data("reference/professions.yaml", "professions.schema.json")),
            documents=documents,
            regions=files.data("reference/regions.yaml", "regions.schema.json")["regions"],
            labels={**labels, **documents.labels(labels["portal_policy"])},
        )
