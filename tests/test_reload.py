"""Reloading the rule directory while serving: HTTP and SIGHUP, success, failure, under load."""

from __future__ import annotations

import gc
import json
import os
import signal
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

import payloads
from gunicorn_process import Gunicorn, bump_version, set_term
from payloads import valid_application
from specreg.engine import live_rule_sets
from specreg.web.app import create_app
from specreg.web.reloading import holder_of

SCREEN = "/api/v1/screenings?as_of=2026-03-20"
RELOAD = "/api/v1/admin/reload"
ADMIN = {"Authorization": "Bearer admin-secret"}
RULESET_FILE = Path("rulesets") / "rules-2025.yaml"


def qualified_application() -> dict:
    """A first category assigned 2022-03-01: lapsed on 2026-03-20 with a 3-year term, not with 5."""
    return payloads.qualified_application("2022-03-01")


def break_ground(rules: Path) -> None:
    """Make a rule name an unknown ground."""
    target = rules / RULESET_FILE
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("ground: employment_mismatch", "ground: employment_mismatc"), "utf-8")


@pytest.fixture()
def app(rules):
    return create_app({"RULES_DIR": str(rules), "ADMIN_TOKEN": "admin-secret"})


def outcome(client) -> str:
    return client.post(SCREEN, json=qualified_application()).get_json()["outcome"]


def reloads(client, result: str) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples
               if sample.name == "specreg_rule_reloads_total" and sample.labels["result"] == result)


# --- one process (test client) ------------------------------------------------

def test_reload_puts_edited_rules_in_force_without_a_restart(app, rules):
    client = app.test_client()
    assert outcome(client) == "return"
    set_term(rules, 5)
    assert outcome(client) == "return"  # edits take effect only on reload
    before = reloads(client, "success")
    old = holder_of(app).current
    answer = client.post(RELOAD, headers=ADMIN)
    assert answer.status_code == 200
    assert answer.get_json()["rulesets"] == [
        {"id": "specreg-p9", "version": "2025.1", "effective_from": "2025-01-25"}]
    assert outcome(client) == "register"
    assert reloads(client, "success") == before + 1
    # a request that took the old screener before the swap still finishes on it, with the old rules
    assert old.screen(qualified_application(), date(2026, 3, 20)).decision.outcome == "return"


def test_a_broken_directory_answers_422_with_file_and_line_and_changes_nothing(app, rules):
    client = app.test_client()
    digest = holder_of(app).digest
    set_term(rules, 5)
    break_ground(rules)
    before = reloads(client, "failure")
    answer = client.post(RELOAD, headers={**ADMIN, "Accept-Language": "en"})
    assert (answer.status_code, answer.content_type) == (422, "application/problem+json")
    body = answer.get_json()
    assert body["type"] == "urn:specreg:problem:reload-failed"
    # The rule set fails lint twice: the misspelt ground, and the real ground left with no rule.
    errors = body["errors"]
    assert {error["file"] for error in errors} == {str(RULESET_FILE)}
    assert not any("employment_mismatc" in error["detail"] for error in errors)  # no file content
    assert all(error["detail"].startswith("Fails the '") for error in errors)
    assert {error["check"] for error in errors} == {"ground", "coverage"}
    assert all(isinstance(error["line"], int) for error in errors)
    assert outcome(client) == "return"  # the old rules, with the 3-year term, still serve
    assert holder_of(app).digest == digest  # nothing was swapped
    assert client.get("/readyz").status_code == 200
    assert reloads(client, "failure") == before + 1


def test_malformed_yaml_is_reported_with_its_line(app, rules):
    target = rules / "reference" / "professions.yaml"
    lines = target.read_text(encoding="utf-8").count("\n")
    target.write_text(target.read_text(encoding="utf-8") + "  - id: [unclosed\n", encoding="utf-8")
    answer = app.test_client().post(RELOAD, headers=ADMIN)
    (error,) = answer.get_json()["errors"]
    assert answer.status_code == 422
    assert error["file"] == "reference/professions.yaml"
    assert error["line"] is not None and error["line"] >= lines


@pytest.mark.parametrize(("language", "said"), [
    ("ru", "Файл не читается как YAML."), ("kk", "Файл YAML ретінде оқылмайды.")])
def test_reload_errors_are_told_in_the_answers_language(app, rules, language, said):
    """The kind of each error in kk or ru; its code and the linter's words beside it."""
    target = rules / "reference" / "professions.yaml"
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original + "  - id: [unclosed\n", encoding="utf-8")
        answer = app.test_client().post(RELOAD, headers={**ADMIN, "Accept-Language": language})
    finally:
        target.write_text(original, encoding="utf-8")
    body = answer.get_json()
    assert answer.status_code == 422 and body["title"] != "The rules were not reloaded"
    (error,) = body["errors"]
    assert (error["check"], error["message"]) == ("yaml", said)
    assert "«yaml»" in error["detail"] and "specreg lint" in error["detail"]  # the check, never the value
    assert not any(word in error["detail"] for word in ("Fails", "shows"))  # the reader's language only


@pytest.mark.slow
def test_twenty_reloads_in_a_row_each_serve_correctly_and_free_what_they_replace(app, rules):
    client = app.test_client()
    held = live_rule_sets()  # this app's, and any other app's alive in this process
    digests = set()
    for number in range(20):
        set_term(rules, 5 if number % 2 else 3)
        answer = client.post(RELOAD, headers=ADMIN)
        assert answer.status_code == 200
        assert answer.get_json()["digest"] == client.get("/readyz").get_json()["digest"]
        digests.add(answer.get_json()["digest"])
        assert outcome(client) == ("register" if number % 2 else "return")
    assert len(digests) == 2  # the same content, the same digest
    gc.collect()
    assert live_rule_sets() <= held  # the engine's copies of the replaced rules were freed


def test_sighup_reloads_a_single_process_app(app, rules):
    """The app installs the handler itself when made on the main thread (``make dev``, tests)."""
    client = app.test_client()
    holder = holder_of(app)
    digest = holder.digest
    set_term(rules, 5)
    os.kill(os.getpid(), signal.SIGHUP)
    deadline = time.monotonic() + 20
    while holder.digest == digest and time.monotonic() < deadline:
        time.sleep(0.05)
    assert holder.digest != digest
    assert outcome(client) == "register"


# --- a real gunicorn ----------------------------------------------------------

def versions_served(server: Gunicorn, count: int) -> set[str]:
    found = set()
    for _ in range(count):
        status, _, body = server.post_json(SCREEN, valid_application())
        assert status == 200
        found.add(body["ruleset"]["version"])
    return found


def versions_by_worker(server: Gunicorn) -> dict[int, str]:
    """The version each worker serves: ask with every other worker stopped (SIGSTOP)."""
    pids = server.worker_pids()
    found = {}
    for serving in pids:
        others = [pid for pid in pids if pid != serving]
        for pid in others:
            os.kill(pid, signal.SIGSTOP)
        try:
            (found[serving],) = versions_served(server, 1)
        finally:
            for pid in others:
                os.kill(pid, signal.SIGCONT)
    return found


def wait_for_version(server: Gunicorn, version: str, timeout: float = 30) -> None:
    """Until every worker serves ``version``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if set(versions_by_worker(server).values()) == {version}:
            return
        time.sleep(0.2)
    raise AssertionError(f"not every worker serves {version}: {server.log_text()[-2000:]}")


@pytest.mark.slow
def test_http_reload_moves_every_gunicorn_worker(tmp_path, rules):
    with Gunicorn(tmp_path, WORKERS="2", SPECREG_RULES_DIR=str(rules),
                  SPECREG_ADMIN_TOKEN="admin-secret") as server:
        server.wait_workers(2)
        assert versions_served(server, 6) == {"2025.1"}
        bump_version(rules, "2025.1-http")
        status, _, body = server.post_json(RELOAD, None, **ADMIN)
        assert status == 200 and body["rulesets"][0]["version"] == "2025.1-http"
        wait_for_version(server, "2025.1-http")
        assert server.get(RELOAD)[0] == 405
        assert server.post_json(RELOAD, None)[0] == 401


@pytest.mark.slow
def test_sighup_to_the_master_reloads_every_worker_and_a_broken_directory_keeps_serving(tmp_path, rules):
    with Gunicorn(tmp_path, WORKERS="2", SPECREG_RULES_DIR=str(rules)) as server:
        workers = server.wait_workers(2)
        bump_version(rules, "2025.1-hup")
        os.kill(server.pid, signal.SIGHUP)
        wait_for_version(server, "2025.1-hup")
        assert server.worker_pids() == workers  # reloaded in place, not restarted
        bump_version(rules, "2025.1-broken")
        break_ground(rules)
        os.kill(server.pid, signal.SIGHUP)
        deadline = time.monotonic() + 30
        while server.log_text().count("rule reload failed") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert set(versions_by_worker(server).values()) == {"2025.1-hup"}
        assert server.get("/readyz")[0] == 200
        failures = [r for r in server.log_records() if r["message"] == "rule reload failed"]
    assert len(failures) == 2  # one a worker
    assert failures[0]["errors"][0]["file"] == str(RULESET_FILE)
    assert "employment_mismatc" not in server.log_text()  # the log names file, line and check only


@pytest.mark.slow
def test_with_preload_a_worker_forked_after_a_reload_starts_on_the_new_rules(tmp_path, rules):
    with Gunicorn(tmp_path, WORKERS="2", PRELOAD="1", SPECREG_RULES_DIR=str(rules)) as server:
        first, _ = server.wait_workers(2)
        bump_version(rules, "2025.1-preload")
        os.kill(server.pid, signal.SIGHUP)
        wait_for_version(server, "2025.1-preload")
        os.kill(first, signal.SIGKILL)  # the master forks a replacement from its own copy
        deadline = time.monotonic() + 30
        while first in server.worker_pids() and time.monotonic() < deadline:
            time.sleep(0.1)
        server.wait_workers(2)
        assert set(versions_by_worker(server).values()) == {"2025.1-preload"}


@pytest.mark.slow
def test_sighup_to_one_worker_reloads_that_worker(tmp_path, rules):
    with Gunicorn(tmp_path, WORKERS="2", SPECREG_RULES_DIR=str(rules)) as server:
        first, second = server.wait_workers(2)
        bump_version(rules, "2025.1-one")
        os.kill(first, signal.SIGHUP)
        deadline = time.monotonic() + 30
        while "rules reloaded" not in server.log_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(second, signal.SIGSTOP)  # every request now goes to the reloaded worker
        try:
            assert versions_served(server, 4) == {"2025.1-one"}
        finally:
            os.kill(second, signal.SIGCONT)


@pytest.mark.slow
def test_screenings_in_flight_during_reloads_all_succeed(tmp_path, rules):
    """Four client threads screen without pause through 2 workers x 4 threads while the rules are
    reloaded 10 times, by HTTP and by SIGHUP; every answer is a correct 200."""
    payload = json.dumps(valid_application(), ensure_ascii=False).encode()
    with Gunicorn(tmp_path, WORKERS="2", THREADS="4", SPECREG_RULES_DIR=str(rules),
                  SPECREG_ADMIN_TOKEN="admin-secret") as server:
        server.wait_workers(2)
        stop = threading.Event()
        answers: list[tuple[int, str]] = []
        failures: list[str] = []
        versions: set[str] = set()

        def client() -> None:
            while not stop.is_set():
                try:
                    status, _, raw = server.request("POST", SCREEN, payload,
                                                    **{"Content-Type": "application/json"})
                    body = json.loads(raw)
                    answers.append((status, body.get("outcome", "")))
                    versions.add(body.get("ruleset", {}).get("version"))
                except Exception as error:  # a reset connection is a failure too
                    failures.append(repr(error))

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            for number in range(10):
                bump_version(rules, f"2025.1-r{number}")
                if number % 2 == 0:
                    assert server.post_json(RELOAD, None, **ADMIN)[0] == 200
                else:
                    os.kill(server.pid, signal.SIGHUP)
                time.sleep(0.3)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        wait_for_version(server, "2025.1-r9")
        records = server.log_records()
    assert failures == []
    assert len(answers) > 100
    assert set(answers) == {(200, "register")}
    assert len(versions) >= 4  # the answers came from many of the rule versions: traffic met the reloads
    assert not [r for r in records if r["level"] in ("ERROR", "CRITICAL")]


def test_a_reload_brings_new_citations_and_messages_not_the_old_rule_sets_kept_parts(app, rules):
    """What is worked out of a rule set once (each ground's basis in an answer, decide's message
    templates) goes with it: after an edit and a reload the answer cites and says the new text."""
    client = app.test_client()
    headers = {"Accept-Language": "ru"}

    def reason() -> dict:
        body = client.post(SCREEN, json=qualified_application(), headers=headers).get_json()
        return body["reasons"][0]

    before = reason()
    assert before["basis"]["citation"].startswith("п. 9")
    target = rules / RULESET_FILE
    text = target.read_text(encoding="utf-8")
    text = text.replace('ru: "п. {point} пп. {subpoint}) абз. {indent} Правил"',
                        'ru: "пункт {point}, подпункт {subpoint}), абзац {indent} Правил"')
    old_message = before["message"]
    assert old_message and old_message[:20] in text
    text = text.replace(old_message[:20], "ИЗМЕНЕНО: " + old_message[:20], 1)
    target.write_text(text, encoding="utf-8")
    assert client.post(RELOAD, headers=ADMIN).status_code == 200
    after = reason()
    assert after["basis"]["citation"].startswith("пункт 9, подпункт")
    assert after["message"].startswith("ИЗМЕНЕНО: ")
