"""The working calendar and the p.9 decision deadline, against dates worked out by hand.

Every expected date below was counted from the weekday calendar and the facts in
the project's domain notes (section "Calendar"), not produced by the code. Day 1
of a term is the first working day after the receipt day.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
from freezegun import freeze_time

from specreg import calendar as cal
from specreg.calendar import ALMATY, WorkingCalendar, today_in_almaty
from specreg.data_files import DataFileError, load_data_file
from specreg.paths import SCHEMAS_DIR

REPO = Path(__file__).resolve().parents[1]
EMPTY_OVERRIDES = "add_days_off: []\ncancel_days_off: []\n"


def _at_almaty(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=ALMATY)


def calendar_of(path: Path) -> WorkingCalendar:
    """The calendar of an override file, read as the rule directory reads it."""
    return WorkingCalendar.from_document(load_data_file(path, "calendar.schema.json", SCHEMAS_DIR))


def _write(tmp_path: Path, text: str, name: str = "calendar.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=["shipped", "package_only"])
def calendar(request: pytest.FixtureRequest, tmp_path: Path) -> WorkingCalendar:
    """The shipped overrides, and none at all: the package alone must give the same dates."""
    if request.param == "shipped":
        return calendar_of(REPO / "rules" / "calendar.yaml")
    return calendar_of(_write(tmp_path, EMPTY_OVERRIDES))


# --- time zone -------------------------------------------------------------------


def test_almaty_is_utc_plus_5_since_march_2024() -> None:
    assert ALMATY.key == "Asia/Almaty"
    assert datetime(2024, 3, 1, 12, tzinfo=ALMATY).utcoffset() == timedelta(hours=5)
    assert datetime(2026, 11, 30, 12, tzinfo=ALMATY).utcoffset() == timedelta(hours=5)
    # Before the change it was +06:00: proof that the tz data is 2024a or later.
    assert datetime(2024, 2, 28, 12, tzinfo=ALMATY).utcoffset() == timedelta(hours=6)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2026-11-30T20:00:00Z", date(2026, 12, 1)),  # 01:00 on 1 Dec in Almaty
        ("2026-11-30T18:59:59Z", date(2026, 11, 30)),  # 23:59:59 still 30 Nov
        ("2026-11-30T19:00:00Z", date(2026, 12, 1)),  # midnight
    ],
)
def test_today_in_almaty_follows_the_frozen_clock(instant: str, expected: date) -> None:
    with freeze_time(instant):
        assert today_in_almaty() == expected


# --- working days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 3), False),  # Friday, day off transferred from Sun 5 Jan (No. 436)
        (date(2025, 1, 4), False),  # Saturday
        (date(2025, 1, 5), True),  # Sunday worked under the transfer
        (date(2025, 1, 6), True),  # an ordinary Monday
        (date(2025, 1, 7), False),  # Orthodox Christmas, Tuesday
        (date(2026, 3, 23), False),  # Nauryz, Monday
        (date(2026, 3, 24), False),  # Nauryz of Sat 21 Mar, moved
        (date(2026, 3, 25), False),  # Nauryz of Sun 22 Mar, moved
        (date(2026, 3, 26), True),
        (date(2026, 5, 27), False),  # Kurban Ait, first day, Wednesday
        (date(2026, 5, 28), True),  # the second day is not a day off
        (date(2026, 5, 11), False),  # Victory Day (Sat 9 May) moved to Monday
        (date(2026, 8, 31), True),  # no Constitution Day on 30 Aug from 2026
        (date(2025, 9, 1), False),  # ... but in 2025: Sat 30 Aug moved to Monday
        (date(2026, 10, 26), False),  # Republic Day (Sun 25 Oct) moved to Monday
        (date(2026, 3, 15), False),  # a Sunday; Constitution Day only from 2027
    ],
)
def test_is_working_day(calendar: WorkingCalendar, day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_is_working_day_refuses_a_datetime(calendar: WorkingCalendar) -> None:
    with pytest.raises(TypeError):
        calendar.is_working_day(datetime(2026, 3, 2, 10))


def test_the_start_day_never_counts(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)  # Mon -> Tue
    assert calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)  # Fri -> Tue:
    # 7-8 weekend, Mon 9 Mar is Women's Day (Sun 8 Mar) moved.


@pytest.mark.parametrize("n", [0, -1])
def test_add_working_days_needs_a_positive_count(calendar: WorkingCalendar, n: int) -> None:
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 3, 2), n)


# --- the decision deadline -------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "due"),
    [
        # Fri 20 Mar 2026; 21-22 weekend and Nauryz, 23 Nauryz, 24-25 the moved
        # Nauryz days; 26 (1), 27 (2), 30 (3), 31 (4), 1 Apr (5).
        (_at_almaty("2026-03-20"), date(2026, 4, 1)),
        # Received on a day off (Sat 21 Mar): counting still starts the next day.
        (_at_almaty("2026-03-21"), date(2026, 4, 1)),
        # Tue 31 Dec 2024; 1-2 Jan holidays, 3 transferred off, 4 Sat off,
        # Sun 5 worked (1), 6 (2), 7 Christmas off, 8 (3), 9 (4), 10 (5).
        (_at_almaty("2024-12-31"), date(2025, 1, 10)),
        # 20:30 UTC on Mon 16 Mar is 01:30 on Tue 17 Mar in Almaty:
        # 18 (1), 19 (2), 20 (3), 21-25 off, 26 (4), 27 (5).
        (datetime(2026, 3, 16, 20, 30, tzinfo=UTC), date(2026, 3, 27)),
        # 18:30 UTC is 23:30 on 16 Mar at +05:00 (it would be the 17th at +06:00):
        # 17 (1), 18 (2), 19 (3), 20 (4), 26 (5).
        (datetime(2026, 3, 16, 18, 30, tzinfo=UTC), date(2026, 3, 26)),
        # A numeric offset other than Almaty's: 23:00-03:00 is 07:00 on Tue 17 Mar.
        (datetime(2026, 3, 16, 23, 0, tzinfo=timezone(timedelta(hours=-3))), date(2026, 3, 27)),
        # Fri 22 May 2026; 25 (1), 26 (2), Wed 27 Kurban Ait, 28 (3), 29 (4), 1 Jun (5).
        (_at_almaty("2026-05-22"), date(2026, 6, 1)),
        # Wed 6 May 2026; 7 Defender's Day, 8 (1), Sat 9 Victory Day moved to Mon 11,
        # 12 (2), 13 (3), 14 (4), 15 (5).
        (_at_almaty("2026-05-06"), date(2026, 5, 15)),
        # Fri 28 Aug 2026: no Constitution Day any more; 31 (1) .. Fri 4 Sep (5).
        (_at_almaty("2026-08-28"), date(2026, 9, 4)),
        # Fri 29 Aug 2025: Sat 30 Aug Constitution Day moved to Mon 1 Sep;
        # 2 (1), 3 (2), 4 (3), 5 (4), Mon 8 (5).
        (_at_almaty("2025-08-29"), date(2025, 9, 8)),
        # Wed 31 Dec 2025 (no 2026 transfers): 1-2 Jan holidays, 3-4 weekend,
        # 5 (1), 6 (2), Wed 7 Christmas, 8 (3), 9 (4), Mon 12 (5).
        (_at_almaty("2025-12-31"), date(2026, 1, 12)),
    ],
)
def test_decision_due(calendar: WorkingCalendar, received_at: datetime, due: date) -> None:
    assert calendar.decision_due(received_at) == due


def test_the_number_of_working_days_is_a_parameter(calendar: WorkingCalendar) -> None:
    # Fri 20 Mar 2026: 26 (1), 27 (2), 30 (3).
    assert calendar.decision_due(_at_almaty("2026-03-20"), working_days=3) == date(2026, 3, 30)
    assert calendar.decision_due(_at_almaty("2026-03-20"), working_days=1) == date(2026, 3, 26)


def test_decision_due_needs_an_offset(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        calendar.decision_due(datetime(2026, 3, 20, 10))


@pytest.mark.parametrize(
    "received_at",
    [
        datetime(9999, 12, 31, 12, tzinfo=ALMATY),  # the deadline is past date.max
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-12))),  # so is the receipt
    ],
)
def test_decision_due_at_the_end_of_time_is_a_value_error(
    calendar: WorkingCalendar, received_at: datetime
) -> None:
    with pytest.raises(ValueError):
        calendar.decision_due(received_at)


def test_package_years_are_built_once(calendar: WorkingCalendar) -> None:
    cal._package_year.cache_clear()
    for _ in range(3):
        calendar.decision_due(_at_almaty("2026-03-20"))
    info = cal._package_year.cache_info()
    assert info.misses == 1
    assert info.hits > 0


# --- administrator's overrides ---------------------------------------------------


def test_an_added_day_off_shifts_the_deadline_and_a_worked_sunday_shifts_it_back(
    tmp_path: Path,
) -> None:
    received = _at_almaty("2026-03-20")  # due 1 Apr without overrides (above)
    added = _write(
        tmp_path,
        # Unquoted dates on purpose: administrators will write them so.
        "add_days_off:\n"
        "  - {date: 2026-03-27, reason: 'Transfer, order No. 1 of 01.03.2026 (test)'}\n"
        "cancel_days_off: []\n",
        "added.yaml",
    )
    # 26 (1), Fri 27 now off, 30 (2), 31 (3), 1 Apr (4), 2 Apr (5).
    assert calendar_of(added).decision_due(received) == date(2026, 4, 2)
    both = _write(
        tmp_path,
        "add_days_off:\n"
        "  - date: '2026-03-27'\n"
        "    reason: Transfer from Sun 29.03.2026, order No. 1 of 01.03.2026 (test)\n"
        "cancel_days_off:\n"
        "  - date: '2026-03-29'\n"
        "    reason: Sunday worked, order No. 1 of 01.03.2026 (test)\n",
        "both.yaml",
    )
    # 26 (1), Sun 29 worked (2), 30 (3), 31 (4), 1 Apr (5).
    assert calendar_of(both).decision_due(received) == date(2026, 4, 1)
    assert calendar_of(both).is_working_day(date(2026, 3, 29))


def test_cancelling_a_package_day_off_makes_it_a_working_day(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "add_days_off: []\n"
        "cancel_days_off:\n"
        "  - {date: '2026-05-27', reason: 'Kurban Ait moved to 26 May (test)'}\n",
    )
    assert calendar_of(path).is_working_day(date(2026, 5, 27))


def test_the_shipped_file_is_the_rule_directory_s(tmp_path: Path) -> None:
    """The service reads the calendar with the rest of the rule directory, from its path."""
    from specreg.rule_directory import RuleDirectory

    assert RuleDirectory.read(REPO / "rules").calendar.is_working_day(date(2025, 1, 5))


def test_the_schema_is_valid_2020_12() -> None:
    schema = json.loads((REPO / "schemas" / "calendar.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


GOOD_ENTRY = "{date: '2026-03-27', reason: test}"


def _adding(*entries: str) -> str:
    """An override file whose add_days_off holds these flow-style entries."""
    return "add_days_off:\n" + "".join(f"  - {e}\n" for e in entries) + "cancel_days_off: []\n"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("add_days_off: [\n", "not valid YAML"),
        ("", "must be of type 'object' (at /)"),
        ("- 2026-03-27\n", "must be of type 'object'"),
        ("add_days_off: []\n", "lacks the required key(s) 'cancel_days_off'"),
        (EMPTY_OVERRIDES + "remove_days_off: []\n", "remove_days_off"),
        (_adding("{date: '2026-03-27'}"), "lacks the required key(s) 'reason'"),
        (_adding("{date: '2026-03-27', reason: '  '}"), "/add_days_off/0/reason"),
        (_adding("{date: 2026-02-30, reason: x}"), "is not a valid date"),
        (_adding("{date: 27.03.2026, reason: x}"), "/add_days_off/0/date"),
        (_adding("{date: 20260327, reason: x}"), "/add_days_off/0/date"),
        (_adding("{date: '2026-03-27', reason: x, note: x}"), "does not allow here: 'note'"),
        (
            f"add_days_off:\n  - {GOOD_ENTRY}\ncancel_days_off:\n  - {GOOD_ENTRY}\n",
            ":4: error: 2026-03-27 is listed more than once (at /cancel_days_off/0/date)",
        ),
        (_adding(GOOD_ENTRY, GOOD_ENTRY),
         ":3: error: 2026-03-27 is listed more than once (at /add_days_off/1/date)"),
        ("add_days_off: []\ncancel_days_off: []\nadd_days_off: []\n",
         ":3: error: the key 'add_days_off' is written twice"),
    ],
)
def test_a_bad_override_file_names_itself(tmp_path: Path, text: str, fragment: str) -> None:
    path = _write(tmp_path, text, "broken-calendar.yaml")
    with pytest.raises(DataFileError) as caught:
        calendar_of(path)
    assert caught.value.file == path
    assert str(path) in str(caught.value)
    assert fragment in str(caught.value)


def test_a_missing_override_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(DataFileError, match=r"absent\.yaml:1: error: cannot be read"):
        calendar_of(path)
