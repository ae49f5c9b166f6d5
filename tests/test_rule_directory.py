"""One owner of the rule directory: every file served from one path, swapped whole on reload.

Each test edits a copy of the shipped rule directory, as an administrator
would, and asks the service through HTTP (the app's test client, or the CLI
as a person runs it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gunicorn_process import set_term
from payloads import qualified_application, valid_application
from specreg.cli import main
from specreg.web.app import create_app

SCREEN = "/api/v1/screenings?as_of=2026-03-20"
RELOAD = "/api/v1/admin/reload"
ADMIN = {"Authorization": "Bearer admin-secret"}
RULESET = Path("rulesets") / "rules-2025.yaml"


@pytest.fixture()
def app(rules: Path):
    return create_app({"RULES_DIR": str(rules), "ADMIN_TOKEN": "admin-secret"})


def edit(rules: Path, relative: str, old: str, new: str) -> None:
    target = rules / relative
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer holds {old!r}"
    target.write_text(text.replace(old, new), encoding="utf-8")


def invalid_payload() -> dict:
    payload = valid_application()
    payload["specialist"]["iin"] = "850501300012"  # a wrong check digit
    return payload


def reload(client, **headers) -> dict:
    answer = client.post(RELOAD, headers={**ADMIN, **headers})
    return {**answer.get_json(), "http": answer.status_code}


# --- everything is served from the app's own directory -------------------------------------


def test_create_app_with_a_rules_dir_takes_every_text_from_it(rules: Path, monkeypatch) -> None:
    """Error texts, input-error messages, page texts, the registry form: all from RULES_DIR."""
    monkeypatch.setenv("SPECREG_RULES_DIR", "/nonexistent")  # the mapping given to create_app wins
    edit(rules, "messages/problems.yaml", "На эту дату нет действующих правил",
         "Правил на эту дату нет (копия)")
    edit(rules, "messages/input_errors.yaml", '"{field}: неверное контрольное число',
         '"{field}: контрольное число неверно (копия)')
    edit(rules, "messages/admin_page.yaml", "Норма}", "Норма (копия)}")
    edit(rules, "reference/registry_form.yaml", 'ru: "дата рождения"', 'ru: "дата рождения (копия)"')
    client = create_app({"RULES_DIR": str(rules)}).test_client()
    ru = {"Accept-Language": "ru"}
    assert client.post("/api/v1/screenings?as_of=2020-01-01", json=valid_application(),
                       headers=ru).get_json()["title"] == "Правил на эту дату нет (копия)"
    errors = client.post(SCREEN, json=invalid_payload(), headers=ru).get_json()["errors"]
    assert any("(копия)" in error["message"] for error in errors)
    assert "Норма (копия)" in client.get("/admin?lang=ru").get_data(as_text=True)
    columns = client.post(SCREEN, json=valid_application()).get_json()["registry_entry"]["columns"]
    assert columns[1]["label"]["ru"] == "дата рождения (копия)"


def test_the_answer_and_readyz_carry_the_same_digest_and_an_edit_changes_it(app, rules: Path) -> None:
    client = app.test_client()
    first = client.post(SCREEN, json=valid_application()).get_json()["ruleset"]["digest"]
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert client.get("/readyz").get_json()["digest"] == first
    edit(rules, "messages/labels.yaml", "ru: запрет заниматься социальной работой",
         "ru: запрет на социальную работу")
    assert reload(client)["digest"] != first
    second = client.post(SCREEN, json=valid_application()).get_json()["ruleset"]["digest"]
    assert second == client.get("/readyz").get_json()["digest"] != first
    # Two apps on equal content agree: workers are compared by this one value.
    assert create_app({"RULES_DIR": str(rules)}).test_client().get("/readyz").get_json()["digest"] == second


# --- a reload swaps every file at once ----------------------------------------------------


@pytest.mark.parametrize(("relative", "old", "new", "seen"), [
    ("messages/problems.yaml", "На эту дату нет действующих правил", "Нет правил на эту дату",
     lambda c: c.post("/api/v1/screenings?as_of=2020-01-01", json=valid_application(),
                      headers={"Accept-Language": "ru"}).get_json()["title"] == "Нет правил на эту дату"),
    ("messages/input_errors.yaml", '"{field}: неверное контрольное число',
     '"{field}: контрольное число не сходится',
     lambda c: any("не сходится" in e["message"] for e in c.post(
         SCREEN, json=invalid_payload(), headers={"Accept-Language": "ru"}).get_json()["errors"])),
    ("messages/admin_page.yaml", "Норма}", "Правовая норма}",
     lambda c: "Правовая норма" in c.get("/admin?lang=ru").get_data(as_text=True)),
])
def test_one_reload_serves_an_edit_to_any_file(app, rules: Path, relative, old, new, seen) -> None:
    client = app.test_client()
    edit(rules, relative, old, new)
    assert reload(client)["http"] == 200
    assert seen(client)


def test_one_reload_serves_an_edited_registry_label(app, rules: Path) -> None:
    client = app.test_client()
    edit(rules, "reference/registry_form.yaml", 'kk: "туған күні"', 'kk: "туған күні (өзгертілді)"')
    assert reload(client)["http"] == 200
    columns = client.post(SCREEN, json=valid_application()).get_json()["registry_entry"]["columns"]
    assert columns[1]["label"]["kk"] == "туған күні (өзгертілді)"


@pytest.mark.parametrize(("relative", "old", "new"), [
    ("messages/input_errors.yaml", "messages:\n", "messages: [\n"),
    ("messages/problems.yaml", "    status: 422\n", "    status: many\n"),
    ("messages/admin_page.yaml", "texts:\n", "texts: 3\n"),
    ("calendar.yaml", "add_days_off:", "cancel_days_off: []\nadd_days_off:"),
])
def test_a_broken_file_of_any_kind_answers_422_with_file_and_line_and_keeps_the_old_rules(
        app, rules: Path, relative, old, new) -> None:
    client = app.test_client()
    digest = client.get("/readyz").get_json()["digest"]
    edit(rules, relative, old, new)
    answer = reload(client, **{"Accept-Language": "en"})
    assert answer["http"] == 422 and answer["type"] == "urn:specreg:problem:reload-failed"
    assert {error["file"] for error in answer["errors"]} == {relative}
    assert all(isinstance(error["line"], int) for error in answer["errors"])
    assert client.get("/readyz").get_json()["digest"] == digest
    assert client.post(SCREEN, json=valid_application()).status_code == 200  # the old rules serve


# --- typed parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(("value", "message"), [
    ('"three"', "must be of type integer"),
    ("true", "must be of type integer"),
    ("1.0e+9", "must be of type integer"),
    ("2.5", "must be of type integer"),
    ("0", "is below its minimum 1"),
    ("11", "is above its maximum 10"),
])
def test_a_parameter_outside_its_type_or_range_is_refused_by_lint_and_reload(
        app, rules: Path, value: str, message: str) -> None:
    edit(rules, str(RULESET), "category_term_years:\n    value: 3",
         f"category_term_years:\n    value: {value}")
    result = CliRunner().invoke(main, ["lint", str(rules)])
    assert result.exit_code == 1
    assert re.search(rf"rules-2025\.yaml:\d+: error: the parameter 'category_term_years' {message}",
                     result.output), result.output
    answer = reload(app.test_client(), **{"Accept-Language": "ru"})
    assert answer["http"] == 422 and answer["errors"][0]["check"] == "parameter-type"
    assert message not in answer["errors"][0]["detail"]  # where and which check, never what the file says
    assert answer["errors"][0]["message"] == "Значение параметра не его типа или вне его диапазона."


def test_a_parameter_within_its_range_is_served(app, rules: Path) -> None:
    set_term(rules, 10)
    assert reload(app.test_client())["http"] == 200


# --- drafts -------------------------------------------------------------------------------


def add_draft(rules: Path, effective_from: str = "2025-06-01") -> None:
    """A candidate beside the current version, with a past effective_from, marked a draft."""
    text = (rules / RULESET).read_text(encoding="utf-8")
    draft = (text.replace('version: "2025.1"', 'version: "2026.draft"\nstatus: draft')
             .replace('effective_from: "2025-01-25"', f'effective_from: "{effective_from}"')
             .replace("category_term_years:\n    value: 3", "category_term_years:\n    value: 5"))
    (rules / "rulesets" / "rules-2026-draft.yaml").write_text(draft, encoding="utf-8")


def qualified_lapsed() -> dict:
    """A category of 2022-03-01: lapsed on 2026-03-20 under a 3-year term, not under 5."""
    return qualified_application("2022-03-01")


def test_a_draft_is_never_in_force_by_date_and_is_picked_by_name(rules: Path) -> None:
    add_draft(rules)
    assert CliRunner().invoke(main, ["lint", str(rules)]).exit_code == 0  # no overlap: it is a draft
    client = create_app({"RULES_DIR": str(rules)}).test_client()
    by_date = client.post(SCREEN, json=qualified_lapsed()).get_json()
    assert by_date["ruleset"]["version"] == "2025.1" and by_date["outcome"] == "return"
    today = client.post("/api/v1/screenings", json=qualified_lapsed()).get_json()
    assert today["ruleset"]["version"] == "2025.1"
    named = client.post(SCREEN + "&ruleset=2026.draft", json=qualified_lapsed()).get_json()
    assert named["ruleset"]["version"] == "2026.draft" and named["outcome"] == "register"
    listed = client.get("/api/v1/rulesets?as_of=2026-03-20").get_json()
    assert listed["in_force"] == "2025.1"


def test_a_draft_version_s_coverage_counts_its_rules_only(rules: Path) -> None:
    add_draft(rules)
    result = CliRunner().invoke(main, ["test", "--rules", str(rules), "--ruleset", "2026.draft"])
    # 20 rules in the draft (not 40, the two versions' together); a 5-year term fires no lapse.
    assert "rule coverage: 19 of 20 rules" in result.output, result.output


# --- the calendar is a data file like the others -----------------------------------------


def test_a_date_listed_twice_in_the_calendar_is_a_file_and_line_error_everywhere(rules: Path) -> None:
    calendar = rules / "calendar.yaml"
    text = calendar.read_text(encoding="utf-8")
    entry = "  - date: 2030-01-02\n    reason: test\n"
    calendar.write_text(text.replace("\nadd_days_off:\n", "\nadd_days_off:\n" + entry + entry, 1), "utf-8")
    runner = CliRunner()
    expected = re.compile(r"calendar\.yaml:\d+: error: 2030-01-02 is listed more than once")
    lint = runner.invoke(main, ["lint", str(rules)])
    assert lint.exit_code == 1 and expected.search(lint.output), lint.output
    tested = runner.invoke(main, ["test", "--rules", str(rules)])
    assert tested.exit_code == 5 and expected.search(tested.output) and "Traceback" not in tested.output
    payload = rules.parent / "payload.json"
    payload.write_text(json.dumps(valid_application()), encoding="utf-8")
    screened = runner.invoke(main, ["screen", str(payload), "--rules", str(rules)])
    assert screened.exit_code == 5 and expected.search(screened.output), screened.output
