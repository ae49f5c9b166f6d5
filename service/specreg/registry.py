"""The registry entry: one specialist as a row of the appendix form of the Rules.

p.3 of the Rules keeps the registry in the form of its appendix, p.4 in
Kazakh and Russian, p.5 publishes it only with the consent of both the
organisation and the specialist. A screening that registers carries the entry
it would add (``registry_entry``), and ``specreg registry-export`` writes the
entries of registered applications as a table.

Each column has a structured ``value`` (JSON-ready: dates ISO, codes as codes)
for programs, and a ``text`` in kk and ru for people. The column labels and
the wording of the cells are data (``rules/reference/registry_form.yaml``);
only which value fills which column is code, because the payload fixes it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale

from specreg.data_files import DataDocument, DataFileError
from specreg.model import Application, Education, Employment, Qualification
from specreg.quotes import Quote
from specreg.reference import Profession, ReferenceData

if TYPE_CHECKING:
    from specreg.screening import Screening

FORM_FILE = Path("reference") / "registry_form.yaml"
FORM_LANGUAGES = ("kk", "ru")
COLUMN_KEYS = (
    "full_name", "birth_date", "contacts", "address", "profession", "experience",
    "education", "work_record", "qualification", "included_on",
)
DATE_COLUMNS = frozenset({"birth_date", "included_on"})

# The placeholders each template of the form file may use (checked at load).
_TEMPLATE_FIELDS: dict[str, set[str]] = {
    "basis": {"act_title", "citation", "as_of"},
    "texts.period": {"start", "end"},
    "texts.experience": {"years", "years_unit", "months", "months_unit"},
    "texts.education": {"level", "institution", "period", "document"},
    "texts.education_document": {"kind", "number", "issued_on"},
    "texts.work": {"organization", "bin", "position", "period"},
    "texts.qualification": {"category", "assigned_on", "authority"},
    "export_notes.not_json": {"line", "reason"},
    "export_notes.bad_line": {"line"},
    "export_notes.invalid_application": {"line", "errors"},
    "export_notes.no_ruleset": {"line", "registered_on"},
    "export_notes.not_registered": {"line", "registered_on", "outcome", "codes"},
    "export_notes.before_receipt": {"line", "registered_on"},
    "export_notes.duplicate": {"line", "first"},
    "export_notes.no_consent": {"line"},
    "export_notes.summary": {"written", "skipped", "withheld"},
}


@dataclass(frozen=True)
class FormColumn:
    """A column of the form: its fixed key and its label, quoted from the appendix."""

    key: str
    number: int
    label: Quote


class RegistryForm:
    """The form file, checked: labels, templates, units and the public export's omissions."""

    FILE = FORM_FILE

    def __init__(self, data: dict[str, Any], source: Path) -> None:
        self.data = data
        self.columns = tuple(
            FormColumn(column["key"], number, Quote.from_data(column["label"]))
            for number, column in enumerate(data["columns"], start=1)
        )
        self.title = Quote.from_data(data["title"])
        _check_columns(self.columns, source)
        _check_templates(data, source)
        self._plural = {lang: Locale.parse(lang).plural_form for lang in FORM_LANGUAGES}
        self._categories: dict[tuple[str, int], str] = {}  # (language, count): babel's plural category
        self._date_template = _date_template(data["date_format"])

    @classmethod
    def from_document(cls, document: DataDocument) -> RegistryForm:
        """The form of ``reference/registry_form.yaml``, as the rule directory read it."""
        return cls(document.data, document.path)

    def text(self, section: str, name: str, lang: str, **values: Any) -> str:
        """A template of a section (texts, export_notes), filled."""
        return self.data[section][name][lang].format(**values)

    def line(self, name: str, lang: str, **values: Any) -> str:
        """A top-level text (title, basis, public_note, row_number), filled."""
        return self.data[name][lang].format(**values)

    def date(self, day: date) -> str:
        """A date in the local format (DD.MM.YYYY)."""
        if self._date_template is not None and day.year >= 1000:  # strftime writes years below 1000 unpadded
            return self._date_template.format(day=day.day, month=day.month, year=day.year)
        return day.strftime(self.data["date_format"])

    def unit(self, name: str, lang: str, count: int) -> str:
        """The word after ``count`` (years, months) by the language's plural rule."""
        forms = self.data["units"][name][lang]
        category = self._categories.get((lang, count))
        if category is None:  # babel's rule costs as much as the rest of the cell; counts are few
            category = self._plural[lang](count)
            if 0 <= count < 1000:
                self._categories[lang, count] = category
        return forms.get(category, forms["other"])

    def label(self, table: str, code: str, lang: str) -> str:
        """The name of a coded value (education_levels, education_documents)."""
        return self.data[table][code][lang]

    def left_out(self) -> tuple[set[str], dict[str, set[str]]]:
        """What a public export leaves out: whole columns, and parts of columns."""
        columns: set[str] = set()
        parts: dict[str, set[str]] = {}
        for item in self.data["public_leaves_out"]:
            key, _, part = item.partition(".")
            if part:
                parts.setdefault(key, set()).add(part)
            else:
                columns.add(key)
        return columns, parts


_DATE_FIELDS = {"%d": "{day:02d}", "%m": "{month:02d}", "%Y": "{year}"}


def _date_template(date_format: str) -> str | None:
    """``date_format`` as a ``str.format`` template when it uses only %d, %m and %Y (else None).

    Filling it costs a fifth of ``strftime``, which a registry entry calls about ten times.
    """
    parts = []
    for part in re.split(r"(%.)", date_format):
        if part in _DATE_FIELDS:
            parts.append(_DATE_FIELDS[part])
        elif "%" in part or "{" in part or "}" in part:
            return None
        else:
            parts.append(part)
    return "".join(parts)


def _check_columns(columns: tuple[FormColumn, ...], source: Path) -> None:
    keys = [column.key for column in columns]
    if sorted(keys) != sorted(COLUMN_KEYS):
        missing = sorted(set(COLUMN_KEYS) - set(keys))
        raise DataFileError(source, f"columns: each of the ten keys exactly once (missing: {missing})")


def _check_templates(data: dict[str, Any], source: Path) -> None:
    """Every template uses only its own placeholders, so filling one never fails later."""
    for where, allowed in _TEMPLATE_FIELDS.items():
        node: Any = data
        for part in where.split("."):
            node = node[part]
        for lang, template in node.items():
            try:
                names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
            except ValueError as error:
                raise DataFileError(source, f"{where}.{lang}: {error}") from error
            unknown = names - allowed
            if unknown:
                raise DataFileError(
                    source, f"{where}.{lang}: unknown placeholder(s) {sorted(unknown)}; "
                    f"allowed: {sorted(allowed)}"
                )


@dataclass(frozen=True)
class Column:
    """One filled column: label and text in kk and ru, and the value behind the text."""

    key: str
    number: int
    label: dict[str, str]
    value: Any
    text: dict[str, str]


@dataclass(frozen=True)
class RegistryEntry:
    """A row of the registry: the form's columns in its order."""

    columns: tuple[Column, ...]

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


def entry_for(screening: Screening, form: RegistryForm, reference: ReferenceData) -> RegistryEntry | None:
    """The entry a screening would add to the registry: only when it registers."""
    if screening.decision.outcome != "register":
        return None
    return build_entry(screening.application, form, reference)


def build_entry(
    application: Application, form: RegistryForm, reference: ReferenceData,
    included_on: date | None = None, public: bool = False,
) -> RegistryEntry:
    """The entry of one application; ``public`` leaves out what p.5 publication must not show."""
    profession = reference.professions.match(application.specialist.profession)
    values = entry_values(application, profession, included_on)
    dropped: set[str] = set()
    if public:
        dropped, parts = form.left_out()
        for key, names in parts.items():
            values[key] = {k: v for k, v in values[key].items() if k not in names}
    cells = _Cells(form, reference)
    return RegistryEntry(tuple(
        Column(column.key, column.number, column.label.texts, values[column.key],
               {lang: cells.text(column.key, values[column.key], lang) for lang in FORM_LANGUAGES})
        for column in form.columns
        if column.key not in dropped
    ))


def entry_values(
    application: Application, profession: Profession | None, included_on: date | None
) -> dict[str, Any]:
    """The structured value of every column (JSON-ready), keyed by column key."""
    specialist = application.specialist
    contacts, address = specialist.contacts, specialist.address
    months = specialist.experience_months
    return {
        "full_name": {"last_name": specialist.last_name, "first_name": specialist.first_name,
                      "patronymic": specialist.patronymic},
        "birth_date": specialist.birth_date.isoformat(),
        "contacts": _present({"mobile_phone": contacts and contacts.mobile_phone,
                              "email": contacts and contacts.email}),
        "address": _present({"region": address and address.region,
                             "locality": address and address.locality,
                             "registration_address": address and address.registration_address}),
        "profession": _profession(profession, specialist.profession),
        "experience": {"months_total": months, "years": months // 12, "months": months % 12},
        "education": [_education(entry) for entry in specialist.education],
        "work_record": [_employment(entry) for entry in specialist.employment],
        "qualification": _qualification(specialist.qualification),
        "included_on": _iso(included_on),
    }


def _present(value: dict[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in value.items() if item}


def _profession(profession: Profession | None, written: str) -> dict[str, Any]:
    """The classifier's names; a name outside it (a rule set without that ground) as written."""
    if profession is None:
        return {"id": None, "kk": written, "ru": written}
    return {"id": profession.id, "kk": profession.kk, "ru": profession.ru}


def _education(entry: Education) -> dict[str, Any]:
    return {
        "level": entry.level, "institution": entry.institution,
        "started_on": entry.started_on.isoformat(), "finished_on": _iso(entry.finished_on),
        "document": {"kind": entry.document_kind, "series": entry.document_series,
                     "number": entry.document_number,
                     "issued_on": entry.document_issued_on.isoformat()},
    }


def _employment(entry: Employment) -> dict[str, Any]:
    return {
        "organization": entry.organization, "bin": entry.bin, "position": entry.position,
        "started_on": entry.started_on.isoformat(),
        "ended_on": _iso(entry.ended_on),
    }


def _qualification(claim: Qualification | None) -> dict[str, Any] | None:
    if claim is None:
        return None
    return {"category": claim.category, "assigned_on": claim.assigned_on.isoformat(),
            "commission": {"authority": claim.authority}}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


class _Cells:
    """Writes each column's value as the text of its cell, in kk or ru."""

    def __init__(self, form: RegistryForm, reference: ReferenceData) -> None:
        self.form, self.reference = form, reference

    def text(self, key: str, value: Any, lang: str) -> str:
        return getattr(self, key)(value, lang)

    def _date(self, iso: str | None) -> str:
        return self.form.date(date.fromisoformat(iso)) if iso else ""

    def _period(self, start: str, end: str | None, lang: str) -> str:
        end_text = self._date(end) if end else self.form.text("texts", "open_end", lang)
        return self.form.text("texts", "period", lang, start=self._date(start), end=end_text)

    def full_name(self, value: dict[str, Any], _: str) -> str:
        parts = (value["last_name"], value["first_name"], value["patronymic"])
        return " ".join(part for part in parts if part)

    def birth_date(self, value: str, _: str) -> str:
        return self._date(value)

    def included_on(self, value: str | None, _: str) -> str:
        return self._date(value)

    def contacts(self, value: dict[str, str], _: str) -> str:
        return ", ".join(value[key] for key in ("mobile_phone", "email") if key in value)

    def address(self, value: dict[str, str], lang: str) -> str:
        region = self.reference.regions.get(value.get("region", ""), {}).get(lang)
        parts = (region, value.get("locality"), value.get("registration_address"))
        return ", ".join(part for part in parts if part)

    def profession(self, value: dict[str, Any], lang: str) -> str:
        return value[lang]

    def experience(self, value: dict[str, int], lang: str) -> str:
        years, months = value["years"], value["months"]
        return self.form.text(
            "texts", "experience", lang, years=years, months=months,
            years_unit=self.form.unit("years", lang, years),
            months_unit=self.form.unit("months", lang, months),
        )

    def education(self, value: list[dict[str, Any]], lang: str) -> str:
        return "\n".join(self._education_entry(entry, lang) for entry in value)

    def _education_entry(self, entry: dict[str, Any], lang: str) -> str:
        document = entry["document"]
        number = " ".join(part for part in (document["series"], f"№ {document['number']}") if part)
        return self.form.text(
            "texts", "education", lang,
            level=self.form.label("education_levels", entry["level"], lang),
            institution=entry["institution"],
            period=self._period(entry["started_on"], entry["finished_on"], lang),
            document=self.form.text(
                "texts", "education_document", lang,
                kind=self.form.label("education_documents", document["kind"], lang),
                number=number, issued_on=self._date(document["issued_on"]),
            ),
        )

    def work_record(self, value: list[dict[str, Any]], lang: str) -> str:
        return "\n".join(
            self.form.text("texts", "work", lang, organization=entry["organization"],
                           bin=entry["bin"], position=entry["position"],
                           period=self._period(entry["started_on"], entry["ended_on"], lang))
            for entry in value
        )

    def qualification(self, value: dict[str, Any] | None, lang: str) -> str:
        if value is None:
            return self.form.text("texts", "no_category", lang)
        return self.form.text(
            "texts", "qualification", lang,
            category=self.reference.labels[value["category"]][lang],
            assigned_on=self._date(value["assigned_on"]),
            authority=value["commission"]["authority"],
        )
