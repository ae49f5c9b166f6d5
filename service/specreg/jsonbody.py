"""Reading what a client sends: strict JSON bodies and the ``as_of`` day.

Shared by the HTTP API and the command line so that both reject exactly the
same input (contract section 0): not UTF-8, malformed, duplicate keys, NaN,
numbers beyond Python's digit limit, nesting deeper than 64 levels.
"""

from __future__ import annotations

import json
import re
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


def parse_json(body: bytes) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN, at most ``MAX_DEPTH`` levels."""
    try:
        text = body.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except UnicodeDecodeError as error:
        raise BadRequestBody("malformed-json", reason="not UTF-8") from error
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


def _reason(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} (line {error.lineno}, column {error.colno})"
    return str(error).split(":")[0][:120]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # called for every object: a body of 350,000 "{}" calls it that often
    if len(result) != len(pairs):
        raise ValueError("duplicate key in an object")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


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
