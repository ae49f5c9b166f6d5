"""The compiled schema (jsonschema-rs) and ``jsonschema`` give one verdict on every payload.

``PayloadValidator.check`` trusts the compiled schema's "valid" and walks a
payload with ``jsonschema`` only when it says "invalid". A payload the
compiled schema accepted and ``jsonschema`` would refuse would pass the
contract unchecked, so the two are held to the same verdict here: on every
fixture payload (the contract's examples, valid and invalid), on every leaf of
a valid application replaced by values picked to sit on the edges of the
keywords the schema uses, and on the hostile mutations of generated
applications that the property tests send over HTTP (``test_properties``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from payloads import qualified_application
from specreg.validation import PayloadValidator
from specreg.workbench.cases import load_cases
from test_hostile_input import set_at
from test_properties import locations, mutated  # importing it also loads the hypothesis profile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALIDATOR = PayloadValidator()

EDGE_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 1, 60.0, 60.5, -0.0, 1e308, 10**30, -(10**30), 2**63,
    "", " ", "x", "X" * 513, "ab", "AB", "KZ", "kz", "Ab1._-", "a b",
    "Иванов", "Сәбит-Ұлы", "O’Neil", "\u0000", "a\n", "ИВАН\n", "٠١٢٣",
    "2025-01-01", "2024-02-29", "2025-02-29", "0000-01-01", "2025-1-01", "2025-01-01\n",
    "２０２５-01-01", "2025-03-01T10:00:00+05:00", "2025-03-01T10:00:00Z", "2025-03-01T10:00:00",
    "2016-12-31T23:59:60Z", "2025-03-01T10:00:00+24:00", "9999-12-31T23:59:59-12:00",
    "a@b.kz", "a@b", "а@б.кз", ("x" * 65) + "@b.kz",
    "+77011234567", "+77001234567", "+77172123456", "+7701123456", "+79161234567",
    "000000000000", "123456789012", "880101300123", "１２３４５６７８９０１２",
    "second", "first", "highest", "phone", "email", "identity_document",
    [], [{}], ["x"], {}, {"unknown": 1},
)


def fixture_payloads() -> Iterator[tuple[str, Any]]:
    for path in sorted(FIXTURES.glob("*.yaml")):
        for case in load_cases(path):
            yield case.name, case.payload


def assert_one_verdict(payload: Any) -> None:
    normalised = VALIDATOR.normalise(payload)
    compiled = VALIDATOR.compiled_schema.is_valid(normalised)
    walked = VALIDATOR.schema_errors(normalised)
    assert compiled == (not walked), (compiled, [(e.pointer, e.code) for e in walked])


@pytest.mark.parametrize(("name", "payload"), list(fixture_payloads()))
def test_one_verdict_on_every_fixture_payload(name: str, payload: Any) -> None:
    assert_one_verdict(payload)


def test_the_fixtures_hold_both_verdicts() -> None:
    """The comparison above means something only if both answers occur."""
    verdicts = {VALIDATOR.compiled_schema.is_valid(VALIDATOR.normalise(payload))
                for _, payload in fixture_payloads()}
    assert verdicts == {True, False}


@pytest.mark.slow
def test_one_verdict_with_each_leaf_replaced_by_each_edge_value() -> None:
    """On the qualified application: the valid one plus a category, its record and certificate."""
    payload = qualified_application()
    paths = [path for path in locations(payload) if path]
    assert len(paths) > 50
    accepted = 0
    for path in paths:
        for value in EDGE_VALUES:
            changed = set_at(copy.deepcopy(payload), path, copy.deepcopy(value))
            assert_one_verdict(changed)
            accepted += VALIDATOR.compiled_schema.is_valid(VALIDATOR.normalise(changed))
    assert accepted > 0


@given(mutated())
def test_one_verdict_on_generated_mutations(payload: Any) -> None:
    assert_one_verdict(payload)


@given(st.from_regex(r"\+77[0-9]{9}", fullmatch=True))
def test_a_mobile_number_built_from_its_digits_equals_the_parsed_one(value: str) -> None:
    """``check_kz_mobile`` builds the number instead of parsing it (half the cost)."""
    built = phonenumbers.PhoneNumber(country_code=7, national_number=int(value[2:]))
    assert built == phonenumbers.parse(value, None)


def test_a_schema_that_breaks_its_metaschema_stops_the_validator(tmp_path):
    """The compiled schema checks the contract's schema as it is built: a broken one never serves."""
    broken = tmp_path / "application.schema.json"
    broken.write_text('{"type": "object", "required": "application_id"}', encoding="utf-8")
    with pytest.raises(jsonschema_rs.ValidationError):
        PayloadValidator(broken)
