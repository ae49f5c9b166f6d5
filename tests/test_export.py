"""``specreg registry-export``: the registry as CSV and XLSX, public only with consent (p.3-p.5)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from freezegun import freeze_time
from openpyxl import load_workbook

from payloads import valid_application
from specreg.cli import main
from specreg.paths import REPO_ROOT

FORM = yaml.safe_load((REPO_ROOT / "rules" / "reference" / "registry_form.yaml").read_text(encoding="utf-8"))
LABELS = {lang: [c["label"][lang] for c in FORM["columns"]] for lang in ("kk", "ru")}
ROW_NUMBER = FORM["row_number"]
EXPORT_DAY = "2026-04-01T09:00:00+05:00"


def write_lines(path: Path, lines: list) -> Path:
    """One JSON line per item; a str is written as it is (a broken line)."""
    text = "\n".join(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
                     for item in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def registered(payload: dict, on: str = "2026-03-20") -> dict:
    return {"registered_on": on, "application": payload}


def specialist(number: int, org_consent: bool = True, own_consent: bool = True) -> dict:
    """A registering application whose personal data are unique to ``number``."""
    payload = valid_application()
    payload["application_id"] = f"APP-{number}"
    payload["applicant"]["consent_to_publish"] = org_consent
    payload["applicant"]["registration"]["phone"] = f"+7701555000{number}"
    person = payload["specialist"]
    person["last_name"] = f"Фамилия{'абвгд'[number]}"
    person["consent_to_publish"] = own_consent
    person["contacts"] = {"mobile_phone": f"+7701777000{number}", "email": f"person{number}@example.kz"}
    person["address"]["registration_address"] = f"улица Абая, дом {100 + number}, квартира {number}"
    return payload


def export(tmp_path: Path, lines: list, *options: str, name: str = "out.csv"):
    source = write_lines(tmp_path / "in.jsonl", lines)
    target = tmp_path / name
    with freeze_time(EXPORT_DAY):
        result = CliRunner().invoke(main, ["registry-export", str(source), "-o", str(target), *options])
    return result, target


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_xlsx(path: Path):
    return load_workbook(path).active


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_csv_has_the_header_the_form_columns_and_local_dates(tmp_path, lang):
    result, target = export(tmp_path, [registered(specialist(1))], "--lang", lang)
    assert result.exit_code == 0, result.output
    rows = read_csv(target)
    assert rows[0] == [FORM["title"][lang]]
    assert "№ 21" in rows[1][0] and {"ru": "23 января 2025", "kk": "2025 жылғы 23 қаңтар"}[lang] in rows[1][0]
    assert "01.04.2026" in rows[1][0]
    assert rows[2] == [ROW_NUMBER[lang], *LABELS[lang]]
    assert len(rows) == 4
    row = dict(zip(["number", *[c["key"] for c in FORM["columns"]]], rows[3], strict=True))
    assert row["number"] == "1"
    assert row["birth_date"] == "01.05.1985" and row["included_on"] == "20.03.2026"
    assert row["contacts"] == "+77017770001, person1@example.kz"
    assert row["profession"] == {"ru": "специалист по социальной работе",
                                 "kk": "әлеуметтік жұмыс жөніндегі маман"}[lang]
    assert row["experience"] == {"ru": "5 лет 0 месяцев", "kk": "5 жыл 0 ай"}[lang]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_xlsx_has_a_frozen_header_fitted_widths_and_real_dates(tmp_path, lang):
    lines = [registered(specialist(1)), registered(specialist(2), on="2026-03-23")]
    result, target = export(tmp_path, lines, "--lang", lang, "--format", "xlsx", name="registry.xlsx")
    assert result.exit_code == 0, result.output
    sheet = read_xlsx(target)
    assert sheet.title == FORM["sheet_name"][lang]
    assert sheet["A1"].value == FORM["title"][lang]
    assert "№ 21" in sheet["A2"].value and "01.04.2026" in sheet["A2"].value
    assert [cell.value for cell in sheet[3]] == [ROW_NUMBER[lang], *LABELS[lang]]
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.max_row == 5
    birth, included = sheet.cell(4, 3), sheet.cell(5, 11)
    assert birth.value == datetime(1985, 5, 1) and birth.number_format == "DD.MM.YYYY"
    assert included.value == datetime(2026, 3, 23) and included.number_format == "DD.MM.YYYY"
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert set(widths) == {chr(ord("A") + i) for i in range(11)}
    assert all(6 <= width <= 60 for width in widths.values())
    assert widths["H"] > widths["C"]  # education is wider than the birth date
    assert sheet.cell(4, 8).alignment.wrap_text


def test_only_lines_that_register_on_their_day_become_rows_the_rest_are_reported(tmp_path):
    returned = specialist(2)
    returned["documents"].pop()
    invalid = specialist(3)
    invalid["specialist"]["iin"] = "850501300012"
    lines = [
        registered(specialist(1)),
        registered(returned),
        "{not json",
        {"registered_on": "2026-02-30", "application": specialist(4)},
        registered(invalid),
        registered(specialist(1)),
        registered(specialist(4), on="2026-03-10"),
        "",
        registered(specialist(4)),
    ]
    result, target = export(tmp_path, lines, "--no-progress")
    assert result.exit_code == 3
    assert [row[:2] for row in read_csv(target)[3:]] == [
        ["1", "Фамилияб Асқар Серікұлы"], ["2", "Фамилияд Асқар Серікұлы"],
    ]
    notes = result.stderr.splitlines()
    assert notes[0] == "строка 2: пропущена: проверка на 20.03.2026 даёт return (documents_incomplete)"
    assert notes[1].startswith("строка 3: пропущена: не является корректным JSON")
    assert notes[2].startswith("строка 4: пропущена: нужен объект JSON")
    assert notes[3] == "строка 5: пропущена: заявка не соответствует контракту (/specialist/iin check_digit)"
    assert notes[4] == "строка 6: пропущена: эта заявка уже есть в строке 1"
    assert notes[5].startswith("строка 7: пропущена: дата регистрации (10.03.2026) раньше")
    assert notes[6] == "Записано записей: 2; пропущено строк: 6; не опубликовано без согласия: 0."
    assert "850501300012" not in result.stderr  # no personal data in the report


CONSENTS = [(True, True), (True, False), (False, True), (False, False)]


def _inputs_with_every_consent() -> list[dict]:
    return [registered(specialist(i + 1, org, own)) for i, (org, own) in enumerate(CONSENTS)]


def _personal_data(lines: list[dict]) -> list[str]:
    """Every phone, e-mail and registration address of the inputs."""
    found = []
    for line in lines:
        payload = line["application"]
        found += [payload["applicant"]["registration"]["phone"],
                  payload["specialist"]["contacts"]["mobile_phone"],
                  payload["specialist"]["contacts"]["email"],
                  payload["specialist"]["address"]["registration_address"]]
    return found


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_public_export_holds_only_consented_entries_and_no_contact_data(tmp_path, fmt, lang):
    lines = _inputs_with_every_consent()
    result, target = export(tmp_path, lines, "--public", "--lang", lang, "--format", fmt,
                            name=f"public.{fmt}")
    assert result.exit_code == 0, result.output
    cells = ([str(v) for row in read_csv(target) for v in row] if fmt == "csv" else
             [str(c.value) for row in read_xlsx(target).iter_rows() for c in row if c.value is not None])
    everything = "\n".join(cells)
    names = [line["application"]["specialist"]["last_name"] for line in lines]
    assert names[0] in everything
    assert not [name for name in names[1:] if name in everything]
    leaked = [value for value in _personal_data(lines) if value in everything]
    assert leaked == []
    assert "+7701" not in everything and "@" not in everything
    contacts_label = FORM["columns"][2]["label"][lang]
    assert contacts_label not in cells
    assert FORM["public_note"][lang] in cells
    word = {"ru": "не публикуется", "kk": "жарияланбайды"}[lang]
    assert [note.split(":")[0] for note in result.stderr.splitlines() if word in note] == [
        {"ru": f"строка {n}", "kk": f"{n}-жол"}[lang] for n in (2, 3, 4)
    ]


def test_public_export_keeps_region_and_locality(tmp_path):
    result, target = export(tmp_path, [registered(specialist(1))], "--public")
    assert result.exit_code == 0
    header, row = read_csv(target)[3:5]
    address = FORM["columns"][3]["label"]["ru"]
    assert dict(zip(header, row, strict=True))[address] == "город Астана, Астана"


def test_the_format_follows_the_output_suffix_and_an_unknown_one_is_a_usage_error(tmp_path):
    result, target = export(tmp_path, [registered(specialist(1))], name="registry.xlsx")
    assert result.exit_code == 0
    assert read_xlsx(target).freeze_panes == "A4"
    result, _ = export(tmp_path, [registered(specialist(1))], name="registry.txt")
    assert result.exit_code == 2
    assert "--format" in result.output


def test_a_broken_rule_directory_is_an_error_not_a_traceback(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    result, _ = export(tmp_path, [registered(specialist(1))], "--rules", str(rules))
    assert result.exit_code == 5
    assert "Каталог правил не загружается" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_progress_bar_on_request_and_a_real_process(tmp_path):
    source = write_lines(tmp_path / "in.jsonl", [registered(specialist(1))])
    target = tmp_path / "out.csv"
    specreg = Path(sys.executable).parent / "specreg"
    command = [str(specreg), "registry-export", str(source), "-o", str(target)]
    quiet = subprocess.run(command, capture_output=True, text=True, check=False)
    assert quiet.returncode == 0, quiet.stderr
    assert "%|" not in quiet.stderr  # not a terminal: no bar unless asked
    shown = subprocess.run([*command, "--progress"], capture_output=True, text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "%|" in shown.stderr
    assert len(read_csv(target)) == 4


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
@pytest.mark.parametrize("value", ["улица Абая\u0000, дом 1", "улица\u001b[31m Абая", "улица Абая\u0085 1",
                                   "\ud800улица Абая"])
def test_a_control_character_or_lone_surrogate_never_reaches_the_writer(tmp_path, name, value):
    """openpyxl raised IllegalCharacterError, with a traceback that printed the address."""
    bad = specialist(2)
    bad["specialist"]["address"]["registration_address"] = value
    source = tmp_path / "in.jsonl"
    lines = [json.dumps(registered(specialist(1)), ensure_ascii=False),
             json.dumps(registered(bad), ensure_ascii=True)]  # \ud800 survives only as an escape
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / name
    with freeze_time(EXPORT_DAY):
        result = CliRunner().invoke(main, ["registry-export", str(source), "-o", str(target),
                                           "--no-progress"])
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Абая" not in result.output and "Traceback" not in result.output
    rows = read_xlsx(target).max_row if name.endswith(".xlsx") else len(read_csv(target))
    assert rows == 4  # title, act line, label row, the one good entry


def _limited_file_size(limit: int):
    """For a child process: files it writes may grow to ``limit`` bytes (beyond: EFBIG, as a full disk)."""
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_an_export_that_cannot_be_finished_leaves_the_previous_one_whole(tmp_path):
    """Half a table under the name an administrator opens is worse than none: the previous
    export stays as it was, no partial file is left beside it, and the message names the output.
    (CSV: the XLSX writer's own temporary files would hit the size limit first; both formats
    go through ``write_whole``, tested on its own in test_whole_file.py.)"""
    name = "out.csv"
    source = write_lines(tmp_path / "in.jsonl", [registered(specialist(n)) for n in range(1, 5)])
    target = tmp_path / name
    target.write_bytes(b"the previous export")
    specreg = Path(sys.executable).parent / "specreg"
    done = subprocess.run([str(specreg), "registry-export", str(source), "-o", str(target), "--lang", "ru"],
                          capture_output=True, text=True, preexec_fn=_limited_file_size(1500), check=False)
    assert done.returncode == 5
    assert f"{target}: не удаётся записать файл" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert target.read_bytes() == b"the previous export"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", name]


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_a_full_device_is_an_error_in_the_readers_language_not_a_traceback(tmp_path, name):
    source = write_lines(tmp_path / "in.jsonl", [registered(specialist(1))])
    specreg = Path(sys.executable).parent / "specreg"
    command = [str(specreg), "registry-export", str(source), "-o", "/dev/full",
               "--format", Path(name).suffix[1:], "--lang", "kk"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 5
    assert "/dev/full: файлға жазу мүмкін емес (дискіде орын жоқ)" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
