"""Bodies under 1 MiB built to cost the most: the hostile battery sends them, the bench times them.

Each is valid JSON (so it gets past the parser) and as large as the 1 MiB
limit allows, aimed at one stage: the normalising walk, the schema walk, the
error list, the pattern and format checks. ``bench/worst_body.py`` screens
each in process and reports the costliest; ``tests/test_hostile_input.py``
checks that each is answered 4xx with an answer under 1 MiB.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from payloads import valid_application

LIMIT = 1024 * 1024
_APPLICATION = json.dumps(valid_application(), ensure_ascii=False)


def _fill(head: str, item: str, tail: str, separator: str = ",") -> bytes:
    """``head item,item,... tail`` with as many items as fit under the limit."""
    room = LIMIT - len((head + tail).encode()) - 16
    count = room // len((item + separator).encode())
    return (head + separator.join([item] * count) + tail).encode()


def _unknown_keys(head: str, tail: str) -> bytes:
    room = LIMIT - len((head + tail).encode()) - 16
    keys, size, index = [], 0, 0
    while True:
        entry = f'"k{index}":0'
        if size + len(entry) + 1 > room:
            break
        keys.append(entry)
        size += len(entry) + 1
        index += 1
    return (head + ",".join(keys) + tail).encode()


def _around(key: str) -> tuple[str, str]:
    """The valid application's text before and after the value of its top-level ``key``."""
    payload = valid_application()
    payload[key] = "HOLE"
    head, tail = json.dumps(payload, ensure_ascii=False).split('"HOLE"')
    return head, tail


def _documents_of_unknown_keys() -> bytes:
    """50 documents (the limit), each with as many unknown keys as fit: every key is an error."""
    head, tail = _around("documents")
    per_document = (LIMIT - len((head + tail).encode())) // 50 - 64
    keys, size, index = [], 0, 0
    while size + len(f'"k{index}":0') + 1 < per_document:
        keys.append(f'"k{index}":0')
        size += len(keys[-1]) + 1
        index += 1
    document = "{" + ",".join(keys) + "}"
    return (head + "[" + ",".join([document] * 50) + "]" + tail).encode()


def _long_text(field: str, char: str) -> bytes:
    payload = valid_application()
    payload["specialist"][field] = "HOLE"
    head, tail = json.dumps(payload, ensure_ascii=False).split('"HOLE"')
    room = (LIMIT - len((head + tail).encode()) - 16) // len(char.encode())
    return (head + '"' + char * room + '"' + tail).encode()


def _escaped_surrogates() -> bytes:
    payload = valid_application()
    payload["specialist"]["profession"] = "HOLE"
    head, tail = json.dumps(payload, ensure_ascii=False).split('"HOLE"')
    return _fill(head + '"', "\\ud800", '"' + tail, separator="")


BODIES: dict[str, Callable[[], bytes]] = {
    "documents_150k_empty_objects": lambda: _fill('{"documents":[', "{}", "]}"),
    "documents_in_application_empty_objects": lambda: _fill(
        _around("documents")[0] + "[", "{}", "]" + _around("documents")[1]),
    "top_level_unknown_keys": lambda: _unknown_keys("{", "}"),
    "specialist_unknown_keys": lambda: _unknown_keys(_APPLICATION.split('"specialist": {')[0]
                                                     + '"specialist": {', "}}"),
    "50_documents_of_unknown_keys": _documents_of_unknown_keys,
    "unknown_property_of_nested_arrays": lambda: _fill('{"x":[', "[[[[]]]]", "]}"),
    "unknown_property_of_numbers": lambda: _fill('{"x":[', "1e308", "]}"),
    "long_last_name_of_letters": lambda: _long_text("last_name", "Ж"),
    "long_last_name_of_spaces_and_hyphens": lambda: _long_text("last_name", "- "),
    "long_profession_of_combining_marks": lambda: _long_text("profession", "a\u0301"),
    "one_string_of_escaped_lone_surrogates": _escaped_surrogates,
    "deep_arrays_of_64_levels": lambda: _fill('{"x":[', "[" * 62 + "]" * 62, "]}"),
}


def bodies() -> dict[str, bytes]:
    """Every hostile body by name, each under 1 MiB."""
    built = {name: build() for name, build in BODIES.items()}
    for name, body in built.items():
        assert len(body) <= LIMIT, (name, len(body))
    return built
