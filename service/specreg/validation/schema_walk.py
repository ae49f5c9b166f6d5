"""Walking a payload along the contract's JSON Schema, and jsonschema's errors as input errors.

The walk trims free text, refuses what no encoder can carry (a lone surrogate),
stops at an array over its ``maxItems`` without walking its items, and names at
most ``MAX_NAMED_UNKNOWN`` unknown properties of one object: a body under 1 MiB
costs a bounded amount of work. Each jsonschema error becomes input errors at the
right pointer with a stable code.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from jsonpointer import JsonPointer, escape
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match

from specreg.validation.errors import MAX_NAMED_UNKNOWN, InputError, pointer

# --- the validator --------------------------------------------------------


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> tuple[re.Pattern[str], bool]:
    """Compile once; an ``^...$`` pattern is matched whole (see ``_pattern``)."""
    anchored = pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")
    return re.compile(pattern), anchored


def _pattern(
    validator: Any, pattern: str, instance: object, schema: dict
) -> Iterator[ValidationError]:
    """``pattern`` with ECMA-262's ``$``: Python's also matches before a final newline."""
    if not validator.is_type(instance, "string"):
        return
    regex, anchored = _compiled(pattern)
    found = regex.fullmatch(instance) if anchored else regex.search(instance)
    if found is None:
        yield ValidationError("does not match the pattern")


_ITEMS = Draft202012Validator.VALIDATORS["items"]


def _items(validator: Any, items: object, instance: object, schema: dict) -> Iterator[ValidationError]:
    """``items``, except over an array already longer than its ``maxItems``: that array is refused
    by ``maxItems`` alone, and its items are not walked (a body of 150,000 ``{}`` once cost 30 s)."""
    limit = schema.get("maxItems")
    if isinstance(instance, list) and isinstance(limit, int) and len(instance) > limit:
        return
    yield from _ITEMS(validator, items, instance, schema)


_ADDITIONAL = Draft202012Validator.VALIDATORS["additionalProperties"]


def _additional_properties(validator: Any, allowed: object, instance: object, schema: dict
                           ) -> Iterator[ValidationError]:
    """``additionalProperties: false`` as one short error: jsonschema's own message quotes every
    unknown key (``_unexpected`` lists them from the instance)."""
    if allowed is not False or not validator.is_type(instance, "object"):
        yield from _ADDITIONAL(validator, allowed, instance, schema)
        return
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    if any(key not in known and not any(re.search(p, key) for p in patterns) for key in instance):
        yield ValidationError("unknown properties")


Validator = validators.extend(Draft202012Validator, {
    "pattern": _pattern, "items": _items, "additionalProperties": _additional_properties})

_LENGTH_CODES = {
    "maxLength": "too_long",
    "minLength": "too_short",
    "maxItems": "too_many",
    "minItems": "too_few",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "minimum",
    "exclusiveMaximum": "maximum",
}


# -- walking the payload along the schema --

_FREE_TEXT = "free-text"


def inline_refs(node: Any, root: dict, depth: int = 0) -> Any:
    """The schema with every local ``$ref`` replaced by its target (merged with its siblings)."""
    if depth > 32:
        raise ValueError("the schema's $ref chain is too deep (recursive?)")
    if isinstance(node, list):
        return [inline_refs(item, root, depth) for item in node]
    if not isinstance(node, dict):
        return node
    resolved = {key: inline_refs(value, root, depth) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#"):
        return node if ref is not None else resolved
    target = inline_refs(_lookup(root, ref), root, depth + 1)
    if not isinstance(target, dict):
        return node
    if set(target) & set(resolved):
        return {**resolved, "allOf": [*resolved.get("allOf", []), target]}
    return {**target, **resolved}


def _lookup(root: dict, ref: str) -> object:
    """Resolve a local reference such as ``#/$defs/date`` (``None`` if it leads nowhere)."""
    return JsonPointer(ref[1:]).resolve(root, None)


_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean", "null"})
_LEAF = "leaf"  # a place that only a scalar fits: a list or object there is a type error, unwalked


def trim_plan(schema: object) -> object:
    """How to walk a payload along the schema: free text to trim, bounded arrays, closed objects.

    A tree of ``{properties, closed, items, max_items}`` ending in ``_FREE_TEXT`` or
    ``_LEAF``; ``None`` where the schema says nothing (everything there is walked).
    """
    if not isinstance(schema, dict):
        return None
    views = [schema, *schema.get("allOf", [])]
    if any(view.get("x-free-text") is True for view in views):
        return _FREE_TEXT
    properties: dict[str, object] = {}
    items = None
    max_items = None
    closed = False
    for view in views:
        for key, sub in view.get("properties", {}).items():
            properties.setdefault(key, trim_plan(sub))
        items = items or trim_plan(view.get("items"))
        closed = closed or (view.get("additionalProperties") is False and "patternProperties" not in view)
        if isinstance(view.get("maxItems"), int):
            max_items = view["maxItems"] if max_items is None else min(max_items, view["maxItems"])
    if properties or items or max_items is not None or closed:
        return {"properties": properties, "closed": closed, "items": items, "max_items": max_items}
    return _LEAF if any(_scalar_only(view) for view in views) else None


def _scalar_only(view: dict) -> bool:
    kinds = view.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if isinstance(kinds, list) and kinds and set(kinds) <= _SCALAR_TYPES:
        return True
    allowed = view.get("enum", [view["const"]] if "const" in view else None)
    return isinstance(allowed, list) and bool(allowed) and all(
        not isinstance(value, (dict, list)) for value in allowed)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """``text`` as UTF-8 can carry it: each lone surrogate (valid JSON: ``"\\ud800"``) as U+FFFD.

    No encoder downstream (jsonschema-rs, the JSON answer, CSV, XLSX) accepts a lone
    surrogate; the walk records that it met one and :func:`surrogate_errors` says where.
    """
    return _SURROGATE.sub("\ufffd", text)


def _is_encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value: str, unencodable: list[None]) -> str:
    """A non-ASCII ``value`` made encodable, noting in ``unencodable`` when it was not.

    Its callers have tested ``isascii`` already (the walk's fast path), so it is not
    tested again here.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        unencodable.append(None)
        return _encodable(value)
    return value


Walk = Callable[[object, list[None]], object]
"""A compiled walk: ``walk(node, unencodable)`` is the normalised copy of ``node``."""


def compile_walk(plan: object) -> Walk:
    """The normalising walk of ``plan`` (from :func:`trim_plan`), built once per schema node.

    The copy has the free text the plan marks trimmed (NFC) and the empty ones' keys
    dropped. Every string and key that a stage may read is made encodable
    (``unencodable`` gets an entry per lone surrogate string). What no stage reads is
    kept as sent, unwalked: the value of an unknown property of a closed object (only
    its key is reported) and a list or object where a scalar belongs (a type error). An
    array over its ``maxItems`` keeps ``maxItems + 1`` items. So no later stage walks a
    body built to be costly.

    Interpreting the plan tree at each value cost a call and a few tests of the plan
    per value (89 calls for the reference application); the closures settle the plan
    once, and a scalar where the schema expects one is copied without a call.
    """
    if isinstance(plan, dict):
        return _node_walk(plan)
    return _leaf if plan is _LEAF else _any  # free text not a string is walked as if unplanned


def _leaf(node: object, unencodable: list[None]) -> object:
    """Where only a scalar fits: a string made encodable, anything else as sent."""
    return _text(node, unencodable) if isinstance(node, str) and not node.isascii() else node


def _any(node: object, unencodable: list[None]) -> object:
    """Where the schema says nothing: everything walked, only strings and keys made encodable."""
    if isinstance(node, str):  # ASCII first: most strings are, and the check is then free
        return node if node.isascii() else _text(node, unencodable)
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if not key.isascii():
                key = _text(key, unencodable)
            result[key] = _any(value, unencodable)
        return result
    if isinstance(node, list):
        return [_any(value, unencodable) for value in node]
    return node


def _node_walk(plan: dict) -> Walk:
    """A node the plan describes: an object by its properties, an array by its items.

    One look-up per key says leaf, unknown, free text or a nested walk: leaves are most
    keys of an application, unknown keys all of some hostile bodies (100,000 of them);
    all but a nested walk are handled in the loop, without a call. A known key is kept as
    it is: it is encodable, since a schema with a property name that is not is refused
    by jsonschema-rs when the validator is built.
    """
    kinds: dict[str, object] = {
        key: _LEAF if sub is _LEAF else _FREE_TEXT if sub == _FREE_TEXT else compile_walk(sub)
        for key, sub in plan["properties"].items()}
    unknown = kinds if plan["closed"] else None
    on_list = _list_walk(plan["items"], plan["max_items"])

    def walk(node: object, unencodable: list[None]) -> object:
        if not isinstance(node, dict):
            return on_list(node, unencodable) if isinstance(node, list) else _leaf(node, unencodable)
        result = {}
        for key, value in node.items():
            kind = kinds.get(key)
            if kind is _LEAF:
                result[key] = _text(value, unencodable) if isinstance(value, str) and not value.isascii() \
                    else value
            elif kind is None:  # unknown: in a closed object refused by name, its value never read
                if not key.isascii():
                    key = _text(key, unencodable)
                refused = unknown is not None and key not in unknown
                result[key] = value if refused else _any(value, unencodable)
            elif kind is not _FREE_TEXT:
                result[key] = kind(value, unencodable)
            elif not isinstance(value, str):
                result[key] = _any(value, unencodable)
            elif text := _trimmed_text(value, unencodable):
                result[key] = text
        return result

    return walk


def _trimmed_text(value: str, unencodable: list[None]) -> str:
    """Free text as the contract reads it: encodable, NFC (ASCII already is), trimmed."""
    if value.isascii():
        return value.strip()
    return unicodedata.normalize("NFC", _text(value, unencodable)).strip()


def _list_walk(items: object, max_items: int | None) -> Callable[[list, list[None]], list]:
    """An array's walk: cut to ``max_items + 1`` (enough to fail ``maxItems``), each item walked.

    Free-text items are trimmed but kept even when empty: only a property's key is dropped.
    """
    each = None if items == _FREE_TEXT else compile_walk(items)

    def walk(node: list, unencodable: list[None]) -> list:
        if max_items is not None and len(node) > max_items:
            node = node[:max_items + 1]
        if each is None:
            return [_trimmed_text(value, unencodable) if isinstance(value, str) else _any(value, unencodable)
                    for value in node]
        return [each(value, unencodable) for value in node]

    return walk


def surrogate_errors(payload: object, plan: object, path: tuple = ()) -> list[InputError]:
    """``pattern`` at every string value holding a lone surrogate (keys are unknown properties).

    Walked only when the compiled walk (:func:`compile_walk`) met one, along the same plan (so over the same
    items); the pointers use the keys as made encodable.
    """
    if isinstance(payload, str):
        return [] if _is_encodable(payload) else [InputError(pointer(path), "pattern")]
    found: list[InputError] = []
    if plan is _LEAF:
        return found
    if isinstance(payload, dict):
        known = plan["properties"] if isinstance(plan, dict) else {}
        closed = isinstance(plan, dict) and plan["closed"]
        for key, value in payload.items():
            if closed and key not in known:
                continue  # an unknown property: its value is never read
            found += surrogate_errors(value, known.get(key), (*path, _encodable(key)))
    elif isinstance(payload, list):
        sub = plan.get("items") if isinstance(plan, dict) else None
        limit = plan.get("max_items") if isinstance(plan, dict) else None
        for index, value in enumerate(payload[:limit + 1] if limit is not None else payload):
            found += surrogate_errors(value, sub, (*path, index))
    return found


# --- jsonschema errors to input errors ------------------------------------


def from_schema_error(error: ValidationError, unlisted: list[int]) -> list[InputError]:
    """One jsonschema error as input errors at the right pointer with a stable code."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        return from_schema_error(best_match(error.context), unlisted)
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    override = schema.get("x-error-code")
    if error.validator == "required":
        return [
            InputError(pointer([*path, name]), override or "required") for name in _missing(error)
        ]
    if error.validator == "additionalProperties":  # one error for every unknown key (maybe 100,000)
        base, names = pointer(path), _unexpected(error)
        named = _first_in_pointer_order(names, MAX_NAMED_UNKNOWN)
        unlisted[0] += len(names) - len(named)
        return [InputError(base + "/" + escape(name), "unknown_property") for name in named]
    code, params = _code_and_params(error)
    return [InputError(pointer(path), override or code, params)]


def _first_in_pointer_order(names: list[str], count: int) -> list[str]:
    """The ``count`` names that come first as pointer tokens: array-index-like ones by number, first."""
    if len(names) <= count:
        return names
    indices = [name for name in names if name.isdigit() and name.isascii()]
    others = heapq.nsmallest(count, names) if not indices else heapq.nsmallest(
        count, [name for name in names if not (name.isdigit() and name.isascii())])
    return (heapq.nsmallest(count, indices, key=int) + others)[:count]


def _missing(error: ValidationError) -> list[str]:
    """The required properties absent from the object (jsonschema names one per error)."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in instance]


def _unexpected(error: ValidationError) -> list[str]:
    """The keys neither ``properties`` nor ``patternProperties`` of the schema allow."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, dict) else {}
    if not patterns:
        return [k for k in instance if k not in known]
    return [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]


def _code_and_params(error: ValidationError) -> tuple[str, dict]:
    """Code and params for a single-pointer keyword; the value itself is never copied."""
    keyword, limit = error.validator, error.validator_value
    if keyword == "type":
        expected = [limit] if isinstance(limit, str) else list(limit)
        return ("null_not_allowed" if error.instance is None else "type"), {"expected": expected}
    if keyword == "enum":
        return "enum", {"allowed": list(limit)}
    if keyword == "const":
        return "enum", {"allowed": [limit]}
    if keyword == "format":
        code = getattr(error.cause, "code", "format")
        return code, ({"format": limit} if code == "format" else {})
    if keyword == "pattern":
        return "pattern", {}
    if keyword in _LENGTH_CODES:
        return _LENGTH_CODES[keyword], {"limit": limit}
    return "invalid", {}
