"""The registry as a table: ``specreg registry-export`` (p.3-p.5 of the Rules).

The input is JSON Lines, one registered application a line::

    {"registered_on": "2026-03-20", "application": { ...the screening payload... }}

``registered_on`` is the day an administrator registered the application: the
entry's date of inclusion, and the day it is screened for. Only a line that
screens ``register`` on that day becomes a row; every other line is reported
by its number (never by its content: it holds personal data) and the export
goes on. Blank lines are ignored.

The table has the form's columns in one language (kk or ru), dates in the
local format, and a header naming the act. A public export (p.5) holds only
entries whose organisation and specialist both consented to publication and
leaves out what the form file's ``public_leaves_out`` names (contact data and
the registration address).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from tqdm import tqdm

from specreg.calendar import ALMATY, today_in_almaty
from specreg.jsonbody import BadRequestBody, JsonFault, parse_as_of, parse_json
from specreg.model import Application
from specreg.registry import DATE_COLUMNS, RegistryForm, build_entry
from specreg.ruleset import Act
from specreg.screening import InvalidApplication, NoRuleSetInForce, Screener
from specreg.whole_file import write_whole

FORMATS = ("csv", "xlsx")
LINE_KEYS = {"registered_on", "application"}
_ERRORS_SHOWN = 10
_WIDTH_MIN, _WIDTH_MAX = 6, 60


@dataclass
class Table:
    """The export in one language: header lines, column labels, rows (dates as dates)."""

    sheet_name: str
    header: list[str]
    labels: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    date_format: str = "%d.%m.%Y"


@dataclass
class ExportResult:
    """What became of the input: rows written, lines skipped, entries withheld (no consent)."""

    written: int = 0
    skipped: int = 0
    withheld: int = 0


class _Skip(Exception):
    """A line that does not become a row; ``note`` names its message in the form file."""

    def __init__(self, note: str, **params: Any) -> None:
        super().__init__(note)
        self.note, self.params = note, params


class _Withheld(Exception):
    """A registered entry left out of a public export: a consent is missing (p.5)."""


def registry_table(
    source: Path, screener: Screener, form: RegistryForm, lang: str, public: bool = False,
    report: Callable[[str], None] | None = None, progress: bool | None = None,
) -> tuple[Table, ExportResult]:
    """Read the input and build the table; each line not exported is reported by number.

    ``progress`` None shows a progress bar only on a terminal.
    """
    report = report or _to_stderr
    table = _empty_table(screener, form, lang, public)
    result, first_seen = ExportResult(), {}
    for number, raw in _lines(source, progress):
        try:
            application, registered_on = _admit(raw, screener, public)
            _check_unique(application.application_id, number, first_seen)
        except _Skip as skip:
            result.skipped += 1
            params = {k: _said(v, form, screener, lang) for k, v in skip.params.items()}
            report(form.text("export_notes", skip.note, lang, line=number, **params))
            continue
        except _Withheld:
            result.withheld += 1
            report(form.text("export_notes", "no_consent", lang, line=number))
            continue
        entry = build_entry(application, form, screener.reference, registered_on, public)
        table.rows.append([len(table.rows) + 1, *(_cell(column, lang) for column in entry.columns)])
        result.written += 1
    return table, result


def _said(value: Any, form: RegistryForm, screener: Screener, lang: str) -> Any:
    """A note's parameter as the reader reads it: a date in the form's way, a JSON fault in words."""
    if isinstance(value, date):
        return form.date(value)
    if isinstance(value, JsonFault):
        return screener.directory.problems.json_fault_text(value, lang)
    return value


def summary(result: ExportResult, form: RegistryForm, lang: str) -> str:
    """The closing line of an export, in its language."""
    return form.text("export_notes", "summary", lang, written=result.written,
                     skipped=result.skipped, withheld=result.withheld)


def _to_stderr(note: str) -> None:
    tqdm.write(note, file=sys.stderr)


def _empty_table(screener: Screener, form: RegistryForm, lang: str, public: bool) -> Table:
    """The header (title, the act, the day) and the column labels in ``lang``."""
    today = today_in_almaty()
    act = _act(screener, today)
    header = [
        form.line("title", lang),
        form.line("basis", lang, act_title=act.title[lang], citation=act.citation[lang],
                  as_of=form.date(today)),
    ]
    if public:
        header.append(form.line("public_note", lang))
    dropped = form.left_out()[0] if public else set()
    labels = [form.line("row_number", lang)]
    labels += [column.label[lang] for column in form.columns if column.key not in dropped]
    return Table(form.line("sheet_name", lang), header, labels, date_format=form.data["date_format"])


def _act(screener: Screener, day: date) -> Act:
    """The act of the rule set in force on the day of the export (else the latest one)."""
    try:
        return screener.ruleset_for(day).act
    except NoRuleSetInForce:
        return screener.rulesets[-1].act


def _lines(source: Path, progress: bool | None) -> Iterator[tuple[int, bytes]]:
    """Numbered non-blank lines, with a progress bar over the bytes read."""
    total = source.stat().st_size
    with source.open("rb") as handle, tqdm(
        total=total, unit="B", unit_scale=True, file=sys.stderr, leave=False,
        disable=None if progress is None else not progress,
    ) as bar:
        for number, raw in enumerate(handle, start=1):
            bar.update(len(raw))
            if raw.strip():
                yield number, raw


def _admit(raw: bytes, screener: Screener, public: bool) -> tuple[Application, date]:
    """The application of a line that registers on its registration day, else _Skip/_Withheld."""
    try:
        line = parse_json(raw)
    except BadRequestBody as error:
        raise _Skip("not_json", reason=error.params.get("reason", error.kind)) from None
    registered_on = _registered_on(line)
    try:
        screening = screener.screen(line["application"], registered_on)
    except InvalidApplication as invalid:
        raise _Skip("invalid_application", errors=_listed(invalid)) from None
    except NoRuleSetInForce:
        raise _Skip("no_ruleset", registered_on=registered_on) from None
    decision, application = screening.decision, screening.application
    if decision.outcome != "register":
        codes = ", ".join(reason.ground.code for reason in decision.reasons)
        raise _Skip("not_registered", registered_on=registered_on, outcome=decision.outcome, codes=codes)
    if registered_on < application.received_at.astimezone(ALMATY).date():
        raise _Skip("before_receipt", registered_on=registered_on)
    if public and not (application.applicant.consent_to_publish
                       and application.specialist.consent_to_publish):
        raise _Withheld()
    return application, registered_on


def _registered_on(line: Any) -> date:
    """The line's registration day; a line of another shape is skipped."""
    if not isinstance(line, dict) or set(line) != LINE_KEYS:
        raise _Skip("bad_line")
    text = line["registered_on"]
    day = parse_as_of(text) if isinstance(text, str) else None
    if day is None:
        raise _Skip("bad_line")
    return day


def _listed(invalid: InvalidApplication) -> str:
    """The input errors as 'pointer code' pairs: where and what, never the value."""
    shown = [f"{error.pointer or '/'} {error.code}" for error in invalid.errors[:_ERRORS_SHOWN]]
    more = len(invalid.errors) - _ERRORS_SHOWN
    return "; ".join(shown) + (f"; … +{more}" if more > 0 else "")


def _check_unique(application_id: str, number: int, first_seen: dict[str, int]) -> None:
    """An application is entered once; a repeated one is reported with the first line's number."""
    if application_id in first_seen:
        raise _Skip("duplicate", first=first_seen[application_id])
    first_seen[application_id] = number


def _cell(column: Any, lang: str) -> Any:
    """A date column as a date (XLSX keeps it a date); every other column as its text."""
    if column.key in DATE_COLUMNS and column.value:
        return date.fromisoformat(column.value)
    return column.text[lang]


# --- writers ----------------------------------------------------------------


def write_csv(table: Table, target: Path) -> None:
    """CSV (RFC 4180, UTF-8 with a BOM so that spreadsheet programs read Cyrillic), written whole."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerows([line] for line in table.header)
    writer.writerow(table.labels)
    for row in table.rows:
        writer.writerow(
            [cell.strftime(table.date_format) if isinstance(cell, date) else cell for cell in row]
        )
    write_whole(target, text.getvalue().encode("utf-8-sig"))


def write_xlsx(table: Table, target: Path) -> None:
    """XLSX: the header lines, a bold label row frozen under them, dates as dates, fitted widths;
    written whole."""
    book = Workbook()
    sheet = book.active
    sheet.title = table.sheet_name
    for line in table.header:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(table.labels)
    label_row = len(table.header) + 1
    for cell in sheet[label_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    number_format = _excel_date_format(table.date_format)
    for row in table.rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, date):
                cell.number_format = number_format
    sheet.freeze_panes = f"A{label_row + 1}"
    for index, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    workbook = io.BytesIO()  # openpyxl leaves its zip file unclosed when a write fails: not to a disk
    book.save(workbook)
    write_whole(target, workbook.getvalue())


WRITERS: dict[str, Callable[[Table, Path], None]] = {"csv": write_csv, "xlsx": write_xlsx}


def _excel_date_format(strftime_format: str) -> str:
    """The form's strftime date format as an Excel number format (DD.MM.YYYY)."""
    return strftime_format.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")


def _widths(table: Table) -> list[float]:
    """Each column as wide as its longest line of text (labels wrap), within bounds."""
    widths = [min(len(label), 24) for label in table.labels]
    for row in table.rows:
        for index, cell in enumerate(row):
            text = cell.strftime(table.date_format) if isinstance(cell, date) else str(cell)
            longest = max((len(line) for line in text.split("\n")), default=0)
            widths[index] = max(widths[index], longest)
    return [float(min(max(width + 2, _WIDTH_MIN), _WIDTH_MAX)) for width in widths]
