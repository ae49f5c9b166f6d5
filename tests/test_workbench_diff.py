"""``specreg diff``, the issue's "done means": change the category term from 3 to 2 years in a copy
of the rules, lint it, test it, and see exactly which applications of a JSONL export change."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gunicorn_process import REPO, RULES, copy_rules, with_term
from payloads import qualified_application, valid_application
from specreg.cli import main
from specreg.workbench.cases import collect_cases

AS_OF = "2026-03-20"


def qualified(application_id: str, assigned_on: str) -> dict:
    return qualified_application(assigned_on, application_id)


def banned(application_id: str) -> dict:
    payload = qualified(application_id, "2023-09-01")
    payload["verifications"]["court_decisions"] = [
        {"kind": "social_work_ban", "in_force_on": "2025-01-10", "ends_on": None}]
    return payload


def export_lines() -> list[str]:
    """A night's export: one application a line, as of 20 March 2026 unless a line says otherwise."""
    invalid = valid_application()
    invalid["application_id"] = "APP-INVALID"
    invalid["specialist"]["iin"] = "850501300012"  # wrong check digit: 422 under both rule sets
    no_category = valid_application()
    no_category["application_id"] = "APP-NONE"
    lines = [
        no_category,                              # 1: nothing claimed
        qualified("APP-1Y9M", "2024-06-10"),      # 2: held 1 year 9 months
        qualified("APP-2Y6M", "2023-09-01"),      # 3: 2 years 6 months: lapses under a 2-year term
        qualified("APP-2Y-EXACT", "2024-03-20"),  # 4: exactly 2 years on as_of: lapses under 2
        qualified("APP-2Y-LESS-1D", "2024-03-21"),  # 5: one day short of 2 years
        qualified("APP-3Y", "2023-03-20"),        # 6: exactly 3 years: lapsed under both
        invalid,                                  # 7
        "{not json",                              # 8
        banned("APP-BANNED"),                     # 9: refused under both; gains a second ground
        {"application": qualified("APP-OWN-DAY", "2023-09-01"), "as_of": "2025-06-01"},  # 10: 1y9m then
    ]
    return [line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("term")
    candidate = copy_rules(root / "candidate")
    ruleset = candidate / "rulesets" / "rules-2025.yaml"
    text = ruleset.read_text(encoding="utf-8")
    ruleset.write_text(with_term(text, 2), encoding="utf-8")
    export = root / "export.jsonl"
    export.write_text("\n".join(export_lines()) + "\n\n", encoding="utf-8")
    return candidate, export


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def diff(scenario, *extra: str):
    candidate, export = scenario
    return cli("diff", "--base", str(RULES), "--candidate", str(candidate), "--as-of", AS_OF, *extra,
               str(export))


def test_lint_then_test_the_changed_term(scenario):
    candidate, _ = scenario
    linted = cli("lint", "--rules", str(candidate))
    assert linted.exit_code == 0 and "no problems found" in linted.output
    tested = cli("test", "--rules", str(candidate), "-k", "category")
    assert tested.exit_code == 1
    assert "FAIL  category_valid_day_before_three_years" in tested.output


def test_diff_shows_exactly_which_applications_change(scenario):
    result = diff(scenario, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    summary = report["summary"]
    assert summary["cases"] == 10 and summary["changed"] == 4
    assert summary["transitions"] == [{"from": "register", "to": "return", "count": 2}]
    assert summary["unchanged"] == {"invalid": 1, "refuse": 1, "register": 4, "return": 1, "unreadable": 1}
    assert summary["reasons_changed_same_outcome"] == 2
    assert [(c["case"], c["application_id"]) for c in report["changes"]] == [
        ("export.jsonl:3", "APP-2Y6M"), ("export.jsonl:4", "APP-2Y-EXACT"),
        ("export.jsonl:6", "APP-3Y"), ("export.jsonl:9", "APP-BANNED")]


def test_each_changed_application_has_its_before_and_after(scenario):
    report = json.loads(diff(scenario, "--json").output)
    changes = {change["application_id"]: change for change in report["changes"]}
    flipped = changes["APP-2Y6M"]
    assert flipped["changes"] == ["outcome", "reasons"]
    assert (flipped["before"]["outcome"], flipped["before"]["codes"]) == ("register", [])
    after = flipped["after"]
    assert (after["outcome"], after["codes"]) == ("return", ["qualification_unreliable"])
    assert after["reasons"][0]["rule_ids"] == ["qualification.term_lapsed"]
    assert after["reasons"][0]["pointers"] == ["/specialist/qualification/assigned_on"]
    assert "сроком на 2 г." in after["reasons"][0]["message"]
    assert changes["APP-2Y-EXACT"]["after"]["outcome"] == "return"
    message_only = changes["APP-3Y"]
    assert message_only["changes"] == ["reasons"]
    assert message_only["before"]["codes"] == message_only["after"]["codes"] == ["qualification_unreliable"]
    assert "сроком на 3 г." in message_only["before"]["reasons"][0]["message"]
    assert changes["APP-BANNED"]["before"]["codes"] == ["social_work_ban"]
    assert changes["APP-BANNED"]["after"]["codes"] == ["social_work_ban", "qualification_unreliable"]


def test_the_text_report_for_people(scenario):
    result = diff(scenario)
    assert result.exit_code == 1
    text = result.output
    assert "10 cases screened, 4 changed" in text
    assert "  register -> return: 2" in text
    assert "same outcome, reasons changed: 2" in text
    assert "  export.jsonl:3 (APP-2Y6M): register -> return  [outcome, reasons]" in text
    assert "    before: register: no ground (rule set 2025.1)" in text
    assert "    after:  return: qualification_unreliable (rule set 2025.1)" in text
    added = "    + qualification_unreliable [qualification.term_lapsed] /specialist/qualification/assigned_on"
    assert added in text
    for unchanged in ("APP-NONE", "APP-1Y9M", "APP-2Y-LESS-1D", "APP-INVALID", "APP-OWN-DAY"):
        assert unchanged not in text


def test_parallel_workers_give_the_same_report(scenario):
    single = json.loads(diff(scenario, "--json").output)
    parallel = diff(scenario, "--json", "--workers", "2")
    assert parallel.exit_code == 1
    assert json.loads(parallel.output) == single


def test_a_worker_that_dies_ends_the_diff_with_a_sentence_and_no_report(scenario, tmp_path):
    """A worker killed mid-comparison (out of memory, a signal): status 5 and a sentence in the
    reader's language, not a traceback, a half-counted report or a wait for ever."""
    candidate, export = scenario
    many = tmp_path / "many.jsonl"
    many.write_bytes(export.read_bytes() * 600)
    specreg = Path(sys.executable).with_name("specreg")
    process = subprocess.Popen(
        [str(specreg), "diff", "--base", str(RULES), "--candidate", str(candidate), "--as-of", AS_OF,
         "--workers", "2", "--lang", "ru", str(many)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "LANG": "ru_RU.UTF-8"})
    deadline, workers = time.monotonic() + 60, []
    while time.monotonic() < deadline and len(workers) < 2 and process.poll() is None:
        time.sleep(0.2)  # the spawned workers start, read both rule directories, then compare
        workers = subprocess.run(["pgrep", "-P", str(process.pid), "-f", "spawn_main"],
                                 capture_output=True, text=True).stdout.split()  # not the resource tracker
    assert len(workers) == 2, "the diff ended before its workers could be stopped"
    time.sleep(1)
    for worker in workers:
        os.kill(int(worker), signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 5
    assert "Рабочий процесс неожиданно остановился" in stderr.decode("utf-8")
    assert b"Traceback" not in stderr and stdout == b""


def test_no_change_exits_0(scenario):
    _, export = scenario
    result = cli("diff", "--base", str(RULES), "--candidate", str(RULES), "--as-of", AS_OF, str(export))
    assert result.exit_code == 0 and "10 cases screened, 0 changed" in result.output
    assert "outcome transitions: none" in result.output


def test_diff_over_the_fixture_cases_by_default(scenario):
    candidate, _ = scenario
    result = cli("diff", "--base", str(RULES), "--candidate", str(candidate), "--json")
    report = json.loads(result.output)
    assert report["summary"]["cases"] == len(collect_cases([REPO / "fixtures"]))
    assert {"from": "register", "to": "return", "count": 2} in report["summary"]["transitions"]
    assert "category_valid_day_before_three_years" in {c["case"] for c in report["changes"]}


def test_an_unknown_version_is_usage_2_and_a_broken_directory_cannot_run_5(scenario, tmp_path):
    candidate, export = scenario
    unknown = cli("diff", "--base", str(RULES), "--candidate", str(candidate), "--candidate-ruleset", "9.9",
                  str(export))
    assert unknown.exit_code == 2 and "no rule set version '9.9'" in unknown.output
    broken = copy_rules(tmp_path / "broken")
    (broken / "rulesets" / "rules-2025.yaml").write_text("rules: [\n", encoding="utf-8")
    result = cli("diff", "--base", str(RULES), "--candidate", str(broken), str(export))
    assert result.exit_code == 5 and "--candidate: the rule directory does not load" in result.output
