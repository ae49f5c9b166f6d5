"""The normalising walk: a copy of the payload that every later stage can read safely.

Contract section 1: free text is trimmed (NFC) and an empty string counts as
missing. The same walk, which visits every node the schema knows anyway,
also bounds what the later stages may meet:

* every string and key that a stage reads is encodable: a lone surrogate
  (valid JSON, ``"\\ud800"``) becomes U+FFFD, and the walk says it met one,
  so :class:`specreg.validation.PayloadValidator` can answer a ``pattern``
  error at its pointer (no encoder downstream, jsonschema-rs, the JSON
  answer, CSV, XLSX, takes a lone surrogate);
* an array longer than its ``maxItems`` keeps ``maxItems + 1`` items;
* what no stage reads is kept as sent, unwalked: the value of an unknown
  property of a closed object (refused by its name) and a list or object
  where only a scalar fits (a type error).

So a body built to be costly (150,000 empty documents, a megabyte of nested
arrays in an unknown property) costs no stage more than its parse.
"""

from __future__ import annotations

import re
import unicodedata

_FREE_TEXT = "free-text"
_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean", "null"})
_LEAF = "leaf"  # a place that only a scalar fits: a list or object there is a type error, unwalked


def walk_plan(schema: object) -> object:
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
            properties.setdefault(key, walk_plan(sub))
        items = items or walk_plan(view.get("items"))
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


def encodable(text: str) -> str:
    """``text`` as UTF-8 can carry it: each lone surrogate (valid JSON: ``"\\ud800"``) as U+FFFD.

    No encoder downstream (jsonschema-rs, the JSON answer, CSV, XLSX) accepts a lone
    surrogate; the walk records that it met one and :func:`surrogate_paths` says where.
    """
    return _SURROGATE.sub("\ufffd", text)


def is_encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value: str, unencodable: list[None]) -> str:
    if is_encodable(value):
        return value
    unencodable.append(None)
    return encodable(value)


def normalised_copy(node: object, plan: object, unencodable: list[None]) -> object:
    """A copy of ``node`` with the free text the plan marks trimmed; empty keys dropped.

    Every string and key that a stage may read is made encodable (``unencodable`` gets
    an entry per lone surrogate string). What no stage reads is kept as sent, unwalked:
    the value of an unknown property of a closed object (only its key is reported) and a
    list or object where a scalar belongs (a type error). An array over its ``maxItems``
    keeps ``maxItems + 1`` items. So no later stage walks a body built to be costly.
    """
    if isinstance(node, str):  # ASCII first: most strings are, and the check is then free
        return node if node.isascii() else _text(node, unencodable)
    if plan is _LEAF:
        return node
    if isinstance(node, dict):
        known = plan["properties"] if isinstance(plan, dict) else {}
        closed = isinstance(plan, dict) and plan["closed"]
        result = {}
        for key, value in node.items():
            sub = known.get(key)
            if not key.isascii():
                key = _text(key, unencodable)
            if sub == _FREE_TEXT and isinstance(value, str):
                if not value.isascii():  # ASCII is in NFC already
                    value = unicodedata.normalize("NFC", _text(value, unencodable))
                text = value.strip()
                if text:
                    result[key] = text
            elif sub is None and closed and key not in known:
                result[key] = value  # an unknown property: refused by name, never read
            else:
                result[key] = normalised_copy(value, sub, unencodable)
        return result
    if isinstance(node, list):
        sub = plan.get("items") if isinstance(plan, dict) else None
        limit = plan.get("max_items") if isinstance(plan, dict) else None
        if limit is not None and len(node) > limit:
            node = node[:limit + 1]
        if sub == _FREE_TEXT:
            return [unicodedata.normalize("NFC", _text(v, unencodable)).strip() if isinstance(v, str)
                    else normalised_copy(v, None, unencodable) for v in node]
        return [normalised_copy(value, sub, unencodable) for value in node]
    return node


def surrogate_paths(payload: object, plan: object, path: tuple = ()) -> list[tuple]:
    """The path of every string value holding a lone surrogate (keys are unknown properties).

    Walked only when :func:`normalised_copy` met one, along the same plan (so over
    the same items); the paths use the keys as made encodable.
    """
    if isinstance(payload, str):
        return [] if is_encodable(payload) else [path]
    found: list[tuple] = []
    if plan is _LEAF:
        return found
    if isinstance(payload, dict):
        known = plan["properties"] if isinstance(plan, dict) else {}
        closed = isinstance(plan, dict) and plan["closed"]
        for key, value in payload.items():
            if closed and key not in known:
                continue  # an unknown property: its value is never read
            found += surrogate_paths(value, known.get(key), (*path, encodable(key)))
    elif isinstance(payload, list):
        sub = plan.get("items") if isinstance(plan, dict) else None
        limit = plan.get("max_items") if isinstance(plan, dict) else None
        for index, value in enumerate(payload[:limit + 1] if limit is not None else payload):
            found += surrogate_paths(value, sub, (*path, index))
    return found
