"""The HTTP contract (CONTRACT.md sections 0, 2, 3 and 6) through Flask's test client."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time

from payloads import valid_application

SCREENINGS = "/api/v1/screenings"


def test_healthz_answers_once_rules_are_compiled(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "ok"


def test_clean_application_registers_with_deadline_and_ruleset(client, screen):
    answer = screen(valid_application())
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["outcome"] == "register"
    assert body["reasons"] == [] and body["warnings"] == []
    assert body["as_of"] == "2026-03-20"
    # Received Monday 16 March 2026; 23 (Nauryz) and 24-25 March (Nauryz days moved
    # off the weekend) are days off, so the fifth working day is Thursday 26 March.
    assert body["decision_due"] == "2026-03-26"
    digest = body["ruleset"].pop("digest")
    assert body["ruleset"] == {"id": "specreg-p9", "version": "2025.1", "effective_from": "2025-01-25"}
    assert digest == client.get("/readyz").get_json()["digest"] and len(digest) == 16


@freeze_time("2026-11-30T20:00:00Z")
def test_as_of_defaults_to_today_in_almaty(client):
    # 20:00 UTC is 01:00 on 1 December in Almaty (UTC+05:00).
    answer = client.post(SCREENINGS, json=valid_application())
    assert answer.get_json()["as_of"] == "2026-12-01"


def test_refusals_come_first_and_every_ground_is_one_reason(client, screen):
    payload = valid_application()
    payload["specialist"]["profession"] = "водитель"
    payload["documents"] = [d for d in payload["documents"]
                            if d["kind"] not in ("employment_record", "no_criminal_record_certificate")]
    payload["verifications"]["court_decisions"] = [
        {"kind": "incapacity", "in_force_on": "2024-01-10", "ends_on": None}
    ]
    body = screen(payload).get_json()
    assert body["outcome"] == "refuse"
    assert [r["code"] for r in body["reasons"]] == [
        "legal_incapacity", "profession_mismatch", "documents_incomplete",
    ]
    missing = body["reasons"][2]
    assert missing["pointers"] == ["/documents"]
    assert missing["evidence"] == {"missing": ["employment_record", "no_criminal_record_certificate"]}
    assert missing["basis"]["paragraph"] == "p.9 sp.2 ¶4"
    assert set(missing["basis"]["text"]) == {"kk", "ru"}
    assert missing["rule_id"] == "documents.required_missing"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ru-RU", "ru"),
        ("kk-KZ, ru;q=0.5", "kk"),
        ("de, en;q=0.8, ru;q=0.1", "en"),
        ("fr", "ru"),  # no supported language: the application's own
        ("*", "ru"),
        ("en;q=0, kk;q=0.2", "kk"),
    ],
)
def test_message_language_follows_accept_language(client, header, language, screen):
    payload = valid_application()
    payload["specialist"]["profession"] = "водитель"
    answer = screen(payload, **{"Accept-Language": header})
    body = answer.get_json()
    assert body["language"] == language
    message = body["reasons"][0]["message"]
    expected_word = {"kk": "сыныптауыш", "ru": "классификатор", "en": "classifier"}[language]
    assert expected_word in message


def test_application_language_is_used_without_header(client, screen):
    payload = valid_application()
    payload["language"] = "kk"
    payload["specialist"]["profession"] = "водитель"
    body = screen(payload).get_json()
    assert "сыныптауыш" in body["reasons"][0]["message"]


def test_absent_verification_is_a_warning_not_a_ground(client, screen):
    payload = valid_application()
    del payload["verifications"]["residence"]
    body = screen(payload).get_json()
    assert body["outcome"] == "register"
    assert body["warnings"] == [
        {"code": "not_checked", "message": body["warnings"][0]["message"],
         "pointers": ["/verifications/residence"]}
    ]


# --- transport errors: every one a problem+json, never a 5xx ---------------

def assert_problem(answer, status):
    assert answer.status_code == status
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def test_invalid_payload_lists_every_error_at_once(client, screen):
    payload = valid_application()
    payload["specialist"]["iin"] = "850501300012"
    payload["specialist"]["favourite_colour"] = "green"
    del payload["applicant"]["name"]
    body = assert_problem(screen(payload, **{"Accept-Language": "en"}), 422)
    found = {(e["pointer"], e["code"]) for e in body["errors"]}
    assert ("/specialist/favourite_colour", "unknown_property") in found
    assert ("/applicant/name", "required") in found
    assert any(pointer == "/specialist/iin" for pointer, _ in found)
    for error in body["errors"]:
        assert set(error) == {"pointer", "code", "message"}
        assert "850501300012" not in error["message"] and "green" not in error["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=latin-1"])
def test_body_that_is_not_json_is_415(client, content_type):
    answer = client.post(SCREENINGS, data=b"{}", headers={"Content-Type": content_type})
    assert_problem(answer, 415)


def test_missing_content_type_is_415(client):
    assert_problem(client.post(SCREENINGS, data=b"{}"), 415)


def test_body_over_one_mebibyte_is_413(client):
    body = b'{"application_id": "' + b"x" * (1024 * 1024) + b'"}'
    answer = client.post(SCREENINGS, data=body, headers={"Content-Type": "application/json"})
    assert_problem(answer, 413)


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"a": 1,}', b"\xff\xfe{}", b'{"a": 1, "a": 2}', b'{"a": NaN}',
     b"[" * 100_000 + b"]" * 100_000, b"1" * 5000, b""],
)
def test_malformed_json_is_400(client, body):
    answer = client.post(SCREENINGS, data=body, headers={"Content-Type": "application/json"})
    assert_problem(answer, 400)


def test_nesting_limit_is_64_levels(client):
    def nested(levels):
        return b"[" * (levels - 1) + b"{}" + b"]" * (levels - 1)

    headers = {"Content-Type": "application/json"}
    assert_problem(client.post(SCREENINGS, data=nested(65), headers=headers), 400)
    # 64 levels parse; the payload is then merely not an application.
    assert_problem(client.post(SCREENINGS, data=nested(64), headers=headers), 422)


@pytest.mark.parametrize("as_of", ["2026-02-30", "2026-1-1", "20260101", "today", "2026-03-20T00:00"])
def test_bad_as_of_is_400(client, as_of):
    assert_problem(client.post(SCREENINGS + f"?as_of={as_of}", json=valid_application()), 400)


def test_as_of_before_the_rules_is_400(client, screen):
    body = assert_problem(screen(valid_application(), as_of="2024-12-31"), 400)
    assert body["type"].endswith("no-ruleset-in-force")


def test_unknown_route_and_method_answer_problems(client):
    assert_problem(client.get("/api/v1/nothing"), 404)
    assert_problem(client.get(SCREENINGS), 405)


@pytest.mark.parametrize("payload", [[], "text", 42, None, {"application_id": []}])
def test_payload_of_the_wrong_shape_is_422(client, payload):
    answer = client.post(SCREENINGS, data=json.dumps(payload), headers={"Content-Type": "application/json"})
    assert_problem(answer, 422)


def test_dates_at_the_end_of_the_calendar_are_input_errors_not_crashes(client, screen):
    payload = valid_application()
    payload["received_at"] = "9999-12-28T10:00:00+05:00"
    payload["documents"][0]["valid_until"] = "9999-12-31"
    body = assert_problem(screen(payload, as_of="9999-12-31"), 422)
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [("/received_at", "deadline_out_of_range")]


def test_a_json_structured_suffix_type_is_json(client):
    answer = client.post(SCREENINGS + "?as_of=2026-03-20", data=json.dumps(valid_application()),
                         headers={"Content-Type": "application/vnd.portal+json; charset=utf-8"})
    assert answer.status_code == 200
