"""Batch screening: ``specreg screen-batch`` and ``POST /api/v1/screenings:batch``.

What the portal relies on when it re-screens the registry: one answer line per
input line, in input order, the same answer the single endpoint gives, and a
bad line answered in its place (never dropped, never stopping the rest).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner

from payloads import valid_application
from specreg.cli import main
from specreg.web.app import create_app
from specreg.web.batch import MAX_BATCH_BYTES

AS_OF = "2026-03-20"
NDJSON = {"Content-Type": "application/x-ndjson"}


def _application(number: int, **changes) -> dict:
    payload = valid_application()
    payload["application_id"] = f"APP-BATCH-{number:04d}"
    payload.update(changes)
    return payload


def _lines() -> list[bytes]:
    """Valid applications with a returned one, bad JSON, a blank line and a contract breach among them."""
    returned = _application(3)
    returned["documents"] = returned["documents"][:-1]
    breach = _application(6)
    del breach["specialist"]["iin"]
    lines = [_application(1), _application(2), returned, b"{not json", b"", breach, _application(7)]
    lines += [_application(n) for n in range(8, 30)]
    return [line if isinstance(line, bytes) else json.dumps(line, ensure_ascii=False).encode()
            for line in lines]


def _check_answers(answers: list[dict], lines: list[bytes]) -> None:
    assert [answer["line"] for answer in answers] == list(range(1, len(lines) + 1))
    for answer, line in zip(answers, lines, strict=True):
        if "screening" in answer:
            assert answer["screening"]["application_id"] == json.loads(line)["application_id"]
    assert answers[2]["screening"]["outcome"] == "return"
    assert answers[3]["problem"]["type"] == "urn:specreg:problem:malformed-json"
    assert answers[4]["problem"]["type"] == "urn:specreg:problem:malformed-json"
    breach = answers[5]["problem"]
    assert (breach["status"], breach["type"]) == (422, "urn:specreg:problem:invalid-application")
    assert {"pointer": "/specialist/iin", "code": "required"} in [
        {"pointer": e["pointer"], "code": e["code"]} for e in breach["errors"]]
    assert sum("problem" in answer for answer in answers) == 3


# --- the command line ------------------------------------------------------------


def _run_cli(tmp_path: Path, lines: list[bytes], *options: str):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(main, ["screen-batch", str(source), "-o", str(target), *options])
    answers = [json.loads(line) for line in target.read_bytes().splitlines()] if target.exists() else []
    return result, answers


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_answers_every_line_in_order_with_problems_in_place(tmp_path, workers):
    lines = _lines()
    result, answers = _run_cli(tmp_path, lines, "--as-of", AS_OF, "--workers", workers)
    assert result.exit_code == 3, result.output  # partial: some lines answered with a problem
    _check_answers(answers, lines)


def test_cli_gives_the_single_endpoints_answer(tmp_path, client):
    payload = _application(1)
    result, answers = _run_cli(tmp_path, [json.dumps(payload).encode()], "--as-of", AS_OF, "--lang", "en")
    single = client.post(f"/api/v1/screenings?as_of={AS_OF}", json=payload,
                         headers={"Accept-Language": "en"}).get_json()
    assert result.exit_code == 0, result.output
    assert answers == [{"line": 1, "screening": single}]


def test_cli_one_and_two_workers_write_the_same_file(tmp_path):
    lines = _lines()
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    _, one = _run_cli(tmp_path / "one", lines, "--as-of", AS_OF, "--workers", "1")
    _, two = _run_cli(tmp_path / "two", lines, "--as-of", AS_OF, "--workers", "2")
    assert one == two


def test_cli_one_and_two_workers_write_the_same_bytes_over_several_chunks(tmp_path):
    """Past two chunks of the pool (128 lines each, the last ones cut small) the lines stay in order."""
    lines = _lines() * 10  # 290 lines: a full chunk, then the small ones of the end
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    _, answers = _run_cli(tmp_path / "one", lines, "--as-of", AS_OF, "--workers", "1")
    _run_cli(tmp_path / "two", lines, "--as-of", AS_OF, "--workers", "2")
    one, two = ((tmp_path / name / "out.jsonl").read_bytes() for name in ("one", "two"))
    assert one == two
    assert [answer["line"] for answer in answers] == list(range(1, len(lines) + 1))


def test_cli_language_is_each_applications_own_unless_asked(tmp_path):
    kazakh = _application(1, language="kk")
    kazakh["documents"] = kazakh["documents"][:-1]
    line = json.dumps(kazakh, ensure_ascii=False).encode()
    _, own = _run_cli(tmp_path, [line], "--as-of", AS_OF)
    _, english = _run_cli(tmp_path, [line], "--as-of", AS_OF, "--lang", "en")
    assert own[0]["screening"]["language"] == "kk"
    assert english[0]["screening"]["language"] == "en"
    assert own[0]["screening"]["reasons"][0]["message"] != english[0]["screening"]["reasons"][0]["message"]


def test_cli_refuses_a_bad_as_of_and_a_missing_file(tmp_path):
    bad_day = CliRunner().invoke(main, ["screen-batch", "x.jsonl", "-o", str(tmp_path / "o"),
                                        "--as-of", "2026-02-30"])
    missing = CliRunner().invoke(main, ["screen-batch", str(tmp_path / "absent.jsonl"),
                                        "-o", str(tmp_path / "o")])
    assert bad_day.exit_code == 2 and "YYYY-MM-DD" in bad_day.output
    assert missing.exit_code == 5 and "absent.jsonl" in missing.output


# --- HTTP ------------------------------------------------------------------------


def answer_lines(data: bytes) -> list[dict]:
    """The answer lines of a complete batch answer, after checking its summary line."""
    *answers, last = [json.loads(line) for line in data.splitlines()]
    screened = sum("screening" in answer for answer in answers)
    assert last == {"summary": {"lines": len(answers), "screened": screened,
                                "problems": len(answers) - screened}}
    return answers


def test_http_batch_streams_one_line_per_input_line_in_order(client):
    lines = _lines()
    answer = client.post(f"/api/v1/screenings:batch?as_of={AS_OF}", data=b"\n".join(lines) + b"\n",
                         headers=NDJSON)
    assert (answer.status_code, answer.mimetype) == (200, "application/x-ndjson")
    assert answer.is_streamed
    _check_answers(answer_lines(answer.data), lines)


def test_http_batch_negotiates_the_language_per_line(client):
    kazakh = json.dumps(_application(1, language="kk"), ensure_ascii=False).encode()
    russian = json.dumps(_application(2), ensure_ascii=False).encode()
    body = kazakh + b"\n" + russian
    own = client.post(f"/api/v1/screenings:batch?as_of={AS_OF}", data=body, headers=NDJSON).data
    english = client.post(f"/api/v1/screenings:batch?as_of={AS_OF}", data=body,
                          headers={**NDJSON, "Accept-Language": "en-GB, ru;q=0.5"}).data
    assert [x["screening"]["language"] for x in answer_lines(own)] == ["kk", "ru"]
    assert [x["screening"]["language"] for x in answer_lines(english)] == ["en", "en"]


def test_http_batch_accepts_more_than_the_single_endpoints_limit(client):
    line = b"{}" + b" " * 4094  # a fast 422 line of 4 KiB
    body = b"\n".join([line] * 512)  # 2 MiB: over the 1 MiB of the single endpoint
    answer = client.post("/api/v1/screenings:batch", data=body, headers=NDJSON)
    answers = answer_lines(answer.data)
    assert answer.status_code == 200
    assert len(answers) == 512
    assert {a["problem"]["status"] for a in answers} == {422}


@pytest.mark.parametrize("headers", [
    {"Content-Type": "application/json"},
    {"Content-Type": "text/plain"},
    {"Content-Type": "application/x-ndjson; charset=latin-1"},
])
def test_http_batch_refuses_other_media_types(client, headers):
    answer = client.post("/api/v1/screenings:batch", data=b"{}\n", headers=headers)
    assert (answer.status_code, answer.mimetype) == (415, "application/problem+json")
    assert answer.get_json()["type"] == "urn:specreg:problem:unsupported-batch-media-type"


def test_http_batch_refuses_a_bad_as_of(client):
    answer = client.post("/api/v1/screenings:batch?as_of=20-03-2026", data=b"{}\n", headers=NDJSON)
    assert (answer.status_code, answer.get_json()["type"]) == (400, "urn:specreg:problem:bad-as-of")


def test_http_batch_refuses_a_body_over_its_limit(client):
    body = b" " * (MAX_BATCH_BYTES + 1)
    answer = client.post("/api/v1/screenings:batch", data=body,
                         headers={**NDJSON, "Accept-Language": "en"})
    problem = answer.get_json()
    assert (answer.status_code, answer.mimetype) == (413, "application/problem+json")
    assert str(MAX_BATCH_BYTES) in problem["detail"]


def test_http_batch_refuses_a_chunked_body_over_its_limit(client):
    answer = client.post("/api/v1/screenings:batch", input_stream=BytesIO(b" " * (MAX_BATCH_BYTES + 10)),
                         headers={**NDJSON, "Transfer-Encoding": "chunked"},
                         environ_overrides={"wsgi.input_terminated": True})
    assert (answer.status_code, answer.get_json()["type"]) == (413, "urn:specreg:problem:too-large")


def test_http_batch_of_nothing_is_its_summary_alone(client):
    answer = client.post("/api/v1/screenings:batch", data=b"", headers=NDJSON)
    assert answer.status_code == 200
    assert json.loads(answer.data) == {"summary": {"lines": 0, "screened": 0, "problems": 0}}


def test_http_batch_needs_the_api_token_when_one_is_set():
    guarded = create_app({"API_TOKEN": "api-secret"}).test_client()
    refused = guarded.post("/api/v1/screenings:batch", data=b"{}\n", headers=NDJSON)
    allowed = guarded.post("/api/v1/screenings:batch", data=b"{}\n",
                           headers={**NDJSON, "Authorization": "Bearer api-secret"})
    assert (refused.status_code, refused.mimetype) == (401, "application/problem+json")
    assert allowed.status_code == 200 and answer_lines(allowed.data)[0]["problem"]["status"] == 422


# --- the query: as on the single route ---------------------------------------------


def _single(client, payload: dict, query: str) -> dict:
    answer = client.post(f"/api/v1/screenings?{query}", data=json.dumps(payload, ensure_ascii=False),
                         content_type="application/json")
    return answer.get_json()


def test_http_batch_honours_ruleset_and_explain_as_the_single_route_does(tmp_path):
    from gunicorn_process import add_2026_version, copy_rules
    rules = add_2026_version(copy_rules(tmp_path / "rules"))
    client = create_app({"RULES_DIR": str(rules)}).test_client()
    payload = _application(1)
    query = f"as_of={AS_OF}&ruleset=2026.1&explain=full"
    answer = client.post(f"/api/v1/screenings:batch?{query}",
                         data=json.dumps(payload, ensure_ascii=False).encode(), headers=NDJSON)
    [line] = answer_lines(answer.data)
    assert line["screening"]["ruleset"]["version"] == "2026.1"
    assert line["screening"] == _single(client, payload, query)
    assert "explain" in line["screening"]


@pytest.mark.parametrize(("query", "kind"), [
    ("ruleset=1999.9", "unknown-ruleset"),
    ("explain=some", "bad-explain"),
    ("as_of=2026-03-20&as_of=2026-03-21", "repeated-parameter"),
    ("ruleset=2025.1&ruleset=2025.1", "repeated-parameter"),
])
def test_http_batch_refuses_the_query_the_single_route_refuses(client, query, kind):
    batch = client.post(f"/api/v1/screenings:batch?{query}", data=b"{}\n", headers=NDJSON)
    single = client.post(f"/api/v1/screenings?{query}", data=b"{}", content_type="application/json")
    assert (batch.status_code, batch.get_json()["type"]) == (400, f"urn:specreg:problem:{kind}")
    assert (single.status_code, single.get_json()["type"]) == (400, f"urn:specreg:problem:{kind}")


def test_http_batch_answers_a_line_with_a_lone_surrogate_in_place(client):
    good = json.dumps(_application(1), ensure_ascii=False)
    bad = json.dumps(_application(2), ensure_ascii=False).replace('"APP-', '"\\ud800APP-', 1)
    body = "\n".join([good, bad, good, "\u0000", good]).encode()
    answer = client.post(f"/api/v1/screenings:batch?as_of={AS_OF}", data=body, headers=NDJSON)
    answers = answer_lines(answer.data)
    assert [("screening" in a, a["line"]) for a in answers] == [
        (True, 1), (False, 2), (True, 3), (False, 4), (True, 5)]
    errors = answers[1]["problem"]["errors"]
    assert ("/application_id", "pattern") in {(e["pointer"], e["code"]) for e in errors}
    assert answers[3]["problem"]["status"] == 400
    answer.data.decode("utf-8")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_names_the_output_when_it_cannot_be_written(tmp_path, workers):
    """A full disk mid-batch is the output's fault, not the input's: the message names the output
    and the reason in the reader's language, with status 5."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(_lines() * 40) + b"\n")
    specreg = Path(sys.executable).with_name("specreg")
    done = subprocess.run([str(specreg), "screen-batch", str(source), "-o", "/dev/full", "--workers", workers,
                           "--as-of", AS_OF, "--lang", "ru"], capture_output=True, timeout=120)
    message = done.stderr.decode("utf-8")
    assert done.returncode == 5
    assert "/dev/full: не удаётся записать файл (на диске нет места)" in message
    assert "Traceback" not in message and str(source) not in message


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_is_said_in_the_readers_language_with_status_130(tmp_path, workers):
    """Ctrl-C reaches the command and its workers (the terminal's process group): no traceback,
    no click "Aborted!", no worker left; the lines written stand, in order."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b"\n".join(_lines() * 2000) + b"\n")  # 58,000 lines: far from done in a second
    specreg = Path(sys.executable).with_name("specreg")

    def own_group_with_sigint() -> None:  # as a terminal's foreground job: SIGINT not ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setpgrp()

    process = subprocess.Popen([str(specreg), "screen-batch", str(source), "-o", str(target), "--workers",
                                workers, "--as-of", AS_OF], stderr=subprocess.PIPE,
                               env={**os.environ, "LANG": "kk_KZ.UTF-8"}, preexec_fn=own_group_with_sigint)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not target.exists() or target.stat().st_size == 0):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    message = stderr.decode("utf-8")
    assert process.returncode == 130
    assert "Пайдаланушы тоқтатты." in message
    assert "Traceback" not in message and "Aborted" not in message
    alive = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert alive == []
    written = target.read_bytes().splitlines()
    assert 0 < len(written) < 58_000
    assert [json.loads(line)["line"] for line in written] == list(range(1, len(written) + 1))


def test_cli_says_so_when_a_worker_process_dies(tmp_path):
    """A worker killed mid-batch (out of memory, a signal) ends the command with status 5 and a
    sentence in the reader's language, not a traceback nor a wait for ever; the lines written stand."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b"\n".join(_lines() * 400) + b"\n")  # 11,600 lines: long enough to kill one
    specreg = Path(sys.executable).with_name("specreg")
    command = [str(specreg), "screen-batch", str(source), "-o", str(target), "--workers", "2",
               "--as-of", AS_OF, "--lang", "ru"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, env={**os.environ, "LANG": "ru_RU.UTF-8"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not target.exists() or target.stat().st_size == 0):
        time.sleep(0.05)
    workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert workers, "the batch ended before a worker could be stopped"
    for worker in workers:  # the pool's processes (killing one is enough; all leave no doubt)
        os.kill(int(worker), signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    message = stderr.decode("utf-8")
    assert process.returncode == 5
    assert "Рабочий процесс неожиданно остановился" in message
    assert "Traceback" not in message
    written = target.read_bytes().splitlines()
    assert [json.loads(line)["line"] for line in written] == list(range(1, len(written) + 1))
