"""No log line, decision-log line or metric holds personal data from the fixtures.

Every fixture case is screened through the HTTP stack with logging captured
at DEBUG and the decision log on, together with the error answers a client
can provoke and a rule reload; then every captured line is searched for every
personal value the fixtures' payloads hold: IINs (the specialist's, an
individual applicant's), last, first and middle names, phones, e-mails,
localities and addresses.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config

from specreg.web.app import create_app
from specreg.web.json_logs import GunicornLogger, JsonLineFormatter, log_config
from specreg.workbench.cases import Case, load_cases

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = [case for path in sorted(FIXTURES.glob("*.yaml")) for case in load_cases(path)]


def personal_values(payload: Any) -> set[str]:
    """The personal data of one payload, wherever a case has put it (valid or not)."""
    if not isinstance(payload, dict):
        return set()
    specialist = payload.get("specialist") if isinstance(payload.get("specialist"), dict) else {}
    applicant = payload.get("applicant") if isinstance(payload.get("applicant"), dict) else {}
    found = [specialist.get(key) for key in ("iin", "last_name", "first_name", "patronymic")]
    for key, fields in (("contacts", ("mobile_phone", "email")),
                        ("address", ("locality", "registration_address"))):
        part = specialist.get(key)
        found += [part.get(field) for field in fields] if isinstance(part, dict) else []
    registration = applicant.get("registration")
    if isinstance(registration, dict):
        found += [registration.get("phone"), registration.get("email")]
    if applicant.get("kind") == "individual":  # a person: the name and the IIN in `bin` are personal
        found += [applicant.get("name"), applicant.get("bin")]
    values = {value.strip() for value in found if isinstance(value, str) and len(value.strip()) >= 4}
    return values | {value.lstrip("+") for value in values if value.startswith("+7")}


def personal_values_of_all_cases() -> set[str]:
    values: set[str] = set()
    for case in CASES:
        values |= personal_values(case.payload)
    return values


def screen(client, case: Case) -> int:
    headers = {"Accept-Language": case.accept_language} if case.accept_language else {}
    return client.post(f"/api/v1/screenings{case.query}", json=case.payload, headers=headers).status_code


def test_the_fixtures_hold_the_personal_data_searched_for():
    """The search below is only as good as this list: it must find every kind of value."""
    values = personal_values_of_all_cases()
    assert len(CASES) > 100
    assert {"850501300011", "Жұмабеков", "Асқар", "+77011234567", "77011234567",
            "askar@example.kz"} <= values
    assert any("улица" in value for value in values)


@pytest.fixture()
def captured(tmp_path, caplog, capsys):
    """Every line the service writes while serving all fixture cases, reloads and error answers."""
    decision_log = tmp_path / "decisions.jsonl"
    caplog.set_level(logging.DEBUG)
    app = create_app({"DECISION_LOG": str(decision_log), "IIN_SALT": "test-salt",
                      "ADMIN_TOKEN": "admin-secret"})
    client = app.test_client()
    decided = sum(screen(client, case) in (200, 422) for case in CASES)
    payload = CASES[0].payload
    client.post("/api/v1/screenings", data=json.dumps(payload).encode()[:-3], content_type="application/json")
    client.post("/api/v1/screenings", data=json.dumps(payload), content_type="text/plain")
    client.post("/api/v1/screenings?as_of=nope", json=payload)
    client.post(f"/api/v1/screenings/{payload['specialist']['iin']}", json=payload)
    client.post("/api/v1/admin/reload", headers={"Authorization": "Bearer admin-secret"})
    client.get("/metrics")
    formatter = JsonLineFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    lines += [record.getMessage() for record in caplog.records]
    lines += decision_log.read_text(encoding="utf-8").splitlines()
    output = capsys.readouterr()
    lines += output.out.splitlines() + output.err.splitlines()
    lines += client.get("/metrics").get_data(as_text=True).splitlines()
    return lines, decision_log, decided


def test_no_line_holds_personal_data(captured):
    lines, decision_log, decided = captured
    assert len(decision_log.read_text(encoding="utf-8").splitlines()) == decided > 100
    assert any('"logger": "specreg.access"' in line for line in lines)
    values = personal_values_of_all_cases()
    leaks = sorted({value for line in lines for value in values
                    if value in line or json.dumps(value)[1:-1] in line})
    assert leaks == []


def test_gunicorn_builds_no_access_line_that_it_would_drop():
    """gunicorn.access is off (the app logs each request itself): its atoms are not even built."""
    config = Config()
    config.set("logconfig_dict", log_config("info"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    access = logging.getLogger("gunicorn.access")
    try:
        logger = GunicornLogger(config)  # sets logging up as gunicorn.conf.py does
        logger.access(None, None, {}, None)  # building atoms from None would fail
        access.setLevel(logging.INFO)
        with pytest.raises(AttributeError):
            logger.access(None, None, {}, None)
    finally:
        access.setLevel(logging.CRITICAL)
        root.handlers[:], root.level = handlers, level
