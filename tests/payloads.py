"""Reusable application payloads for the tests."""

from __future__ import annotations

import copy

_VALID_APPLICATION: dict = {
    "application_id": "APP-2026.03-000123",
    "received_at": "2026-03-16T10:00:00+05:00",
    "language": "ru",
    "applicant": {
        "kind": "organization",
        "name": "ГУ «Центр оказания специальных социальных услуг»",
        "bin": "940140000385",
        "license": {"number": "KZ12LAA00012345", "issued_on": "2020-01-15", "valid_until": None},
        "registration": {"channel": "phone", "phone": "+77011234567"},
        "consent_to_publish": True,
    },
    "specialist": {
        "iin": "850501300011",
        "last_name": "Жұмабеков",
        "first_name": "Асқар",
        "patronymic": "Серікұлы",
        "birth_date": "1985-05-01",
        "contacts": {"mobile_phone": "+77011234567", "email": "askar@example.kz"},
        "address": {
            "region": "astana",
            "locality": "Астана",
            "registration_address": "район Есиль, улица Мәңгілік Ел, дом 1, квартира 10",
        },
        "profession": "специалист по социальной работе",
        "experience_months": 60,
        "education": [
            {
                "level": "higher",
                "institution": "Евразийский национальный университет имени Л. Н. Гумилева",
                "specialty": "Социальная работа",
                "started_on": "2002-09-01",
                "finished_on": "2006-06-30",
                "document": {
                    "kind": "diploma",
                    "series": "ЖБ-Б",
                    "number": "0123456",
                    "issued_on": "2006-06-30",
                },
            }
        ],
        "employment": [
            {
                "organization": "ГУ «Центр оказания специальных социальных услуг»",
                "bin": "940140000385",
                "position": "специалист по социальной работе",
                "staff_position": "специалист по социальной работе",
                "started_on": "2021-02-01",
                "ended_on": None,
            }
        ],
        "qualification": None,
        "consent_to_publish": True,
    },
    "documents": [
        {
            "kind": "identity_document",
            "number": "012345678",
            "issued_on": "2015-05-20",
            "valid_until": "2035-05-19",
        },
        {
            "kind": "education_document",
            "number": "ЖБ-Б 0123456",
            "issued_on": "2006-06-30",
            "valid_until": None,
        },
        {
            "kind": "employment_record",
            "number": "ТК-2021-0042",
            "issued_on": "2021-02-01",
            "valid_until": None,
        },
        {
            "kind": "no_criminal_record_certificate",
            "number": "10100123456789",
            "issued_on": "2026-03-01",
            "valid_until": "2099-12-31",
        },
    ],
    "verifications": {
        "court_decisions": [],
        "residence": {"status": "resident"},
        "checked_at": "2026-03-16T09:55:00+05:00",
    },
}


def valid_application() -> dict:
    """A full application that passes every input check (a fresh deep copy).

    An organisation registered by phone, licence without end date; a social
    worker with IIN 850501300011 (born 1985-05-01), one diploma, one job whose
    position and staff position are the same, no category claimed; the four
    documents everyone needs; the portal found no court decision and the
    specialist resident, and did not check the qualification record.
    """
    return copy.deepcopy(_VALID_APPLICATION)


def qualified_application(assigned_on: str = "2024-06-10", application_id: str | None = None) -> dict:
    """A category claimed and confirmed on record, both assigned on ``assigned_on``."""
    payload = valid_application()
    if application_id is not None:
        payload["application_id"] = application_id
    payload["specialist"]["qualification"] = {
        "category": "first", "assigned_on": assigned_on, "commission": {"authority": "Комиссия"}}
    payload["verifications"]["qualification_record"] = {
        "status": "found", "category": "first", "assigned_on": assigned_on}
    payload["documents"].append({"kind": "qualification_certificate", "number": "QC-1",
                                 "issued_on": assigned_on, "valid_until": None})
    return payload
