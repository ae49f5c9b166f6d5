"""The validator's tuned walk and cross-field checks equal their plain definitions, on every input.

:mod:`specreg.validation.schema_walk` and :mod:`specreg.validation.cross_field` are
tuned for cost (the trim plan compiled into closures, dates compared as text before
they are parsed). This pins what they return against the plain definitions they
replaced, kept here as the oracle: the normalised copy (its keys' order too), what
was counted as unencodable, and every cross-field error, on the fixture payloads,
the hostile bodies and payloads mutated at random.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_bodies
from payloads import qualified_application, valid_application
from specreg.identifiers import iin_birth_date, iin_check_digit_valid
from specreg.validation import PayloadValidator
from specreg.validation.cross_field import _DATE_ORDER, _get, cross_field_errors  # the table, not the logic
from specreg.validation.errors import InputError, pointer
from specreg.validation.formats import parse_date
from specreg.validation.schema_walk import _encodable, _is_encodable
from specreg.workbench.cases import load_cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_FREE_TEXT, _LEAF = "free-text", "leaf"

# --- the oracle: the walk and the checks as first written -----------------


def _text(value: str, unencodable: list[None]) -> str:
    if _is_encodable(value):
        return value
    unencodable.append(None)
    return _encodable(value)


def oracle_trimmed(node: object, plan: object, unencodable: list[None]) -> object:
    """The normalising walk interpreted from the plan tree, node by node."""
    if isinstance(node, str):
        return node if node.isascii() else _text(node, unencodable)
    if plan == _LEAF:
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
                if not value.isascii():
                    value = unicodedata.normalize("NFC", _text(value, unencodable))
                text = value.strip()
                if text:
                    result[key] = text
            elif sub is None and closed and key not in known:
                result[key] = value
            else:
                result[key] = oracle_trimmed(value, sub, unencodable)
        return result
    if isinstance(node, list):
        sub = plan.get("items") if isinstance(plan, dict) else None
        limit = plan.get("max_items") if isinstance(plan, dict) else None
        if limit is not None and len(node) > limit:
            node = node[:limit + 1]
        if sub == _FREE_TEXT:
            return [unicodedata.normalize("NFC", _text(v, unencodable)).strip() if isinstance(v, str)
                    else oracle_trimmed(v, None, unencodable) for v in node]
        return [oracle_trimmed(value, sub, unencodable) for value in node]
    return node


def oracle_cross_field(payload: object) -> list[InputError]:
    """The cross-field checks parsing every date they meet."""
    if not isinstance(payload, dict):
        return []
    found = []
    iin = _get(payload, "specialist", "iin")
    born = parse_date(_get(payload, "specialist", "birth_date"))
    encoded = iin_birth_date(iin) if iin_check_digit_valid(iin) else None
    if born is not None and encoded is not None and born != encoded:
        found.append(InputError("/specialist/birth_date", "iin_birth_date", {"iin": "/specialist/iin"}))
    for path, is_array, earlier, later in _DATE_ORDER:
        node = _get(payload, *path)
        places = ([(list(path), node)] if isinstance(node, dict) else []) if not is_array else [
            ([*path, i], item) for i, item in enumerate(node if isinstance(node, list) else [])
            if isinstance(item, dict)]
        for where, item in places:
            start, end = parse_date(item.get(earlier)), parse_date(item.get(later))
            if start is not None and end is not None and start > end:
                found.append(InputError(pointer([*where, later]), "date_order",
                                        {"earlier": pointer([*where, earlier])}))
    registration = _get(payload, "applicant", "registration")
    if isinstance(registration, dict):
        channel = registration.get("channel")
        wanted = {"phone": "phone", "email": "email"}.get(channel) if isinstance(channel, str) else None
        if wanted is not None and wanted not in registration:
            found.append(InputError(pointer(["applicant", "registration", wanted]),
                                    "channel_field_required", {"channel": channel}))
    contacts = _get(payload, "specialist", "contacts")
    if isinstance(contacts, dict) and "mobile_phone" not in contacts and "email" not in contacts:
        found.append(InputError("/specialist/contacts", "contact_required"))
    return found


# --- the comparison --------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> PayloadValidator:
    return PayloadValidator()


def _typed(value: object) -> object:
    """``value`` with every scalar tagged by its type: ``1 == 1.0 == True`` must not pass for equal."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, value)


def assert_same(validator: PayloadValidator, payload: object) -> None:
    """The walk and the cross-field checks give what the oracle gives, key order and types included."""
    expected_unencodable: list[None] = []
    expected = oracle_trimmed(payload, validator._trim_plan, expected_unencodable)
    unencodable: list[None] = []
    got = validator._walk(payload, unencodable)
    assert _typed(got) == _typed(expected)
    assert len(unencodable) == len(expected_unencodable)
    errors = cross_field_errors(got)
    assert [(e.pointer, e.code, e.params) for e in errors] == [
        (e.pointer, e.code, e.params) for e in oracle_cross_field(expected)]


def _fixture_payloads() -> list[object]:
    return [case.payload for path in sorted(FIXTURES.glob("*.yaml")) for case in load_cases(path)]


def test_fixture_payloads(validator: PayloadValidator) -> None:
    for payload in [*_fixture_payloads(), valid_application(), qualified_application()]:
        assert_same(validator, payload)


@pytest.mark.parametrize("name", sorted(hostile_bodies.BODIES))
def test_hostile_bodies(validator: PayloadValidator, name: str) -> None:
    assert_same(validator, json.loads(hostile_bodies.BODIES[name]()))


def test_corner_cases(validator: PayloadValidator) -> None:
    """Keys that collide once made encodable, free text that trims to nothing, arrays past maxItems."""
    payload = valid_application()
    specialist = payload["specialist"]
    entries = (("\ud800", 1), ("\udfff", 2), ("\ufffd", 3), ("last_name", " \t "), ("first_name", "\ud800 "))
    for key, value in entries:
        specialist[key] = value  # the first three are one key once made encodable
    specialist["education"][0]["document"] = ["  x ", "\ud801"]
    payload["applicant"] = {"name": ["  a ", {"\udc00": " b "}], "license": "e\u0301 "}
    payload["documents"] = [{"kind": "\udfff", "issued_on": "2021-02-30", "valid_until": "2020-01-01"}] * 60
    payload["verifications"]["court_decisions"] = {"in_force_on": "x", "ends_on": [" y "]}
    payload["previous"] = {"reasons": [" r "] * 12, "outcome": {"a": " b "}}
    assert_same(validator, payload)
    assert_same(validator, ["  x ", {"\ud800": " y "}, [[]], None, 1.5, True])
    for scalar in (None, 0, 1.0, True, "", " x ", "\ud800"):
        assert_same(validator, scalar)


# --- random payloads -------------------------------------------------------

_CHARS = [" ", "\t", "\n", "\u00a0", "\u3000", "a", "Ж", "é", "e\u0301", "\u0301", "\ud800", "\udfff",
          "\ufffd", "0", "1", "9", "-", "\uff11", "/", "~"]
_KNOWN_KEYS = sorted({
    "application_id", "received_at", "language", "applicant", "kind", "name", "bin", "license",
    "number", "issued_on", "valid_until", "registration", "channel", "phone", "email",
    "consent_to_publish", "specialist", "iin", "last_name", "first_name", "patronymic",
    "birth_date", "contacts", "mobile_phone", "address", "region", "locality",
    "registration_address", "profession", "experience_months", "education", "level",
    "institution", "specialty", "started_on", "finished_on", "document", "series", "employment",
    "organization", "position", "staff_position", "ended_on", "qualification", "category",
    "assigned_on", "commission", "authority", "order_number", "documents", "verifications",
    "court_decisions", "in_force_on", "ends_on", "act", "case_number", "court", "residence",
    "status", "country", "departed_on", "checked_at", "qualification_record", "previous",
    "outcome", "reasons"})

texts = st.lists(st.sampled_from(_CHARS), max_size=6).map("".join)
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    st.sampled_from(["2021-02-30", "2021-13-01", "0000-01-01", "2021-1-01", "２０２１-01-01",
                     "2021-01-01 ", "9999-12-31", "1985-05-01", "1985-05-02"]))
keys = st.one_of(st.sampled_from(_KNOWN_KEYS), texts)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), texts, dates)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=10)


def _containers(node: object, path: tuple = ()) -> list[tuple]:
    """Every path to an object or array of ``node``."""
    if isinstance(node, dict):
        return [path, *(p for key, item in node.items() for p in _containers(item, (*path, key)))]
    if isinstance(node, list):
        return [path, *(p for index, item in enumerate(node) for p in _containers(item, (*path, index)))]
    return []


def _at(node: Any, path: tuple) -> Any:
    for token in path:
        node = node[token]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> object:
    """A fixture payload with a few values replaced, keys added or removed, or arrays lengthened."""
    payload = copy.deepcopy(draw(st.sampled_from(_FIXTURE_PAYLOADS)))
    for _ in range(draw(st.integers(1, 4))):
        places = _containers(payload)
        if not places:
            return payload
        container = _at(payload, draw(st.sampled_from(places)))
        if isinstance(container, dict):
            fresh = not container or draw(st.booleans())
            key = draw(keys) if fresh else draw(st.sampled_from(sorted(container)))
            action = draw(st.sampled_from(["set", "set", "date", "delete"]))
            if action == "delete":
                container.pop(key, None)
            else:
                container[key] = draw(dates if action == "date" else values)
        elif container:
            index = draw(st.integers(0, len(container) - 1))
            if draw(st.booleans()):
                container[index] = draw(values)
            else:
                container.extend([container[index]] * draw(st.integers(0, 60)))
        else:
            container.extend(draw(st.lists(values, max_size=3)))
    return payload


_FIXTURE_PAYLOADS = [p for p in _fixture_payloads() if isinstance(p, dict)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=mutated())
def test_mutated_payloads(validator: PayloadValidator, payload: object) -> None:
    assert_same(validator, payload)


@settings(max_examples=300, deadline=None)
@given(payload=values)
def test_arbitrary_values(validator: PayloadValidator, payload: object) -> None:
    assert_same(validator, payload)


ends = st.one_of(dates, st.none(), st.integers(), texts)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_date_pairs_and_birth_dates(validator: PayloadValidator, data: st.DataObject) -> None:
    """Every date pair and the birth date given dates, near-dates and non-dates, in and out of order."""
    payload = qualified_application()
    payload["specialist"]["birth_date"] = data.draw(ends)
    payload["specialist"]["iin"] = data.draw(st.sampled_from(["850501300011", "850501300012", "8505013000"]))
    for path, is_array, earlier, later in _DATE_ORDER:
        node = _get(payload, *path)
        for item in (node if is_array else [node]):
            item[earlier], item[later] = data.draw(ends), data.draw(ends)
    assert_same(validator, payload)


def test_a_schema_property_name_no_encoder_carries_is_refused(tmp_path: Path) -> None:
    """The walk keeps known keys as they are: that holds because such a schema never gets that far."""
    schema = tmp_path / "schema.json"
    text = '{"type": "object", "properties": {"\\ud800": {"x-free-text": true}}}'  # valid JSON
    schema.write_text(text, encoding="utf-8")
    assert list(json.loads(schema.read_text(encoding="utf-8"))["properties"]) == ["\ud800"]
    with pytest.raises(ValueError, match="UTF-8"):
        PayloadValidator(schema)
