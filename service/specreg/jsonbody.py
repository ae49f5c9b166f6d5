"""Reading what a client sends: strict JSON bodies and the ``as_of`` day.

Shared by the HTTP API and the command line so that both reject exactly the
same input (contract section 0): not UTF-8, malformed, duplicate keys, NaN,
numbers beyond Python's digit limit, nesting deeper than 64 levels.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Any

from specreg.i18n import READER_LANGUAGES

MAX_DEPTH = 64


class BadRequestBody(Exception):
    """The body could not be read as JSON; ``kind`` names the problem document."""

    def __init__(self, kind: str, **params: Any) -> None:
        super().__init__(kind)
        self.kind, self.params = kind, params


@dataclass(frozen=True)
class JsonFault:
    """Why a body is not JSON (the ``reason`` of malformed-json): a key of ``json_faults`` in
    ``messages/problems.yaml``, so the reader gets it in their language, and where, for a syntax error.
    Never a piece of the body."""

    key: str
    line: int | None = None
    column: int | None = None


class _Refused(ValueError):
    """Raised by the parser's hooks: valid JSON syntax this service does not take."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


# json's own error messages (fixed English texts of the standard library) -> json_faults keys
_DECODER_FAULTS = {
    "Expecting value": "expecting_value",
    "Expecting property name enclosed in double quotes": "expecting_property_name",
    "Expecting ',' delimiter": "expecting_comma",
    "Expecting ':' delimiter": "expecting_colon",
    "Extra data": "extra_data",
    "Unterminated string starting at": "unterminated_string",
    "Invalid control character at": "control_character",
    "Invalid \\escape": "invalid_escape",
    "Invalid \\uXXXX escape": "invalid_escape",
}


def parse_json(body: bytes) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN, at most ``MAX_DEPTH`` levels."""
    try:
        text = body.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except UnicodeDecodeError as error:
        raise BadRequestBody("malformed-json", reason=JsonFault("not_utf8")) from error
    except RecursionError as error:
        raise BadRequestBody("too-deep", limit=MAX_DEPTH) from error
    except ValueError as error:
        raise BadRequestBody("malformed-json", reason=_reason(error)) from error
    # Each level opens a bracket, so a text with few brackets cannot be too deep (an application has
    # about 30): the measure is then skipped.
    if text.count("{") + text.count("[") > MAX_DEPTH and _too_deep(body):
        raise BadRequestBody("too-deep", limit=MAX_DEPTH)
    return value


def parse_as_of(text: str) -> date | None:
    """A real date written exactly YYYY-MM-DD, or None."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def declared_language(payload: Any, default: str = "ru") -> str:
    """The application's own ``language`` when it is a valid one."""
    declared = payload.get("language") if isinstance(payload, dict) else None
    return declared if declared in READER_LANGUAGES else default


def _reason(error: ValueError) -> JsonFault:
    if isinstance(error, _Refused):
        return JsonFault(error.key)
    if isinstance(error, json.JSONDecodeError):
        return JsonFault(_DECODER_FAULTS.get(error.msg, "syntax"), error.lineno, error.colno)
    # the only other ValueError of json.loads: int() refusing a number of over 4,300 digits
    return JsonFault("number_too_long")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # called for every object: a body of 350,000 "{}" calls it that often
    if len(result) != len(pairs):
        raise _Refused("duplicate_key")
    return result


def _no_constants(name: str) -> Any:
    raise _Refused("not_json_constant")


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and -1 as signed bytes
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


def _too_deep(body: bytes) -> bool:
    """Whether a well-formed JSON text nests deeper than ``MAX_DEPTH``, measured on the text.

    With the strings taken out, the brackets alone remain: each opening one a step
    down, each closing one a step up, and the depth is the lowest point reached.
    ``accumulate`` over the steps runs in C: a megabyte of brackets costs a few tens
    of milliseconds, where walking the parsed value cost as much as parsing it.
    """
    steps = memoryview(_STRING.sub(b"", body).translate(_STEPS, _NOT_BRACKETS)).cast("b")
    return max(accumulate(steps), default=0) > MAX_DEPTH
