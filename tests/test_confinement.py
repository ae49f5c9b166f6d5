"""Files a client or an editor can point at: nothing outside its directory is read or quoted.

A fixture's ``base`` names a file of ``fixtures/bases/`` and nothing else; a
rule directory does not follow links out of itself, at start-up, on reload
and in ``specreg lint``; and the reload's errors name file, line and check,
never what the file says (its content may be anything).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gunicorn_process import copy_rules
from specreg.data_files import DataFileError
from specreg.rulecheck.lint import lint_directory
from specreg.screening import Screener
from specreg.web.app import create_app
from specreg.web.reloading import holder_of
from specreg.workbench.cases import CaseFileError, load_cases

SECRET = "Жұмабеков 850501300011 secret-content"
TOKEN = "admin-secret"


@pytest.fixture()
def secret_file(tmp_path) -> Path:
    """A JSON file outside every directory the service reads, holding personal data."""
    target = tmp_path / "elsewhere" / "secret.json"
    target.parent.mkdir()
    target.write_text(json.dumps({"problems": SECRET, "cases": SECRET}), encoding="utf-8")
    return target


def fixture_dir(tmp_path: Path, base: str) -> Path:
    folder = tmp_path / "fixtures"
    (folder / "bases").mkdir(parents=True)
    (folder / "bases" / "full.json").write_text('{"application_id": "A"}', encoding="utf-8")
    (folder / "case.yaml").write_text(f"cases:\n  - name: one\n    base: {json.dumps(base)}\n"
                                      "    expect: {status: 422}\n", encoding="utf-8")
    return folder / "case.yaml"


@pytest.mark.parametrize("base", ["../../elsewhere/secret", "../elsewhere/secret", "/etc/passwd",
                                  "bases/../full", "", ".hidden", "a/b"])
def test_a_fixture_base_outside_bases_is_refused(tmp_path, secret_file, base):
    with pytest.raises(CaseFileError) as refused:
        load_cases(fixture_dir(tmp_path, base))
    assert SECRET not in str(refused.value) and "secret-content" not in str(refused.value)


def test_a_fixture_base_linked_out_of_bases_is_refused(tmp_path, secret_file):
    case = fixture_dir(tmp_path, "linked")
    (case.parent / "bases" / "linked.json").symlink_to(secret_file)
    with pytest.raises(CaseFileError, match="leads out of"):
        load_cases(case)


def test_a_fixture_base_in_bases_is_read(tmp_path):
    [case] = load_cases(fixture_dir(tmp_path, "full"))
    assert case.payload == {"application_id": "A"}


@pytest.mark.parametrize("link", ["messages/problems.yaml", "rulesets/rules-2099.yaml", "calendar.yaml"])
def test_a_rule_directory_with_a_link_out_of_itself_does_not_load(tmp_path, secret_file, link):
    rules = copy_rules(tmp_path / "rules")
    target = rules / link
    target.unlink(missing_ok=True)
    target.symlink_to(secret_file)
    with pytest.raises(DataFileError, match="link to a file outside") as refused:
        Screener.from_directory(rules)
    assert SECRET not in str(refused.value)
    findings = lint_directory(rules)
    errors = [(f.check, Path(f.file).name) for f in findings if f.severity == "error"]
    assert ("link", target.name) in errors
    assert not any("secret-content" in finding.message for finding in findings)


def test_a_link_inside_the_rule_directory_is_followed(tmp_path):
    rules = copy_rules(tmp_path / "rules")
    (rules / "rulesets" / "rules-2025.yaml").rename(rules / "kept.yaml.txt")
    (rules / "rulesets" / "rules-2025.yaml").symlink_to(rules / "kept.yaml.txt")
    assert [r.version for r in Screener.from_directory(rules).rulesets] == ["2025.1"]


def test_a_reload_onto_a_linked_file_answers_where_never_what(tmp_path, secret_file, caplog):
    rules = copy_rules(tmp_path / "rules")
    app = create_app({"RULES_DIR": str(rules), "ADMIN_TOKEN": TOKEN})
    digest = holder_of(app).digest
    (rules / "rulesets" / "rules-2099.yaml").symlink_to(secret_file)
    answer = app.test_client().post("/api/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "secret-content" not in text and "850501300011" not in text
    assert [error["file"] for error in answer.get_json()["errors"]] == ["rulesets/rules-2099.yaml"]
    assert not any("secret-content" in (record.getMessage() + str(record.__dict__))
                   for record in caplog.records)
    assert holder_of(app).digest == digest


def test_a_broken_rule_file_is_named_not_quoted_in_the_reload_answer(tmp_path):
    rules = copy_rules(tmp_path / "rules")
    app = create_app({"RULES_DIR": str(rules), "ADMIN_TOKEN": TOKEN})
    calendar = rules / "calendar.yaml"
    calendar.write_text(calendar.read_text(encoding="utf-8") + f"\nunknown_key: {SECRET!r}\n",
                        encoding="utf-8")
    answer = app.test_client().post("/api/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 422
    assert "secret-content" not in answer.get_data(as_text=True)
    assert answer.get_json()["errors"][0]["file"] == "calendar.yaml"
