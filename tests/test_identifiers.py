"""IIN/BIN check digits and IIN birth dates (Government Decree No. 406 of 2007)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from specreg.identifiers import bin_check_digit_valid, iin_birth_date, iin_check_digit_valid


def restated_check_digit(first_eleven: str) -> int | None:
    """The algorithm restated independently: weights by position, rotated by two."""
    for shift in (0, 2):
        total = sum(int(d) * ((i + shift) % 11 + 1) for i, d in enumerate(first_eleven))
        if total % 11 != 10:
            return total % 11
    return None


@pytest.mark.parametrize(
    ("iin", "born"),
    [
        ("850501300011", date(1985, 5, 1)),
        ("901201450125", date(1990, 12, 1)),
        ("010203600034", date(2001, 2, 3)),
        ("880315300511", date(1988, 3, 15)),
    ],
)
def test_known_valid_iins(iin: str, born: date) -> None:
    assert iin_check_digit_valid(iin)
    assert iin_birth_date(iin) == born


def test_second_pass_is_needed_for_880315300511() -> None:
    first_pass = sum(int(d) * w for d, w in zip("88031530051", range(1, 12), strict=True)) % 11
    assert first_pass == 10
    assert restated_check_digit("88031530051") == 1


def test_known_valid_bin() -> None:
    assert bin_check_digit_valid("940140000385")
    assert not bin_check_digit_valid("940140000386")


@pytest.mark.parametrize("last", range(10))
def test_both_passes_ten_is_never_valid(last: int) -> None:
    assert restated_check_digit("88031530050") is None
    assert not iin_check_digit_valid(f"88031530050{last}")
    assert not bin_check_digit_valid(f"88031530050{last}")


@pytest.mark.parametrize(
    "value",
    ["", "85050130001", "8505013000111", "85050130001a", " 850501300011", "850501300011\n",
     "８５０５０１３０００１１", "٨٥٠٥٠١٣٠٠٠١١", None, 850501300011, ["850501300011"]],
)
def test_malformed_values_are_invalid(value: object) -> None:
    assert not iin_check_digit_valid(value)
    assert not bin_check_digit_valid(value)
    assert iin_birth_date(value) is None


def test_agrees_with_the_restatement_on_random_numbers() -> None:
    rng = random.Random(406)
    for _ in range(5000):
        eleven = "".join(rng.choice("0123456789") for _ in range(11))
        expected = restated_check_digit(eleven)
        for last in "0123456789":
            assert iin_check_digit_valid(eleven + last) == (expected == int(last))


@pytest.mark.parametrize(
    ("digit", "century"), [("1", 1800), ("2", 1800), ("3", 1900), ("4", 1900), ("5", 2000), ("6", 2000)]
)
def test_century_digit(digit: str, century: int) -> None:
    assert iin_birth_date(f"850501{digit}00011") == date(century + 85, 5, 1)


@pytest.mark.parametrize("digit", ["0", "7", "8", "9"])
def test_invalid_century_digit(digit: str) -> None:
    assert iin_birth_date(f"850501{digit}00011") is None


@pytest.mark.parametrize("yymmdd", ["850230", "851301", "850000", "850132", "010229", "000229"])
def test_impossible_dates(yymmdd: str) -> None:
    # 2000-02-29 exists with century digit 5, 1900-02-29 does not (digit 3).
    assert iin_birth_date(f"{yymmdd}300011") is None


def test_leap_day_2000_exists() -> None:
    assert iin_birth_date("000229500011") == date(2000, 2, 29)
