"""Metrics, request ids, JSON log lines, the decision log and readiness, as an operator sees them."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import signal
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from gunicorn_process import Gunicorn
from payloads import valid_application
from specreg.web.app import create_app
from specreg.web.json_logs import JsonLineFormatter
from specreg.web.reloading import ScreenerHolder, holder_of

SCREEN = "/api/v1/screenings?as_of=2026-03-20"
IIN = valid_application()["specialist"]["iin"]


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a Prometheus text page by (name, labels)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(page: dict, name: str, **labels: str) -> float:
    return page.get((name, frozenset(labels.items())), 0.0)


def with_grounds() -> dict:
    """Two grounds (a missing document, a social work ban) and residence not checked: a warning."""
    payload = valid_application()
    payload["documents"] = payload["documents"][:-1]
    del payload["verifications"]["residence"]
    payload["verifications"]["court_decisions"] = [
        {"kind": "social_work_ban", "in_force_on": "2025-01-01", "ends_on": None}]
    return payload


@pytest.fixture()
def logged_app(tmp_path):
    """An app with the decision log in a file and a known salt."""
    log_path = tmp_path / "decisions.jsonl"
    app = create_app({"DECISION_LOG": str(log_path), "IIN_SALT": "pepper-1"})
    return app, log_path


def decision_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- metrics ------------------------------------------------------------------

def test_metrics_count_requests_outcomes_grounds_and_input_errors(client):
    before = samples(client.get("/metrics").get_data(as_text=True))
    assert client.post(SCREEN, json=valid_application()).status_code == 200
    refused = client.post(SCREEN, json=with_grounds())
    assert refused.get_json()["outcome"] == "refuse"
    invalid = valid_application()
    invalid["specialist"]["iin"] = "850501300012"  # wrong check digit
    del invalid["specialist"]["last_name"]
    assert client.post(SCREEN, json=invalid).status_code == 422
    assert client.get(f"/api/v1/screenings/{IIN}").status_code == 404  # a raw path never becomes a label
    page = client.get("/metrics")
    text = page.get_data(as_text=True)
    after = samples(text)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert page.content_type.startswith("text/plain")
    route = {"method": "POST", "route": "/api/v1/screenings"}
    assert delta("specreg_http_requests_total", **route, status="200") == 2
    assert delta("specreg_http_requests_total", **route, status="422") == 1
    assert delta("specreg_http_request_duration_seconds_count", **route, status="200") == 2
    assert delta("specreg_http_requests_total", method="GET", route="(unmatched)", status="404") == 1
    version = {"ruleset": "specreg-p9", "version": "2025.1"}
    assert delta("specreg_screenings_total", **version, outcome="register") == 1
    assert delta("specreg_screenings_total", **version, outcome="refuse") == 1
    assert delta("specreg_screening_grounds_total", **version, code="social_work_ban") == 1
    assert delta("specreg_screening_grounds_total", **version, code="documents_incomplete") == 1
    assert delta("specreg_validation_errors_total", code="check_digit") == 1
    assert delta("specreg_validation_errors_total", code="required") == 1
    assert IIN not in text and "Жұмабеков" not in text


# --- request ids and log lines ------------------------------------------------

def test_a_sane_request_id_comes_back_and_others_are_replaced(client):
    answer = client.post(SCREEN, json=valid_application(), headers={"X-Request-ID": "portal-42.a:b"})
    assert answer.headers["X-Request-ID"] == "portal-42.a:b"
    for insane in ("has space", "x" * 200, "<script>", "-leading-dash", IIN, "x" + IIN, f"rid-{IIN}-7",
                   "a:" + IIN + ":b"):
        generated = client.get("/healthz", headers={"X-Request-ID": insane}).headers["X-Request-ID"]
        assert generated != insane and uuid.UUID(generated)
    assert uuid.UUID(client.get("/healthz").headers["X-Request-ID"])


@pytest.mark.parametrize("request_kwargs, status", [
    ({"data": b"{", "content_type": "application/json"}, 400),
    ({"data": b"{}", "content_type": "text/plain"}, 415),
    ({"json": {}}, 422),
    ({"data": b"x" * (1024 * 1024 + 1), "content_type": "application/json"}, 413),
])
def test_error_answers_carry_the_request_id(client, request_kwargs, status):
    answer = client.post(SCREEN, headers={"X-Request-ID": "rid-1"}, **request_kwargs)
    assert (answer.status_code, answer.headers["X-Request-ID"]) == (status, "rid-1")
    answer = client.get("/no/such/route", headers={"X-Request-ID": "rid-2"})
    assert (answer.status_code, answer.headers["X-Request-ID"]) == (404, "rid-2")


def test_log_lines_are_json_with_the_request_id(client, caplog):
    caplog.set_level(logging.INFO)
    client.post(SCREEN, json=valid_application(), headers={"X-Request-ID": "trace-7"})
    access = [r for r in caplog.records if r.name == "specreg.access"]
    line = json.loads(JsonLineFormatter().format(access[-1]))
    assert line["request_id"] == "trace-7"
    assert (line["route"], line["status"], line["level"]) == ("/api/v1/screenings", 200, "INFO")
    assert line["time"].endswith("+00:00")


# --- the decision log ---------------------------------------------------------

def test_decision_log_lines_hold_codes_and_a_keyed_hash_of_the_iin(logged_app):
    app, log_path = logged_app
    client = app.test_client()
    client.post(SCREEN, json=with_grounds(), headers={"X-Request-ID": "dl-1"})
    client.post(SCREEN, json=valid_application(), headers={"X-Request-ID": "dl-2"})
    first, second = decision_lines(log_path)
    assert set(first) == {"decision_id", "request_id", "time", "ruleset", "as_of", "outcome",
                          "reasons", "warnings", "iin_hash"}
    assert first["request_id"] == "dl-1" and uuid.UUID(first["decision_id"])
    assert first["time"].endswith("Z")
    assert first["ruleset"] == {"id": "specreg-p9", "version": "2025.1",
                                "digest": client.get("/readyz").get_json()["digest"]}
    assert (first["as_of"], first["outcome"]) == ("2026-03-20", "refuse")
    assert first["reasons"] == ["social_work_ban", "documents_incomplete"]
    assert first["warnings"] == ["not_checked"]
    expected = hmac.new(b"pepper-1", IIN.encode(), hashlib.sha256).hexdigest()
    assert first["iin_hash"] == second["iin_hash"] == expected
    assert first["decision_id"] != second["decision_id"]
    text = log_path.read_text(encoding="utf-8")
    assert IIN not in text and "Жұмабеков" not in text and "+77011234567" not in text


def test_another_salt_gives_another_hash(logged_app, tmp_path):
    app, log_path = logged_app
    other_path = tmp_path / "other.jsonl"
    other = create_app({"DECISION_LOG": str(other_path), "IIN_SALT": "pepper-2"})
    app.test_client().post(SCREEN, json=valid_application())
    other.test_client().post(SCREEN, json=valid_application())
    assert decision_lines(log_path)[0]["iin_hash"] != decision_lines(other_path)[0]["iin_hash"]


def test_a_rejected_application_is_logged_with_its_error_codes_only(logged_app):
    app, log_path = logged_app
    payload = valid_application()
    payload["specialist"]["favourite_colour"] = "Жұмабеков"
    payload["specialist"]["iin"] = "123"
    assert app.test_client().post(SCREEN, json=payload).status_code == 422
    (line,) = decision_lines(log_path)
    assert line["outcome"] == "invalid"
    assert sorted(line["errors"]) == ["pattern", "too_short", "unknown_property"]
    assert "iin_hash" not in line
    written = log_path.read_text(encoding="utf-8")
    assert "favourite_colour" not in written and "Жұмабеков" not in written


def test_without_a_salt_a_random_one_is_used_and_start_up_warns(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    log_path = tmp_path / "decisions.jsonl"
    client = create_app({"DECISION_LOG": str(log_path), "IIN_SALT": None}).test_client()
    assert any("SPECREG_IIN_SALT" in r.getMessage() for r in caplog.records)
    client.post(SCREEN, json=valid_application())
    client.post(SCREEN, json=valid_application())
    first, second = decision_lines(log_path)
    assert first["iin_hash"] == second["iin_hash"]
    assert first["iin_hash"] != hashlib.sha256(IIN.encode()).hexdigest()


def test_decision_log_to_stdout(capsys):
    client = create_app({"DECISION_LOG": "-", "IIN_SALT": "s"}).test_client()
    client.post(SCREEN, json=valid_application(), headers={"X-Request-ID": "out-1"})
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (line["request_id"], line["outcome"]) == ("out-1", "register")


def test_no_decision_log_unless_asked(client, capsys):
    client.post(SCREEN, json=valid_application())
    assert "decision_id" not in capsys.readouterr().out


# --- readiness ----------------------------------------------------------------

def test_ready_once_the_rule_sets_are_compiled(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json()["rulesets"] == ["specreg-p9@2025.1"]


def test_not_ready_before_the_rules_are_loaded():
    app = create_app()
    holder = ScreenerHolder(holder_of(app).path)  # a holder before its first load
    app.extensions["specreg.rules"] = holder
    client = app.test_client()
    answer = client.get("/readyz", headers={"Accept-Language": "en"})
    assert (answer.status_code, answer.content_type) == (503, "application/problem+json")
    assert answer.get_json()["type"] == "urn:specreg:problem:not-ready"
    assert client.post(SCREEN, json=valid_application()).status_code == 503
    holder.load()
    assert client.get("/readyz").status_code == 200
    assert client.post(SCREEN, json=valid_application()).status_code == 200


# --- several gunicorn workers -------------------------------------------------

@pytest.mark.slow
def test_metrics_sum_across_gunicorn_workers(tmp_path):
    """Each of two workers serves screenings while the other is stopped; /metrics counts them all."""
    metrics_dir = tmp_path / "metrics"
    with Gunicorn(tmp_path, WORKERS="2", THREADS="1", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir)) as server:
        first, second = server.wait_workers(2)
        served = {}
        for serving, stopped in ((first, second), (second, first)):
            os.kill(stopped, signal.SIGSTOP)
            try:
                for number in range(3 if serving == first else 4):
                    status, _, _ = server.post_json(SCREEN, valid_application(),
                                                          **{"X-Request-ID": f"w{serving}-{number}"})
                    assert status == 200
                served[serving] = number + 1
            finally:
                os.kill(stopped, signal.SIGCONT)
        page = samples(server.get("/metrics")[2].decode())
        records = server.log_records()
        files = {path.name for path in metrics_dir.glob("*.db")}
        log_text = server.log_text()
    assert IIN not in log_text and "Жұмабеков" not in log_text  # and every line parsed as JSON
    assert {f"counter_{first}.db", f"counter_{second}.db"} <= files
    route = {"method": "POST", "route": "/api/v1/screenings", "status": "200"}
    assert value(page, "specreg_http_requests_total", **route) == 7
    assert value(page, "specreg_screenings_total", ruleset="specreg-p9", version="2025.1",
                 outcome="register") == 7
    access = [r for r in records if r.get("logger") == "specreg.access" and r.get("status") == 200
              and r.get("route") == "/api/v1/screenings"]
    assert sorted(r["request_id"] for r in access) == sorted(
        f"w{pid}-{n}" for pid, count in served.items() for n in range(count))


def test_without_a_salt_the_servers_run_salt_is_shared_by_its_workers(tmp_path, caplog):
    """gunicorn.conf.py draws SPECREG_RUN_IIN_SALT once in the master: two workers, one hash."""
    caplog.set_level(logging.WARNING)
    hashes = []
    for worker in ("one", "two"):
        log_path = tmp_path / f"{worker}.jsonl"
        client = create_app({"DECISION_LOG": str(log_path), "IIN_SALT": None,
                             "RUN_IIN_SALT": "drawn-once-by-the-master"}).test_client()
        client.post(SCREEN, json=valid_application())
        hashes.append(decision_lines(log_path)[0]["iin_hash"])
    assert hashes[0] == hashes[1]
    assert any("shared by its workers" in r.getMessage() for r in caplog.records)
