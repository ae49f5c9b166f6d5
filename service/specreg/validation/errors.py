"""Input errors: where (a JSON Pointer into the payload), which rule (a stable code), and in what order.

An error never carries the offending value (it may be personal data), only the
field and the rule's parameters. The codes are the vocabulary documented at the
top of ``rules/messages/input_errors.yaml``; their messages are the input-error
catalog's (:class:`specreg.messages.InputErrorCatalog`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from jsonpointer import JsonPointer


@dataclass(frozen=True)
class InputError:
    """One breach of the payload contract; ``params`` never holds the value."""

    pointer: str  # RFC 6901 JSON Pointer into the payload, "" for the root
    code: str  # stable vocabulary, see rules/messages/input_errors.yaml
    params: dict = field(default_factory=dict, hash=False)


MAX_NAMED_UNKNOWN = 100  # unknown properties of one object built as errors; the rest are counted


class InputErrors(list):
    """Input errors sorted by pointer, and ``unlisted``: how many more were counted, not built.

    An object with 100,000 unknown keys is 100,000 errors; building, sorting and
    localising each cost a second of CPU. Only the first ``MAX_NAMED_UNKNOWN`` of one
    object (in pointer order) can be among the first 100 errors a 422 lists, so only
    they are built; the others are counted in ``unlisted`` (all ``unknown_property``).
    """

    unlisted: int = 0



def pointer(tokens: Iterable[object]) -> str:
    """RFC 6901 JSON Pointer of a path (``~`` and ``/`` escaped by ``jsonpointer``)."""
    return JsonPointer.from_parts([str(token) for token in tokens]).path


def _pointer_key(error: InputError) -> tuple:
    """Sort key: pointer tokens (array indices numerically), then the code."""
    parent, _, token = error.pointer.rpartition("/")
    if not error.pointer:
        return (), error.code
    return (*_tokens_key(parent), _token_key(token)), error.code


@lru_cache(maxsize=1024)
def _tokens_key(pointer_text: str) -> tuple:
    """The key of a parent pointer, kept: an object's many errors share it."""
    parent, _, token = pointer_text.rpartition("/")
    return (*_tokens_key(parent), _token_key(token)) if pointer_text else ()


def _token_key(token: str) -> tuple:
    return (0, int(token), "") if token.isdigit() and token.isascii() else (1, 0, token)


def sorted_unique(errors: Iterable[InputError]) -> list[InputError]:
    """Deterministic order, one error per (pointer, code)."""
    unique: dict[tuple[str, str], InputError] = {}
    for error in errors:
        unique.setdefault((error.pointer, error.code), error)
    return sorted(unique.values(), key=_pointer_key)
