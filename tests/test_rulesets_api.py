"""Rule set versions side by side: the one in force on as_of screens, ``?ruleset=`` picks one,
and ``/api/v1/rulesets`` publishes them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gunicorn_process import add_2026_version, copy_rules
from payloads import qualified_application
from specreg.cli import main
from specreg.web.app import create_app

CURRENT = "rulesets/rules-2025.yaml"


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """2025.1 in force until 1 July 2026, then 2026.1 whose category term is 2 years."""
    return add_2026_version(copy_rules(tmp_path_factory.mktemp("versions") / "rules"))


@pytest.fixture(scope="module")
def versioned_client(two_versions):
    return create_app({"RULES_DIR": str(two_versions)}).test_client()


def qualified(assigned_on: str = "2024-06-10") -> dict:
    return qualified_application(assigned_on)


def screen(client, query: str) -> dict:
    answer = client.post(f"/api/v1/screenings?{query}", json=qualified())
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_the_version_in_force_on_as_of_screens(versioned_client):
    before = screen(versioned_client, "as_of=2026-06-30")
    assert before["ruleset"]["version"] == "2025.1"
    assert before["outcome"] == "register"  # held 2 years, the term is 3
    on_the_day = screen(versioned_client, "as_of=2026-07-01")
    assert on_the_day["ruleset"] | {"digest": "-"} == {"id": "specreg-p9", "version": "2026.1",
                                                       "effective_from": "2026-07-01", "digest": "-"}
    assert [r["code"] for r in on_the_day["reasons"]] == ["qualification_unreliable"]


def test_ruleset_parameter_picks_a_version_whatever_the_day(versioned_client):
    tried = screen(versioned_client, "as_of=2026-06-30&ruleset=2026.1")
    assert tried["ruleset"]["version"] == "2026.1" and tried["outcome"] == "return"
    old = screen(versioned_client, "as_of=2026-07-01&ruleset=2025.1")
    assert old["ruleset"]["version"] == "2025.1" and old["outcome"] == "register"


def test_an_unknown_version_is_a_400_problem_naming_the_known_ones(versioned_client):
    answer = versioned_client.post("/api/v1/screenings?ruleset=1999.9", json=qualified(),
                                   headers={"Accept-Language": "en"})
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["type"] == "urn:specreg:problem:unknown-ruleset"
    assert "2025.1, 2026.1" in body["detail"] and "1999.9" not in body["detail"]


def test_the_list_says_which_version_is_in_force_on_a_day(versioned_client):
    listed = versioned_client.get("/api/v1/rulesets?as_of=2026-07-01").get_json()
    assert listed["in_force"] == "2026.1"
    assert [(r["version"], r["effective_from"], r["effective_until"], r["in_force"])
            for r in listed["rulesets"]] == [("2025.1", "2025-01-25", "2026-07-01", False),
                                             ("2026.1", "2026-07-01", None, True)]
    assert versioned_client.get("/api/v1/rulesets?as_of=2026-06-30").get_json()["in_force"] == "2025.1"
    assert versioned_client.get("/api/v1/rulesets?as_of=2024-01-01").get_json()["in_force"] is None
    assert versioned_client.get("/api/v1/rulesets?as_of=2026-02-30").status_code == 400


def test_one_version_shows_every_rule_with_its_ground_citation_and_messages(client):
    shown = client.get("/api/v1/rulesets/2025.1").get_json()
    assert shown["version"] == "2025.1" and shown["parameters"]["category_term_years"] == 3
    assert len(shown["grounds"]) == 9
    rules = {rule["id"]: rule for rule in shown["rules"]}
    lapsed = rules["qualification.term_lapsed"]
    assert lapsed["ground"] == "qualification_unreliable" and lapsed["outcome"] == "return"
    assert lapsed["basis"]["paragraph"] == "p.9 sp.2 ¶3"
    assert lapsed["basis"]["act"].startswith("Приказ Министра труда")
    assert set(lapsed["message"]) == {"kk", "ru", "en"}
    assert "pri" not in json.dumps(lapsed["when"]) and "years_held" in json.dumps(lapsed["when"])
    assert [w["code"] for w in shown["warnings"]] == ["not_checked", "court_act_not_verdict",
                                                      "no_current_employment"]


def test_a_version_shows_each_quote_with_its_marks(client):
    """The Kazakh texts of the act are a working translation, and the answer says so beside them."""
    shown = client.get("/api/v1/rulesets/2025.1").get_json()
    title = shown["act"]["title"]
    assert title["status"] == {"kk": "working_translation", "ru": "verbatim"}
    assert title["where"] == {"part": "rules", "element": "title"}
    assert shown["act"]["citation"]["ru"] == ("Приказ Министра труда и социальной защиты населения "
                                              "Республики Казахстан от 23 января 2025 года № 21")
    grounds = {ground["code"]: ground["basis"] for ground in shown["grounds"]}
    emigration = grounds["permanent_emigration"]
    assert emigration["text_status"] == {"kk": "working_translation", "ru": "verbatim"}
    assert emigration["where"] == {"part": "rules", "point": 9, "subpoint": 3, "indent": 5}
    assert emigration["citation"] == {"kk": "Қағидалардың 9-тармағы 3) тармақшасының 5-абзацы",
                                      "ru": "п. 9 пп. 3) абз. 5 Правил"}
    assert emigration["slips"][0]["as_published"] == "место жительство"
    assert grounds["documents_incomplete"]["text"] == grounds["documents_expired"]["text"]
    basis = shown["effective_from_basis"]
    assert shown["effective_from"] == "2025-01-25"
    assert basis["quote"]["where"] == {"part": "order", "point": 4}


def test_an_unknown_version_is_404(client):
    answer = client.get("/api/v1/rulesets/0.0")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert answer.get_json()["type"] == "urn:specreg:problem:unknown-ruleset"


def test_specreg_screen_takes_ruleset_too(two_versions, tmp_path):
    application = tmp_path / "application.json"
    application.write_text(json.dumps(qualified(), ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    base = ["screen", str(application), "--rules", str(two_versions), "--as-of", "2026-06-30"]
    by_date = runner.invoke(main, base)
    assert by_date.exit_code == 0 and json.loads(by_date.output)["ruleset"]["version"] == "2025.1"
    chosen = runner.invoke(main, [*base, "--ruleset", "2026.1"])
    assert chosen.exit_code == 1 and json.loads(chosen.output)["outcome"] == "return"
    unknown = runner.invoke(main, [*base, "--ruleset", "nope"])
    assert unknown.exit_code == 2
    assert json.loads(unknown.output)["type"] == "urn:specreg:problem:unknown-ruleset"
