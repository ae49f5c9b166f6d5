"""Resubmission after a return (p.10) and what every return ground tells the applicant to fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from payloads import valid_application
from specreg.cli import main
from specreg.data_files import load_data_file
from specreg.paths import REPO_ROOT, SCHEMAS_DIR
from specreg.ruleset import load_ruleset

SCREENINGS = "/api/v1/screenings?as_of=2026-03-20"
RULESETS = sorted((REPO_ROOT / "rules" / "rulesets").glob("*.yaml"))


def returned_application() -> dict:
    """No employment record, and an identity document that expired on 2026-03-01."""
    payload = valid_application()
    payload["documents"] = [d for d in payload["documents"] if d["kind"] != "employment_record"]
    payload["documents"][0]["valid_until"] = "2026-03-01"
    return payload


def previous_of(body: dict) -> dict:
    return {"application_id": body["application_id"], "outcome": body["outcome"],
            "reasons": [reason["code"] for reason in body["reasons"]]}


def test_return_fix_register_walk_through_http(client, screen):
    first = screen(returned_application(), **{"Accept-Language": "ru"}).get_json()
    assert first["outcome"] == "return"
    assert [r["code"] for r in first["reasons"]] == ["documents_incomplete", "documents_expired"]
    assert "resubmission" not in first and "registry_entry" not in first
    expired = first["reasons"][1]
    assert "/documents/0/valid_until" in expired["message"]  # where to fix, in the message itself
    assert "Замените" in expired["message"]

    fixed = valid_application()  # the employment record attached, the identity document renewed
    fixed["previous"] = previous_of(first)
    second = screen(fixed, **{"Accept-Language": "ru"})
    assert second.status_code == 200
    body = second.get_json()
    assert body["outcome"] == "register"
    assert body["resubmission"] == {
        "resolved": ["documents_incomplete", "documents_expired"], "outstanding": [], "new": [],
    }
    assert body["registry_entry"]["columns"][0]["text"]["ru"] == "Жұмабеков Асқар Серікұлы"


def test_a_partial_fix_lists_outstanding_and_new_grounds(client, screen):
    first = screen(returned_application(), **{"Accept-Language": "ru"}).get_json()
    again = valid_application()
    again["documents"][0]["valid_until"] = "2026-03-01"  # still expired
    again["specialist"]["employment"][0]["position"] = "водитель"  # a new ground
    again["previous"] = previous_of(first)
    body = screen(again, **{"Accept-Language": "ru"}).get_json()
    assert body["outcome"] == "return"
    assert body["resubmission"] == {
        "resolved": ["documents_incomplete"], "outstanding": ["documents_expired"],
        "new": ["employment_mismatch"],
    }


def test_a_refusal_found_on_resubmission_is_new(client, screen):
    payload = valid_application()
    payload["verifications"]["court_decisions"] = [
        {"kind": "social_work_ban", "in_force_on": "2026-01-10", "ends_on": None}]
    payload["previous"] = {"application_id": payload["application_id"], "outcome": "return",
                           "reasons": ["profession_mismatch"]}
    body = screen(payload, **{"Accept-Language": "ru"}).get_json()
    assert body["outcome"] == "refuse"
    assert body["resubmission"] == {
        "resolved": ["profession_mismatch"], "outstanding": [], "new": ["social_work_ban"]}


@pytest.mark.parametrize(
    ("outcome", "reasons", "kind"),
    [("refuse", ["legal_incapacity"], "resubmission-after-refusal"),
     ("register", [], "resubmission-after-registration")],
)
@pytest.mark.parametrize(
    ("language", "word"), [("ru", "п. 10"), ("kk", "10-тармақ"), ("en", "p.10")],
)
def test_no_resubmission_after_a_refusal_or_a_registration(
        client, outcome, reasons, kind, language, word, screen):
    payload = valid_application()
    payload["previous"] = {"application_id": payload["application_id"], "outcome": outcome,
                           "reasons": reasons}
    answer = screen(payload, **{"Accept-Language": language})
    assert answer.status_code == 409
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["type"] == f"urn:specreg:problem:{kind}"
    assert problem["status"] == 409
    assert word in problem["detail"]


def test_previous_must_name_the_same_application(client, screen):
    payload = valid_application()
    payload["previous"] = {"application_id": "APP-OTHER-777", "outcome": "return",
                           "reasons": ["documents_incomplete"]}
    payload["specialist"]["birth_date"] = "1985-05-02"  # every error is listed at once
    answer = screen(payload, **{"Accept-Language": "kk"})
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert [(e["pointer"], e["code"]) for e in errors] == [
        ("/previous/application_id", "previous_application_mismatch"),
        ("/specialist/birth_date", "iin_birth_date"),
    ]
    assert "APP-OTHER-777" not in errors[0]["message"]
    assert "/application_id" in errors[0]["message"]


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        ({"outcome": "return", "reasons": []}, [("/previous/reasons", "too_few")]),
        ({"outcome": "return", "reasons": ["social_work_ban"]}, [("/previous/reasons/0", "enum")]),
        ({"outcome": "return", "reasons": ["nope"]}, [("/previous/reasons/0", "enum")]),
        ({"outcome": "maybe", "reasons": []}, [("/previous/outcome", "enum")]),
        ({"outcome": "return", "reasons": ["documents_incomplete"], "note": "x"},
         [("/previous/note", "unknown_property")]),
        ({"reasons": ["documents_incomplete"]}, [("/previous/outcome", "required")]),
    ],
)
def test_previous_is_a_small_closed_object(client, previous, expected, screen):
    payload = valid_application()
    payload["previous"] = {"application_id": payload["application_id"], **previous}
    answer = screen(payload, **{"Accept-Language": "ru"})
    assert answer.status_code == 422
    assert [(e["pointer"], e["code"]) for e in answer.get_json()["errors"]] == expected


def test_the_command_line_answers_the_same(tmp_path):
    payload = valid_application()
    payload["previous"] = {"application_id": payload["application_id"], "outcome": "return",
                           "reasons": ["documents_incomplete"]}
    path = tmp_path / "application.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["screen", str(path), "--as-of", "2026-03-20"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["resubmission"]["resolved"] == ["documents_incomplete"]
    assert body["registry_entry"]["columns"][4]["text"]["kk"] == "әлеуметтік жұмыс жөніндегі маман"
    payload["previous"]["outcome"] = "refuse"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    refused = CliRunner().invoke(main, ["screen", str(path), "--as-of", "2026-03-20", "--lang", "en"])
    assert refused.exit_code == 4  # not screened: the problem document is printed
    assert json.loads(refused.output)["type"] == "urn:specreg:problem:resubmission-after-refusal"


# --- what to fix: every return ground says what to do and where ------------------

INSTRUCTIONS = {
    "ru": r"\b(укажите|приложите|исправьте|замените|уберите|проверьте)\b",
    "kk": r"(көрсетіңіз|қоса беріңіз|түзетіңіз|ауыстырыңыз|алып тастаңыз)",
    "en": r"\b(give|attach|correct|replace|remove|check)\b",
}
# A placeholder of a fact field that holds a pointer, or a literal pointer into the payload.
POINTER = r"\{(\w+_)?at\}|/(documents|specialist|applicant|verifications)\b"


def _return_rules(path: Path) -> list:
    ruleset = load_ruleset(load_data_file(path, "ruleset.schema.json", SCHEMAS_DIR))
    return [rule for rule in ruleset.rules.values()
            if not rule.is_warning and ruleset.grounds[rule.code].outcome == "return"]


@pytest.mark.parametrize("path", RULESETS, ids=lambda path: path.name)
def test_every_return_message_says_what_to_correct_and_where(path):
    rules = _return_rules(path)
    assert {rule.code for rule in rules} == {
        "profession_mismatch", "qualification_unreliable", "documents_incomplete",
        "documents_expired", "employment_mismatch",
    }
    lacking = [
        (rule.id, lang)
        for rule in rules
        for lang, pattern in INSTRUCTIONS.items()
        if not (re.search(pattern, rule.message[lang], re.IGNORECASE | re.UNICODE)
                and re.search(POINTER, rule.message[lang]))
    ]
    assert lacking == []


def _claim_another_category(payload: dict) -> None:
    payload["specialist"]["qualification"] = {
        "category": "highest", "assigned_on": "2024-06-10", "commission": {"authority": "Комиссия"}}
    payload["verifications"]["qualification_record"] = {
        "status": "found", "category": "first", "assigned_on": "2024-06-10"}
    payload["documents"].append({"kind": "qualification_certificate", "number": "1",
                                 "issued_on": "2024-06-10", "valid_until": None})


def _expire_certificate(payload: dict) -> None:
    payload["documents"][3]["valid_until"] = "2026-03-19"


def _expire_license(payload: dict) -> None:
    payload["applicant"]["license"]["valid_until"] = "2026-03-19"


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (_claim_another_category, "/specialist/qualification/category"),
        (_expire_certificate, "/documents/3/valid_until"),
        (_expire_license, "/applicant/license"),
    ],
)
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_rendered_return_message_names_the_place_to_fix(client, change, pointer, language, screen):
    payload = valid_application()
    change(payload)
    body = screen(payload, **{"Accept-Language": language}).get_json()
    assert body["outcome"] == "return"
    assert pointer in body["reasons"][0]["message"]
