"""``?explain=full``: the facts the rules saw and every rule with whether it fired and on which facts."""

from __future__ import annotations

from datetime import date

from payloads import valid_application

SCREEN = "/api/v1/screenings?as_of=2026-03-20"


def test_explain_lists_facts_and_every_rule_with_the_facts_it_fired_on(client):
    payload = valid_application()
    del payload["documents"][3]  # no_criminal_record_certificate: documents_incomplete
    payload["specialist"]["employment"][0]["staff_position"] = "психолог"  # employment_mismatch
    body = client.post(f"{SCREEN}&explain=full", json=payload).get_json()

    explain = body["explain"]
    facts = explain["facts"]
    assert [fact["id"] for fact in facts] == list(range(len(facts)))
    rules = {rule["id"]: rule for rule in explain["rules"]}
    assert explain["ruleset"] == {"id": "specreg-p9", "version": "2025.1"}

    missing = rules["documents.required_missing"]
    assert missing["fired"] is True
    assert missing["ground"] == "documents_incomplete" and missing["outcome"] == "return"
    assert [(facts[i]["t"], facts[i]["kind"]) for i in missing["matched"]] == [
        ("document", "no_criminal_record_certificate")
    ]
    job = rules["employment.position_not_staff_position"]
    assert next(facts[i] for i in job["matched"])["same_profession"] is False

    quiet = rules["court.social_work_ban_in_force"]
    assert quiet == {"id": "court.social_work_ban_in_force", "ground": "social_work_ban",
                     "outcome": "refuse", "fired": False, "matched": []}
    assert rules["verification.not_checked"]["code"] == "not_checked"
    assert "ground" not in rules["verification.not_checked"]
    fired = {rule_id for rule_id, rule in rules.items() if rule["fired"]}
    assert {rid for reason in body["reasons"] for rid in reason["rule_ids"]} <= fired


def test_every_rule_of_the_ruleset_is_listed_once(client):
    explain = client.post(f"{SCREEN}&explain=full", json=valid_application()).get_json()["explain"]
    listed = [rule["id"] for rule in explain["rules"]]
    shown = client.get("/api/v1/rulesets/2025.1").get_json()
    expected = [rule["id"] for rule in shown["rules"]] + [rule["id"] for rule in shown["warnings"]]
    assert sorted(listed) == sorted(expected) and len(listed) == len(set(listed))


def test_a_clean_application_fires_nothing_and_facts_are_relative_to_as_of(client):
    payload = valid_application()
    explain = client.post(f"{SCREEN}&explain=full", json=payload).get_json()["explain"]
    assert not any(rule["fired"] for rule in explain["rules"] if "ground" in rule)
    certificate = next(f for f in explain["facts"]
                       if f["t"] == "supplied_document" and f["kind"] == "no_criminal_record_certificate")
    assert certificate["days_left"] == (date(2099, 12, 31) - date(2026, 3, 20)).days


def test_without_explain_there_is_no_trace_and_a_bad_value_is_a_400_problem(client):
    plain = client.post(SCREEN, json=valid_application())
    assert plain.status_code == 200 and "explain" not in plain.get_json()
    bad = client.post(f"{SCREEN}&explain=yes", json=valid_application())
    assert bad.status_code == 400
    assert bad.mimetype == "application/problem+json"
    assert bad.get_json()["type"] == "urn:specreg:problem:bad-explain"
