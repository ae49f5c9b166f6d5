"""A broken rule or reference file stops start-up, naming the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gunicorn_process import with_term
from specreg.data_files import DataFileError
from specreg.web.app import create_app

RULES = Path(__file__).resolve().parents[1] / "rules"


@pytest.fixture()
def rules_copy(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def _start(directory: Path):
    return create_app({"RULES_DIR": str(directory)})


def test_a_copy_of_the_rules_starts(rules_copy):
    assert _start(rules_copy).test_client().get("/healthz").status_code == 200


def test_malformed_yaml_names_file_and_line(rules_copy):
    target = rules_copy / "reference" / "professions.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        _start(rules_copy)
    assert caught.value.path == target and caught.value.line is not None


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("rulesets/rules-2025.yaml", "ground: employment_mismatch", "ground: employment_mismatc",
         "not a ground declared"),
        ("rulesets/rules-2025.yaml", "$param: category_term_years", "$param: category_term",
         "not defined under parameters"),
        ("reference/documents.yaml", "required_when: always", "required_when: sometimes",
         "required_when: must be one of ['always', 'qualification_claimed'"),
    ],
    ids=["unknown-ground", "undefined-parameter", "schema-breach"],
)
def test_an_edited_file_that_breaks_a_check_stops_start_up(rules_copy, file, old, new, problem):
    target = rules_copy / file
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(DataFileError, match=re.escape(problem)):
        _start(rules_copy)


def test_a_missing_catalog_stops_start_up(rules_copy):
    (rules_copy / "reference" / "documents.yaml").unlink()
    with pytest.raises(DataFileError, match=r"documents\.yaml"):
        _start(rules_copy)


def test_the_category_term_is_data(rules_copy, monkeypatch):
    """Changing the parameter in the file changes the answer, with no code change."""
    from payloads import valid_application

    payload = valid_application()
    payload["specialist"]["qualification"] = {
        "category": "first", "assigned_on": "2022-03-01", "commission": {"authority": "Комиссия"},
    }
    payload["verifications"]["qualification_record"] = {
        "status": "found", "category": "first", "assigned_on": "2022-03-01",
    }
    payload["documents"].append({"kind": "qualification_certificate", "number": "Q-1",
                                 "issued_on": "2022-03-01", "valid_until": None})

    def outcome(directory):
        answer = _start(directory).test_client().post(
            "/api/v1/screenings?as_of=2026-03-20", json=payload)
        return answer.get_json()["outcome"]

    assert outcome(rules_copy) == "return"  # 2022-03-01 + 3 years <= 2026-03-20
    target = rules_copy / "rulesets" / "rules-2025.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(with_term(text, 5), "utf-8")
    assert outcome(rules_copy) == "register"
