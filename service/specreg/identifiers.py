"""Kazakhstan's individual and business identification numbers (IIN, BIN).

Both are 12 digits assigned under the Rules approved by Government Decree
No. 406 of 2007 ("on the national identification number registers"). The IIN
encodes the birth date (digits 1-6, YYMMDD) and the century and sex (digit 7);
both share the same check-digit algorithm (digit 12).
"""

from __future__ import annotations

import re
from datetime import date

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_FIRST_WEIGHTS = tuple(range(1, 12))  # 1, 2, ..., 11
_SECOND_WEIGHTS = (*range(3, 12), 1, 2)  # 3, 4, ..., 11, 1, 2
# Digit 7 of an IIN: the century of birth (odd male, even female).
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def _is_twelve_digits(value: object) -> bool:
    """ASCII digits only: ``str.isdigit`` would also accept other scripts' digits."""
    return isinstance(value, str) and _TWELVE_DIGITS.fullmatch(value) is not None


def _weighted(digits: list[int], weights: tuple[int, ...]) -> int:
    """One pass of the Decree No. 406 algorithm: weighted sum of digits 1-11, mod 11."""
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 11


def iin_check_digit_valid(value: object) -> bool:
    """Whether ``value`` is 12 digits whose 12th is the check digit (Decree No. 406, 2007).

    The check digit is the weighted sum (weights 1..11) mod 11; when that is 10 a
    second pass with weights 3..11, 1, 2 is made; a second 10 means the number is
    never issued, so it is invalid whatever its last digit.
    """
    if not _is_twelve_digits(value):
        return False
    digits = [int(c) for c in value]
    check = _weighted(digits[:11], _FIRST_WEIGHTS)
    if check == 10:
        check = _weighted(digits[:11], _SECOND_WEIGHTS)
    return check != 10 and check == digits[11]


def bin_check_digit_valid(value: object) -> bool:
    """Whether a BIN's check digit is valid: the IIN algorithm (Decree No. 406, 2007)."""
    return iin_check_digit_valid(value)


def iin_birth_date(value: object) -> date | None:
    """The birth date an IIN encodes (digits 1-6 YYMMDD, digit 7 the century).

    Decree No. 406 (2007): digit 7 is 1-2 for the 1800s, 3-4 for the 1900s, 5-6
    for the 2000s. None when the value is not 12 digits, the century digit is
    another one, or the date does not exist. The check digit is not looked at.
    """
    if not _is_twelve_digits(value):
        return None
    century = _CENTURY.get(value[6])
    if century is None:
        return None
    try:
        return date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None
