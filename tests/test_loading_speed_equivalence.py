"""``load_application`` builds exactly the objects the contract describes, on every valid payload.

The marshmallow schemas of :mod:`specreg.loading` are tuned for cost (fields
that only convert, ``many`` loads); this pins what they build against plain
constructors written straight from the contract (absent or null optionals to
``None``, an absent ``applicant.consent_to_publish`` to ``False``, arrays to
tuples, a JSON Schema "integer" such as ``60.0`` to ``60``): equal objects
with the same ``repr``, on every valid fixture payload and on the corner cases
the fixtures do not reach.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from payloads import qualified_application, valid_application
from specreg import model
from specreg.loading import load_application
from specreg.validation import PayloadValidator
from specreg.workbench.cases import load_cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
Payload = dict[str, Any]


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def expected(payload: Payload) -> model.Application:
    """The application as plain constructors build it from a valid payload."""
    applicant, specialist = payload["applicant"], payload["specialist"]
    verifications = payload["verifications"]
    license_, contacts, address = applicant["license"], specialist["contacts"], specialist["address"]
    qualification, previous = specialist.get("qualification"), payload.get("previous")
    decisions, residence, record = (verifications.get("court_decisions"), verifications.get("residence"),
                                    verifications.get("qualification_record"))
    return model.Application(
        application_id=payload["application_id"],
        received_at=datetime.fromisoformat(payload["received_at"]),
        language=payload["language"],
        applicant=model.Applicant(
            kind=applicant["kind"], name=applicant["name"], bin=applicant["bin"],
            license=model.License(number=license_["number"], issued_on=_day(license_["issued_on"]),
                                  valid_until=_day(license_.get("valid_until"))),
            consent_to_publish=applicant.get("consent_to_publish", False),
        ),
        specialist=model.Specialist(
            iin=specialist["iin"], last_name=specialist["last_name"], first_name=specialist["first_name"],
            patronymic=specialist.get("patronymic"), birth_date=_day(specialist["birth_date"]),
            region=address["region"], profession=specialist["profession"],
            experience_months=int(specialist["experience_months"]),
            education=tuple(model.Education(
                level=e["level"], institution=e["institution"], specialty=e["specialty"],
                started_on=_day(e["started_on"]), finished_on=_day(e.get("finished_on")),
                document_kind=e["document"]["kind"], document_number=e["document"]["number"],
                document_issued_on=_day(e["document"]["issued_on"]),
                document_series=e["document"].get("series"),
            ) for e in specialist["education"]),
            employment=tuple(model.Employment(
                organization=e["organization"], bin=e["bin"], position=e["position"],
                staff_position=e["staff_position"], started_on=_day(e["started_on"]),
                ended_on=_day(e.get("ended_on")),
            ) for e in specialist["employment"]),
            qualification=None if qualification is None else model.Qualification(
                category=qualification["category"], assigned_on=_day(qualification["assigned_on"]),
                authority=qualification["commission"]["authority"],
                order_number=qualification.get("order_number"),
            ),
            consent_to_publish=specialist["consent_to_publish"],
            contacts=model.Contacts(mobile_phone=contacts.get("mobile_phone"), email=contacts.get("email")),
            address=model.Address(region=address["region"], locality=address["locality"],
                                  registration_address=address["registration_address"]),
        ),
        documents=tuple(model.Document(
            kind=d["kind"], number=d["number"], issued_on=_day(d["issued_on"]),
            valid_until=_day(d.get("valid_until")),
        ) for d in payload["documents"]),
        verifications=model.Verifications(
            court_decisions=None if decisions is None else tuple(model.CourtDecision(
                kind=d["kind"], in_force_on=_day(d["in_force_on"]), ends_on=_day(d.get("ends_on")),
                specialty=d.get("specialty"), act=d.get("act"),
            ) for d in decisions),
            residence=None if residence is None else model.Residence(
                status=residence["status"], departed_on=_day(residence.get("departed_on")),
                country=residence.get("country"),
            ),
            qualification_record=None if record is None else model.QualificationRecord(
                status=record["status"], category=record.get("category"),
                assigned_on=_day(record.get("assigned_on")),
            ),
        ),
        previous=None if previous is None else model.PreviousScreening(
            application_id=previous["application_id"], outcome=previous["outcome"],
            reasons=tuple(previous["reasons"]),
        ),
    )


def _fixture_payloads() -> list[Any]:
    cases = [case for path in sorted(FIXTURES.glob("*.yaml")) for case in load_cases(path)]
    return [pytest.param(case.payload, id=case.name) for case in cases
            if case.expect.get("status", 200) == 200 and isinstance(case.payload, dict)]


def _corner_cases() -> list[Any]:
    integral_float = valid_application()
    integral_float["specialist"]["experience_months"] = 60.0
    bare = valid_application()  # every optional key absent, every nullable one null
    del bare["applicant"]["consent_to_publish"], bare["specialist"]["patronymic"]
    del bare["specialist"]["contacts"]["email"], bare["specialist"]["qualification"]
    bare["applicant"]["license"]["valid_until"] = None
    bare["specialist"]["education"][0]["finished_on"] = None
    del bare["specialist"]["education"][0]["document"]["series"]
    bare["documents"] = [{**d, "valid_until": None} for d in bare["documents"]]
    bare["verifications"] = {}
    full = qualified_application()  # every optional key present
    full["specialist"]["qualification"]["order_number"] = "12-к"
    full["verifications"]["court_decisions"] = [
        {"kind": "social_work_ban", "in_force_on": "2020-01-10", "ends_on": "2021-01-10", "specialty": "x"},
        {"kind": "social_work_ban", "in_force_on": "2019-01-10", "ends_on": None}]
    full["verifications"]["residence"] = {
        "status": "left_for_permanent_residence", "departed_on": "2020-01-01", "country": "DE"}
    full["previous"] = {"application_id": full["application_id"], "outcome": "return",
                        "reasons": ["documents_incomplete"]}
    return [pytest.param(integral_float, id="experience_months_60.0"), pytest.param(bare, id="bare"),
            pytest.param(full, id="full")]


@pytest.fixture(scope="module")
def validator() -> PayloadValidator:
    return PayloadValidator()


@pytest.mark.parametrize("payload", _fixture_payloads() + _corner_cases())
def test_loaded_application_is_the_contracts(validator: PayloadValidator, payload: Payload) -> None:
    normalised, errors = validator.check(payload)
    assert errors == []
    loaded = load_application(normalised)
    assert loaded == expected(normalised)
    assert repr(loaded) == repr(expected(normalised))  # 60 and 60.0 are equal; their reprs are not
