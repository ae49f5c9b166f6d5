"""The admin page at /admin and the admin JSON it reads, through the Flask test client."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from gunicorn_process import REPO, add_2026_version, copy_rules
from specreg.web.app import create_app
from specreg.workbench.cases import collect_cases

TOKEN = "admin-secret-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WEB = REPO / "service" / "specreg" / "web"


@pytest.fixture(scope="module")
def admin():
    return create_app({"ADMIN_TOKEN": TOKEN}).test_client()


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory) -> Path:
    return add_2026_version(copy_rules(tmp_path_factory.mktemp("admin") / "rules"))


def test_the_page_speaks_kazakh_and_russian(admin):
    russian = admin.get("/admin", headers={"Accept-Language": "ru-RU"})
    assert russian.status_code == 200 and russian.mimetype == "text/html"
    assert "<h1 data-text=\"title\">Мастерская правил</h1>" in russian.text
    kazakh = admin.get("/admin?lang=kk")
    assert '<html lang="kk">' in kazakh.text and "Ережелер шеберханасы" in kazakh.text
    english = admin.get("/admin", headers={"Accept-Language": "en"})
    assert '<html lang="ru">' in english.text  # no English interface: Russian


def test_the_page_runs_no_inline_script_under_its_policy(admin):
    answer = admin.get("/admin")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>", answer.text)
    assert scripts and all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert admin.get("/admin/static/admin.js").status_code == 200
    assert admin.get("/admin/static/admin.css").status_code == 200


def test_every_interface_text_exists_in_both_languages():
    texts = yaml.safe_load((REPO / "rules" / "messages" / "admin_page.yaml").read_text(encoding="utf-8"))
    template = (WEB / "templates" / "admin.html").read_text(encoding="utf-8")
    script = (WEB / "static" / "admin.js").read_text(encoding="utf-8")
    used = set(re.findall(r'data-(?:text|title|auto)="([a-z_]+)"', template))
    used |= set(re.findall(r'\bt\("([a-z_]+)"', template + script))
    used |= {f"outcome_{outcome}" for outcome in ("register", "return", "refuse")}  # t("outcome_" + ...)
    missing = {key for key in used if not key.endswith("_")} - set(texts["texts"])
    assert not missing
    assert all(set(entry) == {"kk", "ru"} for entry in texts["texts"].values())


def test_the_script_never_writes_html():
    lines = (WEB / "static" / "admin.js").read_text(encoding="utf-8").splitlines()
    code = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink


def test_admin_data_needs_the_admin_token():
    closed = create_app().test_client().get("/api/v1/admin/fixtures")
    assert closed.status_code == 403 and closed.mimetype == "application/problem+json"
    client = create_app({"ADMIN_TOKEN": TOKEN}).test_client()
    assert client.get("/api/v1/admin/fixtures").status_code == 401
    assert client.post("/api/v1/admin/suite", json={}).status_code == 401


def test_fixtures_are_listed_with_their_payloads(admin):
    listed = admin.get("/api/v1/admin/fixtures", headers=AUTH).get_json()["fixtures"]
    assert len(listed) == len(collect_cases([REPO / "fixtures"]))
    clean = next(item for item in listed if item["name"] == "register_clean")
    assert clean["file"] == "basic.yaml" and clean["as_of"] == "2026-03-20"
    assert clean["payload"]["application_id"] and clean["expect"]["outcome"] == "register"


def test_the_suite_view_runs_every_case_with_coverage(admin):
    answer = admin.post("/api/v1/admin/suite", json={}, headers=AUTH)
    assert answer.status_code == 200
    suite = answer.get_json()
    assert suite["failed"] == 0 and suite["passed"] == suite["total"] == len(suite["results"])
    assert suite["coverage"]["percent"] == 100.0 and suite["coverage"]["grounds_not_exercised"] == []
    unknown = admin.post("/api/v1/admin/suite", json={"ruleset": "0.0"}, headers=AUTH)
    assert unknown.status_code == 400 and unknown.get_json()["type"] == "urn:specreg:problem:unknown-ruleset"


def test_the_suite_under_a_later_version_shows_its_failures(two_versions):
    client = create_app({"ADMIN_TOKEN": TOKEN, "RULES_DIR": str(two_versions)}).test_client()
    suite = client.post("/api/v1/admin/suite", json={"ruleset": "2026.1"}, headers=AUTH).get_json()
    failed = {result["name"]: result for result in suite["results"] if not result["passed"]}
    assert "category_valid_day_before_three_years" in failed
    assert failed["category_valid_day_before_three_years"]["problems"][0] == (
        "outcome: expected 'register', got 'return'")


def test_the_impact_view_compares_two_versions(two_versions):
    client = create_app({"ADMIN_TOKEN": TOKEN, "RULES_DIR": str(two_versions)}).test_client()
    answer = client.post("/api/v1/admin/impact", json={"base": "2025.1", "candidate": "2026.1"}, headers=AUTH)
    assert answer.status_code == 200
    report = answer.get_json()
    assert {"from": "register", "to": "return", "count": 2} in report["summary"]["transitions"]
    flipped = [c for c in report["changes"] if c["before"]["outcome"] != c["after"]["outcome"]]
    assert {c["case"] for c in flipped} == {"category_valid_day_before_three_years",
                                            "category_of_29_february_valid_27_february"}
    assert all(c["before"]["ruleset"] == "2025.1" and c["after"]["ruleset"] == "2026.1" for c in flipped)


def test_the_impact_view_replays_a_pasted_jsonl(two_versions, admin):
    payload = admin.get("/api/v1/admin/fixtures", headers=AUTH).get_json()["fixtures"][0]["payload"]
    client = create_app({"ADMIN_TOKEN": TOKEN, "RULES_DIR": str(two_versions)}).test_client()
    jsonl = json.dumps(payload, ensure_ascii=False) + "\n{broken\n"
    report = client.post("/api/v1/admin/impact", headers=AUTH, json={
        "base": "2025.1", "candidate": "2026.1", "jsonl": jsonl, "as_of": "2026-03-20"}).get_json()
    assert report["summary"]["cases"] == 2 and report["summary"]["changed"] == 0
    assert report["summary"]["unchanged"] == {"register": 1, "unreadable": 1}
    bad = client.post("/api/v1/admin/impact", headers=AUTH, json={"as_of": "2026-02-30"})
    assert bad.status_code == 400
