"""Many different applications at once: no crossed answers, none lost, no leaked engine state.

Each request differs from its neighbours in application_id, outcome and
grounds, answer language and ``as_of``, so an answer delivered to the wrong
request, or one built from another request's facts, fails the comparison.
Once through a real gunicorn (2 workers, 4 threads each) fed by a pool of
client threads; once in-process with threads, where the engine's count of
live states can be read afterwards and must be back to zero.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from gunicorn_process import Gunicorn
from payloads import valid_application
from specreg.web.reloading import holder_of

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`

LANGUAGES = ("kk", "ru", "en")
REQUESTS = 240
CLIENTS = 16


def _missing(p):
    p["documents"].pop()


def _banned(p):
    p["verifications"]["court_decisions"] = [
        {"kind": "social_work_ban", "in_force_on": "2024-01-10", "ends_on": None}]


def _emigrated(p):
    p["verifications"]["residence"] = {"status": "left_for_permanent_residence", "departed_on": "2025-01-01"}


def _unlisted(p):
    p["specialist"]["profession"] = "садовник"


def _mismatch(p):
    p["specialist"]["employment"][0]["staff_position"] = "психолог"


def _expired(p):
    p["applicant"]["license"]["valid_until"] = "2026-01-01"


def _combined(p):
    _banned(p)
    _missing(p)
    _unlisted(p)


# variant -> (change, outcome, reason codes)
VARIANTS = {
    "register": (lambda p: None, "register", set()),
    "missing": (_missing, "return", {"documents_incomplete"}),
    "banned": (_banned, "refuse", {"social_work_ban"}),
    "emigrated": (_emigrated, "refuse", {"permanent_emigration"}),
    "unlisted": (_unlisted, "return", {"profession_mismatch"}),
    "mismatch": (_mismatch, "return", {"employment_mismatch"}),
    "expired": (_expired, "return", {"documents_expired"}),
    "combined": (_combined, "refuse", {"social_work_ban", "documents_incomplete", "profession_mismatch"}),
}
# an invalid application breaks one field; which one differs from request to request
INVALID_FIELDS = (
    (("specialist", "iin"), "850501300012", "/specialist/iin", "check_digit"),
    (("specialist", "birth_date"), "1985-05-02", "/specialist/birth_date", "iin_birth_date"),
    (("applicant", "bin"), "940140000386", "/applicant/bin", "check_digit"),
    (("specialist", "experience_months"), 841, "/specialist/experience_months", "maximum"),
)


def case(index: int) -> dict[str, Any]:
    """The index-th request and what its answer must be."""
    payload = valid_application()
    payload["application_id"] = f"CONC-{index:05d}"
    as_of = f"2026-03-{20 + index % 8:02d}"
    language = LANGUAGES[index % 3]
    names = [*VARIANTS, "invalid"]
    variant = names[index % len(names)]
    if variant == "invalid":
        where, value, pointer, code = INVALID_FIELDS[index // len(names) % len(INVALID_FIELDS)]
        node = payload
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = value
        expected: dict[str, Any] = {"status": 422, "errors": {(pointer, code)}}
    else:
        change, outcome, codes = VARIANTS[variant]
        change(payload)
        expected = {"status": 200, "application_id": payload["application_id"], "outcome": outcome,
                    "codes": codes, "as_of": as_of}
    expected["language"] = language
    return {"payload": payload, "as_of": as_of, "language": language, "expected": expected,
            "variant": variant}


def check(request: dict[str, Any], status: int, body: dict[str, Any]) -> None:
    expected = request["expected"]
    assert status == expected["status"], (request["variant"], body)
    if status == 422:
        assert {(e["pointer"], e["code"]) for e in body["errors"]} == expected["errors"]
        return
    assert body["application_id"] == expected["application_id"]
    assert (body["outcome"], body["as_of"], body["language"]) == (
        expected["outcome"], expected["as_of"], expected["language"])
    assert {reason["code"] for reason in body["reasons"]} == expected["codes"]


# --- a real gunicorn --------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Gunicorn(Path(tmp_path_factory.mktemp("concurrency")), WORKERS="2", THREADS="4") as running:
        yield running


def _send(server: Gunicorn, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    body = json.dumps(request["payload"], ensure_ascii=False).encode()
    http_request = urllib.request.Request(
        f"{server.url}/api/v1/screenings?as_of={request['as_of']}", data=body, method="POST",
        headers={"Content-Type": "application/json", "Accept-Language": request["language"]})
    try:
        with urllib.request.urlopen(http_request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_concurrent_screenings_through_gunicorn_are_not_crossed_or_lost(server):
    requests = [case(index) for index in range(REQUESTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(lambda request: _send(server, request), requests))
    assert len(answers) == REQUESTS
    for request, (status, body) in zip(requests, answers, strict=True):
        check(request, status, body)
    served = {body["application_id"] for status, body in answers if status == 200}
    assert len(served) == sum(1 for r in requests if r["expected"]["status"] == 200)
    assert len(server.worker_pids()) == 2  # no worker died under the load


# --- in-process, where the engine can be asked ------------------------------------


def live_states(app) -> int:
    return sum(ruleset.compiled.live_states for ruleset in holder_of(app).screener().rulesets)


def test_threads_in_process_leave_no_live_engine_state(app):
    requests = [case(index) for index in range(REQUESTS)]

    def send(request):
        answer = app.test_client().post(
            f"/api/v1/screenings?as_of={request['as_of']}", data=json.dumps(request["payload"]),
            content_type="application/json", headers={"Accept-Language": request["language"]})
        return answer.status_code, answer.get_json()

    assert live_states(app) == 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, requests))
    for request, (status, body) in zip(requests, answers, strict=True):
        check(request, status, body)
    assert live_states(app) == 0
