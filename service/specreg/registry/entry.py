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

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from specreg.model import Application, Education, Employment, Qualification
from specreg.reference import Profession, ReferenceData
from specreg.registry.form import FORM_LANGUAGES, RegistryForm

if TYPE_CHECKING:
    from specreg.screening import Screening


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
