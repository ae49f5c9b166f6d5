"""The application as typed domain objects (contract section 1).

These are what the rest of the pipeline reads; they are built from a payload
that has already passed the JSON Schema, by :mod:`specreg.loading`. Absent
verifications are ``None``: "not checked", which is not the same as an empty
answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class License:
    number: str
    issued_on: date
    valid_until: date | None


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    bin: str
    license: License
    consent_to_publish: bool


@dataclass(frozen=True)
class Education:
    level: str
    institution: str
    specialty: str
    started_on: date
    finished_on: date | None
    document_kind: str
    document_number: str
    document_issued_on: date
    document_series: str | None = None


@dataclass(frozen=True)
class Employment:
    organization: str
    bin: str
    position: str
    staff_position: str
    started_on: date
    ended_on: date | None


@dataclass(frozen=True)
class Qualification:
    category: str
    assigned_on: date
    authority: str
    order_number: str | None


@dataclass(frozen=True)
class Contacts:
    mobile_phone: str | None
    email: str | None


@dataclass(frozen=True)
class Address:
    region: str
    locality: str
    registration_address: str


@dataclass(frozen=True)
class Specialist:
    iin: str
    last_name: str
    first_name: str
    patronymic: str | None
    birth_date: date
    region: str
    profession: str
    experience_months: int
    education: tuple[Education, ...]
    employment: tuple[Employment, ...]
    qualification: Qualification | None
    consent_to_publish: bool
    # The registry entry's columns (contacts, address); no rule reads them.
    contacts: Contacts | None = None
    address: Address | None = None


@dataclass(frozen=True)
class Document:
    kind: str
    number: str
    issued_on: date
    valid_until: date | None


@dataclass(frozen=True)
class CourtDecision:
    kind: str
    in_force_on: date
    ends_on: date | None
    specialty: str | None
    act: str | None = None  # "verdict" (приговор), "decision" (решение), or not stated


@dataclass(frozen=True)
class Residence:
    status: str
    departed_on: date | None
    country: str | None


@dataclass(frozen=True)
class QualificationRecord:
    status: str
    category: str | None
    assigned_on: date | None


@dataclass(frozen=True)
class Verifications:
    """What state information systems said; ``None`` means not checked."""

    court_decisions: tuple[CourtDecision, ...] | None
    residence: Residence | None
    qualification_record: QualificationRecord | None


@dataclass(frozen=True)
class Application:
    application_id: str
    received_at: datetime
    language: str
    applicant: Applicant
    specialist: Specialist
    documents: tuple[Document, ...]
    verifications: Verifications
    previous: PreviousScreening | None = None


@dataclass(frozen=True)
class PreviousScreening:
    """p.10: the earlier screening a resubmission names (``previous`` of the payload)."""

    application_id: str
    outcome: str
    reasons: tuple[str, ...]
