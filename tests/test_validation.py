"""The payload contract (contract section 1) and its input errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import phonenumbers
import pytest
import yaml

from payloads import valid_application
from specreg import paths
from specreg.identifiers import iin_check_digit_valid
from specreg.messages import InputErrorCatalog
from specreg.validation import InputError, PayloadValidator

VOCABULARY = {
    "required", "unknown_property", "type", "null_not_allowed", "enum", "format",
    "invalid_date", "check_digit", "iin_birth_date", "not_mobile", "pattern", "too_long",
    "too_short", "too_many", "too_few", "minimum", "maximum", "date_order",
    "channel_field_required", "contact_required", "qualification_record_incomplete",
    "deadline_out_of_range", "previous_application_mismatch", "invalid",
}  # fmt: skip


@pytest.fixture(scope="module")
def validator() -> PayloadValidator:
    return PayloadValidator()


def found(validator: PayloadValidator, payload: object) -> set[tuple[str, str]]:
    return {(e.pointer, e.code) for e in validator.errors(payload)}


def changed(edit: Callable[[dict], object]) -> dict:
    """A valid application after ``edit`` (which may return anything; it mutates)."""
    payload = valid_application()
    edit(payload)
    return payload


def with_iin(prefix: str) -> str:
    """An IIN with a valid check digit for an 11-digit prefix (serial varied if needed)."""
    for serial in range(10):
        eleven = prefix[:10] + str(serial)
        for last in "0123456789":
            if iin_check_digit_valid(eleven + last):
                return eleven + last
    raise AssertionError(prefix)


# --- the valid application ---------------------------------------------------


def test_valid_application_has_no_errors(validator: PayloadValidator) -> None:
    assert validator.errors(valid_application()) == []


def test_valid_application_is_a_fresh_copy() -> None:
    first = valid_application()
    first["specialist"]["education"].clear()
    assert valid_application()["specialist"]["education"]


def test_the_phone_of_the_example_is_a_kz_mobile() -> None:
    number = phonenumbers.parse("+77011234567", None)
    assert phonenumbers.is_valid_number(number)
    assert phonenumbers.region_code_for_number(number) == "KZ"
    assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


@pytest.mark.parametrize(
    "edit",
    [
        lambda p: p["applicant"].pop("consent_to_publish"),
        lambda p: p["specialist"].pop("qualification"),
        lambda p: p["specialist"].pop("patronymic"),
        lambda p: p["specialist"].update(patronymic=None),
        lambda p: p["specialist"]["contacts"].pop("email"),
        lambda p: p["specialist"]["contacts"].pop("mobile_phone"),
        lambda p: p["specialist"].update(employment=[]),
        lambda p: p.update(documents=[]),
        lambda p: p.update(verifications={}),
        lambda p: p.update(received_at="2026-03-16T05:00:00Z"),
        lambda p: p.update(received_at="2026-03-16T05:00:00.123456789Z"),
        lambda p: p["applicant"].update(registration={"channel": "email", "email": "a@b.kz"}),
        lambda p: p["specialist"].update(last_name="O'Brien-Smith", first_name="Әлия Ғалымқызы"),
        lambda p: p["specialist"].update(last_name="Д’Артаньян"),
        lambda p: p["specialist"].update(
            qualification={
                "category": "first",
                "assigned_on": "2024-02-29",
                "commission": {"authority": "Управление занятости и социальных программ"},
                "order_number": "15-ө",
            }
        ),
        lambda p: p["verifications"].update(
            qualification_record={"status": "found", "category": "first", "assigned_on": "2024-02-29"},
            residence={"status": "left_for_permanent_residence", "departed_on": "2025-01-01",
                       "country": "DE"},
            court_decisions=[{"kind": "incapacity", "in_force_on": "2020-01-01", "ends_on": None}],
        ),
        lambda p: p["verifications"].update(qualification_record={"status": "not_found"}),
        lambda p: p["specialist"].update(iin="880315300511", birth_date="1988-03-15"),
        lambda p: p["specialist"].update(iin="010203600034", birth_date="2001-02-03"),
        lambda p: p["specialist"].update(experience_months=840),
        lambda p: p["specialist"].update(experience_months=0),
        lambda p: p["documents"][0].update(valid_until="2015-05-20"),
    ],
)
def test_other_valid_variants(validator: PayloadValidator, edit: Callable) -> None:
    assert validator.errors(changed(edit)) == []


# --- one code at a time, at the right pointer ----------------------------------

CASES = [
    # required: the pointer is the missing property, not its parent
    (lambda p: p["specialist"].pop("iin"), "/specialist/iin", "required"),
    (lambda p: p.pop("verifications"), "/verifications", "required"),
    (lambda p: p["specialist"]["education"][0]["document"].pop("number"),
     "/specialist/education/0/document/number", "required"),
    (lambda p: p["applicant"]["license"].pop("valid_until"), "/applicant/license/valid_until",
     "required"),
    (lambda p: p["specialist"].pop("consent_to_publish"), "/specialist/consent_to_publish",
     "required"),
    # unknown_property: the pointer is the unknown property itself
    (lambda p: p["specialist"].update(favourite_colour="blue"), "/specialist/favourite_colour",
     "unknown_property"),
    (lambda p: p.update(extra=1), "/extra", "unknown_property"),
    (lambda p: p["documents"][2].update(note="x"), "/documents/2/note", "unknown_property"),
    (lambda p: p["specialist"]["contacts"].update({"a/b~c": 1}), "/specialist/contacts/a~1b~0c",
     "unknown_property"),
    # type and null
    (lambda p: p["specialist"].update(experience_months="60"), "/specialist/experience_months",
     "type"),
    (lambda p: p["specialist"].update(experience_months=True), "/specialist/experience_months",
     "type"),
    (lambda p: p["specialist"].update(experience_months=12.5), "/specialist/experience_months",
     "type"),
    (lambda p: p.update(documents={}), "/documents", "type"),
    (lambda p: p["applicant"].update(consent_to_publish="yes"), "/applicant/consent_to_publish",
     "type"),
    (lambda p: p["specialist"].update(iin=None), "/specialist/iin", "null_not_allowed"),
    (lambda p: p["specialist"].update(education=None), "/specialist/education", "null_not_allowed"),
    # enum
    (lambda p: p.update(language="en"), "/language", "enum"),
    (lambda p: p["specialist"]["address"].update(region="almaty"), "/specialist/address/region",
     "enum"),
    (lambda p: p["documents"][0].update(kind="passport"), "/documents/0/kind", "enum"),
    (lambda p: p["applicant"].update(kind="Organization"), "/applicant/kind", "enum"),
    # format
    (lambda p: p.update(received_at="2026-03-16T10:00:00"), "/received_at", "format"),
    (lambda p: p.update(received_at="2026-03-16 10:00:00+05:00"), "/received_at", "format"),
    (lambda p: p.update(received_at="2026-03-16T10:00:60Z"), "/received_at", "format"),
    (lambda p: p.update(received_at="2026-03-16T24:00:00Z"), "/received_at", "format"),
    (lambda p: p.update(received_at="2026-03-16t10:00:00z"), "/received_at", "format"),
    (lambda p: p.update(received_at="2026-03-16"), "/received_at", "format"),
    (lambda p: p.update(received_at="9999-12-31T23:00:00-05:00"), "/received_at", "format"),
    (lambda p: p["verifications"].update(checked_at="yesterday"), "/verifications/checked_at",
     "format"),
    (lambda p: p["specialist"].update(birth_date="01.05.1985"), "/specialist/birth_date", "format"),
    (lambda p: p["specialist"].update(birth_date="1985-5-1"), "/specialist/birth_date", "format"),
    (lambda p: p["specialist"].update(birth_date="1985-05-01T00:00:00Z"), "/specialist/birth_date",
     "format"),
    (lambda p: p["specialist"]["contacts"].update(email="askar.example.kz"),
     "/specialist/contacts/email", "format"),
    (lambda p: p["specialist"]["contacts"].update(email="askar@localhost"),
     "/specialist/contacts/email", "format"),
    (lambda p: p["specialist"]["contacts"].update(mobile_phone="87011234567"),
     "/specialist/contacts/mobile_phone", "format"),
    (lambda p: p["applicant"]["registration"].update(phone="+7 701 123 4567"),
     "/applicant/registration/phone", "format"),
    # invalid_date
    (lambda p: p["documents"][0].update(issued_on="2023-02-29"), "/documents/0/issued_on",
     "invalid_date"),
    (lambda p: p.update(received_at="2023-02-29T10:00:00+05:00"), "/received_at", "invalid_date"),
    # check_digit
    (lambda p: p["specialist"].update(iin="850501300012"), "/specialist/iin", "check_digit"),
    (lambda p: p["specialist"].update(iin="880315300505"), "/specialist/iin", "check_digit"),
    (lambda p: p["applicant"].update(bin="940140000386"), "/applicant/bin", "check_digit"),
    (lambda p: p["specialist"]["employment"][0].update(bin="940140000384"),
     "/specialist/employment/0/bin", "check_digit"),
    # iin_birth_date
    (lambda p: p["specialist"].update(birth_date="1985-05-02"), "/specialist/birth_date",
     "iin_birth_date"),
    (lambda p: p["specialist"].update(iin=with_iin("85050170001")), "/specialist/iin",
     "iin_birth_date"),
    (lambda p: p["specialist"].update(iin=with_iin("85023130001")), "/specialist/iin",
     "iin_birth_date"),
    # not_mobile: well-formed, but a landline (Astana 7172)
    (lambda p: p["specialist"]["contacts"].update(mobile_phone="+77172123456"),
     "/specialist/contacts/mobile_phone", "not_mobile"),
    (lambda p: p["applicant"]["registration"].update(phone="+77172123456"),
     "/applicant/registration/phone", "not_mobile"),
    # pattern
    (lambda p: p["specialist"].update(last_name="Ivan0v"), "/specialist/last_name", "pattern"),
    (lambda p: p["specialist"].update(first_name="--"), "/specialist/first_name", "pattern"),
    (lambda p: p["specialist"].update(patronymic="Сергеевич!"), "/specialist/patronymic",
     "pattern"),
    (lambda p: p.update(application_id="APP 1"), "/application_id", "pattern"),
    (lambda p: p.update(application_id="APP-1\n"), "/application_id", "pattern"),
    (lambda p: p["specialist"].update(iin="85050130001X"), "/specialist/iin", "pattern"),
    (lambda p: p["verifications"].update(residence={"status": "resident", "country": "kz"}),
     "/verifications/residence/country", "pattern"),
    # too_long / too_short
    (lambda p: p.update(application_id="a" * 65), "/application_id", "too_long"),
    (lambda p: p["specialist"].update(profession="п" * 201), "/specialist/profession", "too_long"),
    (lambda p: p["applicant"].update(name="Ы" * 301), "/applicant/name", "too_long"),
    (lambda p: p["specialist"].update(last_name="Я" * 101), "/specialist/last_name", "too_long"),
    (lambda p: p["applicant"]["license"].update(number="1" * 51), "/applicant/license/number",
     "too_long"),
    (lambda p: p["specialist"].update(iin="8505013000111"), "/specialist/iin", "too_long"),
    (lambda p: p.update(application_id=""), "/application_id", "too_short"),
    (lambda p: p["applicant"]["license"].update(number=""), "/applicant/license/number",
     "too_short"),
    (lambda p: p["specialist"]["education"][0]["document"].update(series=""),
     "/specialist/education/0/document/series", "too_short"),
    # too_many / too_few
    (lambda p: p.update(documents=p["documents"] * 13), "/documents", "too_many"),
    (lambda p: p["specialist"].update(education=p["specialist"]["education"] * 11),
     "/specialist/education", "too_many"),
    (lambda p: p["specialist"].update(employment=p["specialist"]["employment"] * 31),
     "/specialist/employment", "too_many"),
    (lambda p: p["specialist"].update(education=[]), "/specialist/education", "too_few"),
    # minimum / maximum
    (lambda p: p["specialist"].update(experience_months=-1), "/specialist/experience_months",
     "minimum"),
    (lambda p: p["specialist"].update(experience_months=841), "/specialist/experience_months",
     "maximum"),
    # date_order: the pointer is the later field
    (lambda p: p["specialist"]["employment"][0].update(started_on="2021-02-01",
                                                        ended_on="2021-01-31"),
     "/specialist/employment/0/ended_on", "date_order"),
    (lambda p: p["specialist"]["education"][0].update(finished_on="2002-08-31"),
     "/specialist/education/0/finished_on", "date_order"),
    (lambda p: p["applicant"]["license"].update(valid_until="2019-12-31"),
     "/applicant/license/valid_until", "date_order"),
    (lambda p: p["documents"][3].update(valid_until="2026-02-28"), "/documents/3/valid_until",
     "date_order"),
    (lambda p: p["verifications"].update(court_decisions=[
        {"kind": "social_work_ban", "in_force_on": "2024-05-01", "ends_on": "2024-04-30"}]),
     "/verifications/court_decisions/0/ends_on", "date_order"),
    # the registration channel and the contacts
    (lambda p: p["applicant"]["registration"].pop("phone"), "/applicant/registration/phone",
     "channel_field_required"),
    (lambda p: p["applicant"]["registration"].update(channel="email"),
     "/applicant/registration/email", "channel_field_required"),
    (lambda p: p["specialist"].update(contacts={}), "/specialist/contacts", "contact_required"),
    # qualification_record found but incomplete
    (lambda p: p["verifications"].update(qualification_record={"status": "found",
                                                                "category": "first"}),
     "/verifications/qualification_record/assigned_on", "qualification_record_incomplete"),
    (lambda p: p["verifications"].update(qualification_record={"status": "found",
                                                                "assigned_on": "2024-01-01"}),
     "/verifications/qualification_record/category", "qualification_record_incomplete"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "where", "code"), CASES)
def test_each_code_at_its_pointer(
    validator: PayloadValidator, edit: Callable, where: str, code: str
) -> None:
    errors = found(validator, changed(edit))
    assert (where, code) in errors
    # The neighbours stay quiet: one breach gives errors at that one field.
    assert {p for p, _ in errors} == {where}


def test_every_code_of_the_vocabulary_but_the_fallback_is_exercised() -> None:
    # These come from the screening, not the schema (tests/test_api.py, test_resubmission.py).
    screening_codes = {"invalid", "deadline_out_of_range", "previous_application_mismatch"}
    assert {code for _, _, code in CASES} == VOCABULARY - screening_codes


@pytest.mark.parametrize("value", ["2023-02-29", "2024-13-01", "0000-00-00", "2023-04-31"])
def test_impossible_dates(validator: PayloadValidator, value: str) -> None:
    payload = changed(lambda p: p["documents"][0].update(issued_on=value))
    codes = {c for p, c in found(validator, payload) if p == "/documents/0/issued_on"}
    assert codes and codes <= {"invalid_date", "format"}


def test_a_wrong_birth_date_is_not_also_a_date_order(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p["specialist"].update(birth_date="1985-02-30"))
    assert found(validator, payload) == {("/specialist/birth_date", "invalid_date")}


def test_unknown_properties_one_error_each(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p["specialist"].update(favourite_colour="blue", pet="cat"))
    assert found(validator, payload) == {
        ("/specialist/favourite_colour", "unknown_property"),
        ("/specialist/pet", "unknown_property"),
    }


def test_every_missing_property_is_reported(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p.update(applicant={}))
    assert found(validator, payload) == {
        ("/applicant/kind", "required"),
        ("/applicant/name", "required"),
        ("/applicant/bin", "required"),
        ("/applicant/license", "required"),
        ("/applicant/registration", "required"),
    }


def test_several_errors_at_once_in_a_stable_order(validator: PayloadValidator) -> None:
    def edit(p: dict) -> None:
        p["specialist"].pop("iin")
        p["specialist"]["favourite_colour"] = "blue"
        p["specialist"]["contacts"] = {}
        p["specialist"]["last_name"] = "Ivan0v"
        p["received_at"] = "2026-03-16T10:00:00"
        p["applicant"]["registration"] = {"channel": "email"}
        p["documents"][0]["issued_on"] = "2023-02-29"
        p["documents"][3]["valid_until"] = "2000-01-01"
        p["documents"].extend(valid_application()["documents"][0] for _ in range(8))
        p["documents"][10]["kind"] = "passport"

    payload = changed(edit)
    errors = validator.errors(payload)
    assert [(e.pointer, e.code) for e in errors] == [
        ("/applicant/registration/email", "channel_field_required"),
        ("/documents/0/issued_on", "invalid_date"),
        ("/documents/3/valid_until", "date_order"),
        ("/documents/10/kind", "enum"),
        ("/received_at", "format"),
        ("/specialist/contacts", "contact_required"),
        ("/specialist/favourite_colour", "unknown_property"),
        ("/specialist/iin", "required"),
        ("/specialist/last_name", "pattern"),
    ]
    assert validator.errors(payload) == errors


def test_no_duplicates(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p.update(applicant={}, specialist={}, documents=[{}, {}]))
    keys = [(e.pointer, e.code) for e in validator.errors(payload)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("payload", "code"),
    [([], "type"), ("x", "type"), (None, "null_not_allowed"), (1, "type")],
)
def test_a_payload_that_is_not_an_object(
    validator: PayloadValidator, payload: object, code: str
) -> None:
    assert found(validator, payload) == {("", code)}


def test_empty_object_lists_all_top_level_properties(validator: PayloadValidator) -> None:
    assert {p for p, _ in found(validator, {})} == {
        "/application_id", "/received_at", "/language", "/applicant", "/specialist",
        "/documents", "/verifications",
    }  # fmt: skip


@pytest.mark.parametrize(
    "junk",
    [None, 1, "x", [], {}, [1], {"a": [None]}, True, [[[]]], {"channel": ["phone"]}],
)
def test_junk_anywhere_never_raises(validator: PayloadValidator, junk: object) -> None:
    payload = valid_application()
    targets = [
        (payload, "applicant"), (payload["applicant"], "registration"),
        (payload["applicant"]["registration"], "channel"), (payload["specialist"], "contacts"),
        (payload["specialist"], "employment"), (payload["specialist"]["education"], 0),
        (payload["documents"], 0), (payload, "verifications"),
        (payload["verifications"], "court_decisions"), (payload["specialist"], "qualification"),
        (payload["specialist"], "birth_date"), (payload["specialist"], "iin"),
    ]  # fmt: skip
    for container, key in targets:
        original = container[key]
        container[key] = junk
        errors = validator.errors(payload)
        assert all(isinstance(e, InputError) for e in errors)
        for error in errors:
            for lang in ("kk", "ru", "en"):
                assert localise(error, lang)
        container[key] = original


# --- trimming: free text is trimmed, empty counts as missing -----------------


def test_free_text_is_trimmed(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p["specialist"].update(profession="  психолог  "))
    assert validator.errors(payload) == []
    assert validator.normalise(payload)["specialist"]["profession"] == "психолог"
    assert payload["specialist"]["profession"] == "  психолог  "  # the input is not touched


def test_blank_required_free_text_is_required(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p["specialist"].update(profession="   "))
    assert found(validator, payload) == {("/specialist/profession", "required")}
    payload = changed(lambda p: p["specialist"]["employment"][0].update(position="\t\n "))
    assert found(validator, payload) == {("/specialist/employment/0/position", "required")}


def test_blank_optional_free_text_is_absent(validator: PayloadValidator) -> None:
    def edit(p: dict) -> None:
        p["specialist"]["patronymic"] = "  "
        p["verifications"]["court_decisions"] = [
            {"kind": "incapacity", "in_force_on": "2020-01-01", "ends_on": None, "court": " "}
        ]

    payload = changed(edit)
    assert validator.errors(payload) == []
    normalised = validator.normalise(payload)
    assert "patronymic" not in normalised["specialist"]
    assert "court" not in normalised["verifications"]["court_decisions"][0]


def test_a_name_with_surrounding_spaces_passes(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p["specialist"].update(last_name=" Жұмабеков\u00a0"))
    assert validator.errors(payload) == []
    assert validator.normalise(payload)["specialist"]["last_name"] == "Жұмабеков"


FREE_TEXT = [
    ("applicant", "name"),
    ("specialist", "last_name"),
    ("specialist", "first_name"),
    ("specialist", "patronymic"),
    ("specialist", "address", "locality"),
    ("specialist", "address", "registration_address"),
    ("specialist", "profession"),
    ("specialist", "education", 0, "institution"),
    ("specialist", "education", 0, "specialty"),
    ("specialist", "employment", 0, "organization"),
    ("specialist", "employment", 0, "position"),
    ("specialist", "employment", 0, "staff_position"),
    ("specialist", "qualification", "commission", "authority"),
    ("verifications", "court_decisions", 0, "specialty"),
    ("verifications", "court_decisions", 0, "court"),
    ("verifications", "qualification_record", "authority"),
]

EXACT = [
    ("application_id",),
    ("applicant", "bin"),
    ("applicant", "license", "number"),
    ("applicant", "registration", "phone"),
    ("specialist", "iin"),
    ("specialist", "birth_date"),
    ("specialist", "contacts", "email"),
    ("specialist", "education", 0, "document", "number"),
    ("specialist", "employment", 0, "bin"),
    ("documents", 0, "number"),
    ("documents", 0, "kind"),
    ("language",),
]


def everything() -> dict:
    """The valid application with every optional part present."""
    payload = valid_application()
    payload["specialist"]["qualification"] = {
        "category": "first", "assigned_on": "2024-01-10",
        "commission": {"authority": "Комиссия"}, "order_number": "15",
    }  # fmt: skip
    payload["verifications"]["court_decisions"] = [
        {"kind": "social_work_ban", "in_force_on": "2020-01-01", "ends_on": None,
         "specialty": "психолог", "court": "Суд", "case_number": "2-123/2020"},
    ]  # fmt: skip
    payload["verifications"]["qualification_record"] = {
        "status": "found", "category": "first", "assigned_on": "2024-01-10", "authority": "Орган",
    }  # fmt: skip
    documents = [*payload["documents"], {"kind": "qualification_certificate", "number": "1",
                                         "issued_on": "2024-01-10", "valid_until": None}]
    payload["documents"] = documents
    return payload


def _at(node: object, path: tuple) -> tuple[object, object]:
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    return node, path[-1]


def test_exactly_the_free_text_fields_are_trimmed(validator: PayloadValidator) -> None:
    payload = everything()
    assert validator.errors(payload) == []
    for path in FREE_TEXT + EXACT:
        container, key = _at(payload, path)
        container[key] = f" {container[key]} "  # type: ignore[index]
    normalised = validator.normalise(payload)
    for path in FREE_TEXT:
        container, key = _at(normalised, path)
        assert not container[key].startswith(" ")  # type: ignore[index]
    for path in EXACT:
        container, key = _at(normalised, path)
        assert container[key].startswith(" ")  # type: ignore[index]
    # Document numbers have no pattern: kept exactly, spaces and all, and accepted.
    numbers = {path for path in EXACT if path[-1] == "number"}
    assert {p for p, _ in found(validator, payload)} == {
        "/" + "/".join(map(str, path)) for path in EXACT if path not in numbers
    }


def test_normalise_is_idempotent(validator: PayloadValidator) -> None:
    payload = changed(lambda p: p["specialist"].update(profession="  психолог ", patronymic=" "))
    once = validator.normalise(payload)
    assert validator.normalise(once) == once


# --- the schema file itself ---------------------------------------------------


def _schema() -> dict:
    return json.loads((paths.SCHEMAS_DIR / "application.schema.json").read_text("utf-8"))


def _objects(node: object):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_every_object_level_rejects_unknown_properties() -> None:
    for node in _objects(_schema()):
        if "properties" in node and node is not None:
            is_if = set(node) <= {"properties", "required"}
            assert is_if or node.get("additionalProperties") is False, node


def _has(node: dict | None, keyword: str, defs: dict) -> bool:
    """Whether the node or what its $ref points to has the keyword."""
    while node is not None:
        if keyword in node:
            return True
        ref = node.get("$ref")
        node = defs.get(ref.rsplit("/", 1)[-1]) if ref else None
    return False


def test_every_string_and_array_is_bounded() -> None:
    schema = _schema()
    for node in _objects(schema):
        types = node.get("type")
        types = [types] if isinstance(types, str) else types or []
        if "string" in types and "enum" not in node:
            assert _has(node, "maxLength", schema["$defs"]), node
        if "array" in types:
            assert _has(node, "maxItems", schema["$defs"]), node


# --- messages -----------------------------------------------------------------


def localise(error: InputError, lang: str) -> str:
    """The message the service gives: the shipped catalog's."""
    return InputErrorCatalog(_catalog()).localise(error, lang)


def _catalog() -> dict:
    return yaml.safe_load((paths.DEFAULT_RULES_DIR / "messages" / "input_errors.yaml").read_text("utf-8"))


def test_every_code_has_a_message_in_three_languages() -> None:
    messages = _catalog()["messages"]
    assert set(messages) == VOCABULARY
    for texts in messages.values():
        assert set(texts) >= {"kk", "ru", "en"}
        assert all("{field}" in texts[lang] for lang in ("kk", "ru", "en"))
        assert len({texts["kk"], texts["ru"], texts["en"]}) == 3


def test_the_vocabulary_is_documented_at_the_top_of_the_file() -> None:
    text = (paths.DEFAULT_RULES_DIR / "messages" / "input_errors.yaml").read_text("utf-8")
    header = text.split("\nroot:")[0]
    for code in VOCABULARY:
        assert re.search(rf"^#\s+{code}\b|[ ,]{code}\b", header, re.M), code


def test_kazakh_messages_use_the_agreed_terms() -> None:
    messages = _catalog()["messages"]
    assert "міндетті өріс толтырылмаған" in messages["required"]["kk"]
    assert "белгісіз өріс" in messages["unknown_property"]["kk"]
    assert "бақылау саны дұрыс емес" in messages["check_digit"]["kk"]
    assert "күн дұрыс емес" in messages["invalid_date"]["kk"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("code", sorted(VOCABULARY))
def test_localise_renders_every_code(code: str, lang: str) -> None:
    params = {"limit": 100, "expected": ["string", "null"], "allowed": ["kk", "ru"],
              "format": "date", "earlier": "/a/started_on", "channel": "phone",
              "iin": "/specialist/iin", "other": "/application_id"}  # fmt: skip
    message = localise(InputError("/specialist/iin", code, params), lang)
    assert "/specialist/iin" in message
    assert "{" not in message


def test_localise_names_the_root() -> None:
    assert localise(InputError("", "type", {"expected": ["object"]}), "ru").startswith(
        "тело запроса"
    )
    assert "JSON объектісі" in localise(InputError("", "type", {"expected": ["object"]}), "kk")


SECRET_VALUES = {
    "specialist.iin": "850501300012",
    "last_name": "Qwerty9",
    "email": "zz.secret@nowhere",
    "mobile": "+77172999888",
    "birth": "1985-02-30",
    "bin": "940140000386",
    "received": "2026-13-16T10:00:00Z",
    "id": "secret id!",
    "profession": "ж" * 201,
    "region": "atlantis",
    "months": 9999,
}


def test_messages_and_params_never_echo_the_value(validator: PayloadValidator) -> None:
    s = SECRET_VALUES

    def edit(p: dict) -> None:
        p["specialist"].update(
            iin=s["specialist.iin"], last_name=s["last_name"], birth_date=s["birth"],
            profession=s["profession"], experience_months=s["months"],
            contacts={"email": s["email"], "mobile_phone": s["mobile"]},
        )  # fmt: skip
        p["specialist"]["address"]["region"] = s["region"]
        p["applicant"]["bin"] = s["bin"]
        p["received_at"] = s["received"]
        p["application_id"] = s["id"]

    errors = validator.errors(changed(edit))
    assert len(errors) >= len(SECRET_VALUES)
    for error in errors:
        assert not set(map(str, error.params.values())) & set(map(str, SECRET_VALUES.values()))
        for lang in ("kk", "ru", "en"):
            message = localise(error, lang)
            for value in SECRET_VALUES.values():
                assert str(value) not in message, (error, lang)


def test_input_errors_are_hashable_and_comparable() -> None:
    first = InputError("/a", "required", {})
    assert first == InputError("/a", "required", {})
    assert len({first, InputError("/a", "required", {})}) == 1
