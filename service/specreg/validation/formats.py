"""The contract's formats (contract section 1): dates, date-times, e-mail, Kazakhstan mobile
numbers, IIN and BIN. Both validators (``jsonschema`` and jsonschema-rs) call these same functions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import phonenumbers
from jsonschema import FormatChecker
from rfc3339_validator import validate_rfc3339

from specreg.identifiers import bin_check_digit_valid, iin_birth_date, iin_check_digit_valid

# --- custom formats -------------------------------------------------------


class FormatCheckError(ValueError):
    """Raised by a format check to name a more specific code than ``format``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL = re.compile(
    rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}"
)
_MOBILE = re.compile(r"\+77[0-9]{9}")
_ONE_DAY = timedelta(days=1)


def parse_date(value: object) -> date | None:
    """A strict ``YYYY-MM-DD`` that exists, else None (``fromisoformat`` is laxer)."""
    if not isinstance(value, str) or _DATE.fullmatch(value) is None:
        return None
    try:
        return date.fromisoformat(value)  # the shape is settled: a day that exists, or not
    except ValueError:
        return None


def check_date(value: object) -> bool:
    """Format ``date``: YYYY-MM-DD (ASCII digits), and the day must exist."""
    if not isinstance(value, str):
        return True
    if _DATE.fullmatch(value) is None:
        return False
    if parse_date(value) is None:
        raise FormatCheckError("invalid_date")
    return True


def check_date_time(value: object) -> bool:
    """Format ``date-time``: RFC 3339 with Z or an offset, that Python can also parse.

    ``fromisoformat`` is the parser the rules use later, so what it rejects
    (a leap second, an offset of 24 hours) is rejected here rather than there.
    """
    if not isinstance(value, str):
        return True
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    check_date(match.group(1))
    if not validate_rfc3339(value):
        return False
    try:
        moment = datetime.fromisoformat(value)
        # An instant every time zone can show: the rules convert to Asia/Almaty.
        for shifted in (moment - _ONE_DAY, moment + _ONE_DAY):
            shifted.astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


def check_email(value: object) -> bool:
    """Format ``email``: ``local@domain.tld`` in ASCII, as the contract describes it."""
    if not isinstance(value, str):
        return True
    match = _EMAIL.fullmatch(value)
    return match is not None and len(match.group("local")) <= 64


def check_kz_mobile(value: object) -> bool:
    """Format ``kz-mobile``: E.164 ``+77XXXXXXXXX`` in a Kazakhstan mobile range.

    The shape is a ``format`` failure; a well-formed number that ``phonenumbers``
    does not know as a KZ mobile (a landline, an unassigned range) is ``not_mobile``.
    """
    if not isinstance(value, str):
        return True
    if _MOBILE.fullmatch(value) is None:
        return False
    # The shape is settled, so the number is built, not parsed: equal to what
    # ``phonenumbers.parse`` returns (tested), at half the cost.
    number = phonenumbers.PhoneNumber(country_code=7, national_number=int(value[2:]))
    if not (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == "KZ"
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    ):
        raise FormatCheckError("not_mobile")
    return True


def _is_twelve_digits(value: object) -> bool:
    """The shape of an IIN/BIN; its breach is reported by the schema's pattern."""
    return isinstance(value, str) and re.fullmatch(r"[0-9]{12}", value) is not None


def check_iin(value: object) -> bool:
    """Format ``iin``: check digit, then a real century digit and birth date."""
    if not _is_twelve_digits(value):
        return True
    if not iin_check_digit_valid(value):
        raise FormatCheckError("check_digit")
    if iin_birth_date(value) is None:
        raise FormatCheckError("iin_birth_date")
    return True


def check_bin(value: object) -> bool:
    """Format ``bin``: the check digit (the structure of a BIN is not checked)."""
    if _is_twelve_digits(value) and not bin_check_digit_valid(value):
        raise FormatCheckError("check_digit")
    return True


FORMATS = {
    "date": check_date,
    "date-time": check_date_time,
    "email": check_email,
    "kz-mobile": check_kz_mobile,
    "iin": check_iin,
    "bin": check_bin,
}


def format_checker() -> FormatChecker:
    """A checker with exactly our formats (not jsonschema's laxer defaults)."""
    checker = FormatChecker(formats=())
    for name, function in FORMATS.items():
        checker.checks(name, raises=FormatCheckError)(function)
    return checker
