"""The registry form: the appendix of the Rules as ``rules/reference/registry_form.yaml`` has it.

p.3 of the Rules keeps the registry in the form of its appendix, p.4 in Kazakh
and Russian. The form's title and column labels are quotes of the appendix
(Russian verbatim, Kazakh a working translation); the wording of the cells, the
units and what a public export leaves out are the administrators' data. This
module checks that file (the ten column keys, every template's placeholders)
and writes its texts; :mod:`specreg.registry.entry` fills the columns.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale

from specreg.data_files import DataDocument, DataFileError
from specreg.i18n import READER_LANGUAGES
from specreg.quotes import Quote

FORM_FILE = Path("reference") / "registry_form.yaml"
FORM_LANGUAGES = READER_LANGUAGES  # p.4: the registry is kept in Kazakh and Russian
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
