"""``specreg test``: the fixture table, failures with expected and got, coverage, JUnit, exit codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from gunicorn_process import REPO, copy_rules, with_term
from specreg.cli import main
from specreg.workbench.cases import collect_cases

FIXTURES = REPO / "fixtures"


def run(*args: str):
    return CliRunner().invoke(main, ["test", *args])


@pytest.fixture(scope="module")
def two_year_term(tmp_path_factory):
    """A candidate rule directory in which a category lapses after 2 years instead of 3."""
    rules = copy_rules(tmp_path_factory.mktemp("candidate") / "rules")
    ruleset = rules / "rulesets" / "rules-2025.yaml"
    text = ruleset.read_text(encoding="utf-8")
    ruleset.write_text(with_term(text, 2), encoding="utf-8")
    return rules


def test_the_shipped_fixtures_all_pass_with_full_coverage():
    result = run("--fail-under", "100")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["case", "file", "outcome"]
    row = next(line for line in lines if " register_clean " in line)
    assert row.split() == ["pass", "register_clean", "basic", "register", "-"]
    total = len(collect_cases([FIXTURES]))
    assert any(line.startswith(f"{total} cases: {total} passed, 0 failed") for line in lines)
    assert "rule coverage: 20 of 20 rules fired in at least one case (100.0%)" in result.output
    assert "ground coverage: 9 of 9 grounds of p.9 exercised" in result.output
    assert "\x1b[" not in result.output  # no colours when the output is not a terminal


def test_a_changed_rule_fails_its_cases_with_expected_got_and_messages(two_year_term):
    result = run("--rules", str(two_year_term), str(FIXTURES / "boundaries.yaml"))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert [line.split()[1] for line in failed] == [
        "category_valid_day_before_three_years", "category_of_29_february_valid_27_february"]
    at = lines.index(failed[0])
    assert lines[at + 1].split() == ["expected:", "register", "none"]
    assert lines[at + 2].split() == ["got:", "return", "qualification_unreliable"]
    assert "- outcome: expected register, got return" in lines[at + 3]
    assert lines[at + 5].strip().startswith("reason qualification_unreliable: Истёк срок")
    assert "сроком на 2 г." in lines[at + 5]


def test_k_selects_cases_by_name_file_and_tags():
    result = run("-k", "ban_ends and not medical")
    assert result.exit_code == 0, result.output
    names = [line.split()[1] for line in result.output.splitlines() if line.startswith("pass")]
    assert names and all("ban_ends" in name and "medical" not in name for name in names)
    by_file = run("-k", "deadlines")
    assert by_file.exit_code == 0
    assert all(line.split()[2] == "deadlines"
               for line in by_file.output.splitlines() if line.startswith("pass"))


def test_fail_under_exits_1_when_the_cases_run_leave_rules_unfired():
    result = run("-k", "register_clean", "--fail-under", "90")
    assert result.exit_code == 1
    assert "never fired: profession.not_in_classifier (profession_mismatch, rule set 2025.1)" in result.output
    assert "no case exercises: social_work_ban" in result.output
    assert "is under --fail-under 90%" in result.output


def test_junit_xml_for_ci(two_year_term, tmp_path):
    report = tmp_path / "junit.xml"
    result = run("--rules", str(two_year_term), "--junit", str(report), str(FIXTURES / "boundaries.yaml"),
                 str(FIXTURES / "basic.yaml"))
    assert result.exit_code == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites" and root.get("failures") == "2"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"boundaries", "basic"}
    assert suites["basic"].get("failures") == "0"
    failure = suites["boundaries"].find("testcase[@name='category_valid_day_before_three_years']/failure")
    assert failure.get("message") == "outcome: expected 'register', got 'return'"
    assert "reason qualification_unreliable" in failure.text
    assert int(root.get("tests")) == len(root.findall(".//testcase"))


@pytest.mark.parametrize(("args", "says"), [
    (["-k", "1 +"], "cannot be parsed"),
    (["-k", "__import__('os')"], "only words"),
    (["--ruleset", "9.9"], "no rule set version '9.9'"),
])
def test_a_bad_option_value_is_a_usage_error_exit_2(args, says):
    result = run(*args)
    assert result.exit_code == 2 and says in result.output


def test_a_broken_rule_directory_or_fixture_file_cannot_run_exit_5(tmp_path, two_year_term):
    broken = copy_rules(tmp_path / "rules")
    (broken / "rulesets" / "rules-2025.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = run("--rules", str(broken))
    assert result.exit_code == 5 and "the rule directory does not load" in result.output
    cases = tmp_path / "bad.yaml"
    cases.write_text("cases: {}\n", encoding="utf-8")
    result = run(str(cases))
    assert result.exit_code == 5 and "a list under 'cases'" in result.output
