"""Load a validated payload into :mod:`specreg.model` objects.

The payload has passed the JSON Schema and the cross-field checks already, so
loading only converts: dates to ``date`` and ``received_at`` to an aware
``datetime`` (``fromisoformat``: the schema's formats guarantee the shapes),
arrays to tuples, an absent or null optional key to ``None`` (an absent
``applicant.consent_to_publish`` to ``False``), a JSON Schema "integer" such
as ``60.0`` to ``60``. It ignores the keys no stage reads and decides
nothing. Contacts, the address and education documents' series are carried
for the registry entry (:mod:`specreg.registry`); no rule reads them.

One plain constructor per model type rather than a marshmallow schema: this
runs on every screening, and marshmallow's per-field machinery (required,
missing, validators, hooks: all already settled by the JSON Schema) cost a
fifth of a screening; these cost a tenth of that (bench/README.md).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from specreg import model

Payload = dict[str, Any]


def load_application(payload: Payload) -> model.Application:
    """Typed application from a payload that passed :class:`PayloadValidator`."""
    return model.Application(
        application_id=payload["application_id"],
        received_at=datetime.fromisoformat(payload["received_at"]),
        language=payload["language"],
        applicant=_applicant(payload["applicant"]),
        specialist=_specialist(payload["specialist"]),
        documents=tuple(_document(entry) for entry in payload["documents"]),
        verifications=_verifications(payload["verifications"]),
        previous=_previous(payload.get("previous")),
    )


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _applicant(data: Payload) -> model.Applicant:
    license_ = data["license"]
    return model.Applicant(
        kind=data["kind"], name=data["name"], bin=data["bin"],
        license=model.License(
            number=license_["number"], issued_on=date.fromisoformat(license_["issued_on"]),
            valid_until=_day(license_.get("valid_until")),
        ),
        consent_to_publish=data.get("consent_to_publish", False),
    )


def _specialist(data: Payload) -> model.Specialist:
    contacts, address = data["contacts"], data["address"]
    return model.Specialist(
        iin=data["iin"], last_name=data["last_name"], first_name=data["first_name"],
        patronymic=data.get("patronymic"),
        birth_date=date.fromisoformat(data["birth_date"]),
        region=address["region"],
        profession=data["profession"],
        experience_months=int(data["experience_months"]),  # "integer" admits 60.0: it loads as 60
        education=tuple(_education(entry) for entry in data["education"]),
        employment=tuple(_employment(entry) for entry in data["employment"]),
        qualification=_qualification(data.get("qualification")),
        consent_to_publish=data["consent_to_publish"],
        contacts=model.Contacts(mobile_phone=contacts.get("mobile_phone"), email=contacts.get("email")),
        address=model.Address(region=address["region"], locality=address["locality"],
                              registration_address=address["registration_address"]),
    )


def _education(data: Payload) -> model.Education:
    document = data["document"]
    return model.Education(
        level=data["level"], institution=data["institution"], specialty=data["specialty"],
        started_on=date.fromisoformat(data["started_on"]), finished_on=_day(data.get("finished_on")),
        document_kind=document["kind"], document_number=document["number"],
        document_issued_on=date.fromisoformat(document["issued_on"]),
        document_series=document.get("series"),
    )


def _employment(data: Payload) -> model.Employment:
    return model.Employment(
        organization=data["organization"], bin=data["bin"], position=data["position"],
        staff_position=data["staff_position"], started_on=date.fromisoformat(data["started_on"]),
        ended_on=_day(data.get("ended_on")),
    )


def _qualification(data: Payload | None) -> model.Qualification | None:
    if data is None:
        return None
    return model.Qualification(
        category=data["category"], assigned_on=date.fromisoformat(data["assigned_on"]),
        authority=data["commission"]["authority"], order_number=data.get("order_number"),
    )


def _document(data: Payload) -> model.Document:
    return model.Document(
        kind=data["kind"], number=data["number"], issued_on=date.fromisoformat(data["issued_on"]),
        valid_until=_day(data.get("valid_until")),
    )


def _verifications(data: Payload) -> model.Verifications:
    decisions, residence, record = (
        data.get("court_decisions"), data.get("residence"), data.get("qualification_record"))
    return model.Verifications(
        court_decisions=None if decisions is None else tuple(_court_decision(d) for d in decisions),
        residence=None if residence is None else model.Residence(
            status=residence["status"], departed_on=_day(residence.get("departed_on")),
            country=residence.get("country"),
        ),
        qualification_record=None if record is None else model.QualificationRecord(
            status=record["status"], category=record.get("category"),
            assigned_on=_day(record.get("assigned_on")),
        ),
    )


def _court_decision(data: Payload) -> model.CourtDecision:
    return model.CourtDecision(
        kind=data["kind"], in_force_on=date.fromisoformat(data["in_force_on"]),
        ends_on=_day(data.get("ends_on")), specialty=data.get("specialty"),
    )


def _previous(data: Payload | None) -> model.PreviousScreening | None:
    if data is None:
        return None
    return model.PreviousScreening(
        application_id=data["application_id"], outcome=data["outcome"], reasons=tuple(data["reasons"]),
    )
