"""An internal fault in one request: a bare 500 problem with an error id, then business as usual.

One stage of the pipeline (deriving the facts, not the rule engine) is made to
fail for exactly one request, with an exception whose text carries the
applicant's IIN, as a careless bug might. The answer must be a 500
``application/problem+json`` with an error id that the log line also carries,
and nothing else: no stack trace, no exception text, no payload value. The
very next request is screened normally.
"""

from __future__ import annotations

import json
import logging
import re

import pytest

import specreg.screening
from payloads import valid_application

URL = "/api/v1/screenings?as_of=2026-03-20"


@pytest.fixture()
def fails_once(monkeypatch):
    """``derive_facts`` raises on its next call only, then works as before."""
    real = specreg.screening.derive_facts
    calls = {"failed": 0}

    def derive_facts(application, as_of, reference):
        if not calls["failed"]:
            calls["failed"] += 1
            raise RuntimeError(f"bug while reading {application.specialist.iin} "
                               f"{application.specialist.last_name}")
        return real(application, as_of, reference)

    monkeypatch.setattr(specreg.screening, "derive_facts", derive_facts)
    return calls


def test_a_fault_answers_500_with_an_error_id_only_and_the_next_request_is_served(
        client, fails_once, caplog):
    payload = valid_application()
    body = json.dumps(payload, ensure_ascii=False).encode()
    with caplog.at_level(logging.ERROR):
        failed = client.post(URL, data=body, content_type="application/json",
                             headers={"Accept-Language": "en"})
    assert fails_once["failed"] == 1
    assert (failed.status_code, failed.mimetype) == (500, "application/problem+json")
    problem = failed.get_json()
    assert set(problem) == {"type", "title", "status", "detail"}
    assert (problem["type"], problem["status"]) == ("urn:specreg:problem:internal-error", 500)
    error_id = re.fullmatch(r"The request was not processed; error id ([0-9a-f]{32})\.",
                            problem["detail"]).group(1)
    text = failed.get_data(as_text=True)
    for leaked in ("850501300011", "Жұмабеков", "Traceback", "RuntimeError", "bug while", ".py"):
        assert leaked not in text
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert error_id in logged
    assert "850501300011" not in logged and "Жұмабеков" not in logged

    served = client.post(URL, data=body, content_type="application/json")
    assert served.status_code == 200
    assert served.get_json()["outcome"] == "register"
