"""Coverage by rule and by ground: the shipped fixtures exercise every rule and all nine grounds."""

from __future__ import annotations

import pytest

from gunicorn_process import REPO, add_version, copy_rules
from specreg.rulecheck.contract import contract_grounds
from specreg.screening import Screener
from specreg.workbench.cases import collect_cases
from specreg.workbench.coverage import measure
from specreg.workbench.runner import run_cases


@pytest.fixture(scope="module")
def shipped():
    screener = Screener.from_directory(REPO / "rules")
    return screener, list(run_cases(screener, collect_cases([REPO / "fixtures"])))


def test_the_shipped_fixtures_fire_every_rule_and_exercise_every_ground(shipped):
    client, results = shipped
    coverage = measure(results, client.rulesets)
    assert coverage.never_fired == [] and coverage.percent == 100.0
    assert coverage.grounds_not_exercised == []
    assert set(coverage.grounds) == {ground.code for ground in contract_grounds()}
    rules = {rule.rule_id: rule for rule in coverage.rules}
    assert rules["verification.not_checked"].is_warning and rules["verification.not_checked"].cases > 0
    assert rules["documents.license_expired"].cases >= 1


def test_a_run_of_a_few_cases_says_what_it_left_out(shipped):
    _, results = shipped
    client = Screener.from_directory(REPO / "rules")
    few = [result for result in results if result.case.source.name == "refuse_grounds.yaml"]
    coverage = measure(few, client.rulesets)
    never = {rule.rule_id for rule in coverage.never_fired}
    assert "documents.license_expired" in never and "court.social_work_ban_in_force" not in never
    assert "documents_expired" in coverage.grounds_not_exercised
    assert "permanent_emigration" not in coverage.grounds_not_exercised
    assert 0 < coverage.percent < 100


def test_rules_of_a_version_no_case_screens_under_count_as_never_fired(tmp_path, shipped):
    _, results = shipped
    rules = add_version(copy_rules(tmp_path / "rules"), "2030.1", "2030-01-01")
    client = Screener.from_directory(rules)
    coverage = measure(run_cases(client, [r.case for r in results[:20]]), client.rulesets)
    assert {rule.version for rule in coverage.never_fired} >= {"2030.1"}
    assert all(rule.cases == 0 for rule in coverage.rules if rule.version == "2030.1")
