"""Reusable application payloads for the tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path

# The fixtures' base application is the one source: a test and a fixture case start from the same payload.
_VALID_APPLICATION: dict = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "bases" / "full.json").read_text(encoding="utf-8"))


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
