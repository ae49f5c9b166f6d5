"""The hostile battery against the real ``make run``: nginx in front of the two gunicorn pools.

What the Flask test client cannot show: what nginx answers by itself (a bad
request line, 414, 431, a malformed chunked body, a transfer coding it does
not know) is problem+json and never a 5xx; clients trickling headers or
bodies hold no worker and are cut off; batches run on their own pool, a few
at a time (429 with Retry-After beyond), and a long one is never killed
halfway. The hostile bodies of ``test_hostile_input`` are sent again here.
No assertion is about speed (that is ``make bench``); the waits below only
bound how long a test may hang.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import hostile_bodies
from gunicorn_process import Front, add_2026_version, copy_rules
from payloads import valid_application

pytestmark = pytest.mark.slow

URL = "/api/v1/screenings?as_of=2026-03-20"
BATCH = "/api/v1/screenings:batch?as_of=2026-03-20"
APPLICATION = json.dumps(valid_application(), ensure_ascii=False).encode()


BODY_DEADLINE = 8  # seconds for a whole body in these tests (30 by default)


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    workdir = Path(tmp_path_factory.mktemp("front"))
    with Front(workdir, WORKERS="2", FRONT_HEADER_TIMEOUT="3", FRONT_BODY_TIMEOUT="3",
               FRONT_BODY_DEADLINE=str(BODY_DEADLINE), SPECREG_DECISION_LOG=str(workdir / "decisions.jsonl")
               ) as running:
        running.decision_log = workdir / "decisions.jsonl"
        yield running


def raw_exchange(port: int, data: bytes, timeout: float = 30) -> bytes:
    """Send bytes as they are and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(data)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except ConnectionResetError:  # nginx resets after answering a request whose body it refused
            assert received, "reset before any answer"
    return received


def status_and_problem(answer: bytes) -> tuple[int, str, dict[str, Any]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "chunked" in headers.get("transfer-encoding", ""):
        body = _dechunked(body)
    return int(lines[0].split()[1]), headers.get("content-type", ""), json.loads(body)


def _dechunked(body: bytes) -> bytes:
    out = b""
    while body:
        size, _, rest = body.partition(b"\r\n")
        length = int(size, 16)
        if length == 0:
            break
        out, body = out + rest[:length], rest[length + 2:]
    return out


def post(front, path: str, body: bytes, content_type: str = "application/json", **headers: str):
    return front.request("POST", path, body, **{"Content-Type": content_type, **headers})


# --- what nginx answers by itself ------------------------------------------------------------

CLOSE = b"Connection: close\r\n"
MALFORMED = {
    "garbage-request-line": (b"GARBAGE\r\n\r\n", 400),
    "request-line-with-extra": (b"GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
    "http-2.0-on-http-1": (b"GET /healthz HTTP/2.0\r\nHost: x\r\n" + CLOSE + b"\r\n", 400),
    "no-host": (b"GET /healthz HTTP/1.1\r\n" + CLOSE + b"\r\n", 400),
    "nul-in-a-header": (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n" + CLOSE + b"\r\n", 400),
    "malformed-chunk-size": (b"POST " + URL.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: "
                             b"application/json\r\nTransfer-Encoding: chunked\r\n" + CLOSE
                             + b"\r\nZZ\r\n{}\r\n0\r\n\r\n", 400),
    "unknown-transfer-coding": (b"POST " + URL.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                b"application/json\r\nTransfer-Encoding: gzip, chunked\r\n" + CLOSE
                                + b"\r\n0\r\n\r\n", 400),
    "length-and-chunked": (b"POST " + URL.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                           b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n" + CLOSE
                           + b"\r\n2\r\n{}\r\n0\r\n\r\n", 400),
    "two-lengths": (b"POST " + URL.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                    b"Content-Length: 3\r\nContent-Type: application/json\r\n" + CLOSE + b"\r\n{}", 400),
    "uri-of-20-kib": (b"GET /healthz?x=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n" + CLOSE + b"\r\n",
                      414),
    "header-of-9-kib": (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n" + CLOSE
                        + b"\r\n", 431),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_what_the_front_refuses_by_itself_is_problem_json(front, name):
    data, status = MALFORMED[name]
    got, media_type, body = status_and_problem(raw_exchange(front.port, data))
    assert (got, media_type, body["status"]) == (status, "application/problem+json", status)
    assert body["type"].startswith("urn:specreg:problem:")


@pytest.mark.parametrize(("language", "title"), [
    ("kk", "Сұрау денесі тым үлкен"), ("en-GB,ru;q=0.5", "The request body is too large"),
    ("ru", "Слишком большое тело запроса"), ("", "Слишком большое тело запроса"),
])
def test_the_fronts_own_answers_are_in_the_readers_language(front, language, title):
    data = (f"POST {URL} HTTP/1.1\r\nHost: x\r\nAccept-Language: {language}\r\nContent-Type: "
            f"application/json\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n").encode()
    _, _, body = status_and_problem(raw_exchange(front.port, data))
    assert body["title"] == title


@pytest.mark.parametrize(("language", "detail"), [
    ("ru", "Некорректный запрос"), ("kk", "Сұрау дұрыс құрылмаған"), ("en", "Bad Request"),
])
def test_what_the_front_says_of_a_status_is_in_the_readers_language_too(front, language, detail):
    data = (b"POST " + URL.encode() + b" HTTP/1.1\r\nHost: x\r\nAccept-Language: " + language.encode()
            + b"\r\nContent-Length: 2\r\nContent-Length: 3\r\nContent-Type: application/json\r\n"
            + CLOSE + b"\r\n{}")
    status, _, body = status_and_problem(raw_exchange(front.port, data))
    assert (status, body["detail"]) == (400, detail)


def test_before_the_headers_are_read_the_front_speaks_russian(front):
    """A request line too long to read leaves no Accept-Language: the default language, ru."""
    data = (b"GET /healthz?x=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\nAccept-Language: kk\r\n"
            + CLOSE + b"\r\n")
    status, _, body = status_and_problem(raw_exchange(front.port, data))
    assert (status, body["detail"]) == (414, "Слишком длинный URI")


@pytest.mark.parametrize(("path", "limit"), [(URL, 1024 * 1024), (BATCH, 50 * 1024 * 1024)])
def test_a_body_over_the_routes_limit_is_413_problem_json(front, path, limit):
    kind = "application/json" if path == URL else "application/x-ndjson"
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {limit + 1}\r\nConnection: close\r\n\r\n").encode()
    status, media_type, body = status_and_problem(raw_exchange(front.port, head))
    assert (status, media_type, body["type"]) == (413, "application/problem+json",
                                                  "urn:specreg:problem:too-large")
    assert str(limit) in body["detail"]


def test_a_chunked_body_is_read_whole_by_the_front(front):
    connection = http.client.HTTPConnection("127.0.0.1", front.port, timeout=30)
    pieces = [APPLICATION[i:i + 100] for i in range(0, len(APPLICATION), 100)]
    connection.request("POST", URL, body=iter(pieces), encode_chunked=True,
                       headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    assert answer.status == 200 and json.loads(answer.read())["outcome"] == "register"


# --- hostile bytes and bodies, as on the test client ----------------------------------------


@pytest.mark.parametrize("name", sorted(hostile_bodies.BODIES))
def test_costly_bodies_are_small_4xx_answers(front, name):
    status, headers, raw = post(front, URL, hostile_bodies.bodies()[name])
    assert status in (400, 422) and headers["Content-Type"] == "application/problem+json"
    assert len(raw) < 64 * 1024 and len(json.loads(raw).get("errors", [])) <= 100


@pytest.mark.parametrize(("escaped", "where"), [
    ('"\\ud800"', "/specialist/profession"), ('"\\u0000x"', "/specialist/profession"),
    ('"a\\u001bb"', "/specialist/profession"), ('"a\\u0085b"', "/specialist/profession"),
])
def test_lone_surrogates_and_control_characters_are_422(front, escaped, where):
    body = APPLICATION.replace('"специалист по социальной работе"'.encode(), escaped.encode(), 1)
    assert body != APPLICATION
    status, _, raw = post(front, URL, body)
    assert status == 422
    assert (where, "pattern") in {(e["pointer"], e["code"]) for e in json.loads(raw)["errors"]}


def test_a_batch_answers_a_bad_line_in_place_and_ends_with_its_summary(front):
    bad = APPLICATION.replace('"специалист по социальной работе"'.encode(), b'"\\ud800"', 1)
    assert bad != APPLICATION
    lines = [APPLICATION, bad, b"{not json", APPLICATION.replace(b"APP-", b"APP\\u0000-", 1), APPLICATION]
    status, _, raw = post(front, BATCH, b"\n".join(lines), "application/x-ndjson")
    answers = [json.loads(line) for line in raw.splitlines()]
    assert status == 200
    assert [("screening" in a, a.get("line")) for a in answers[:-1]] == [
        (True, 1), (False, 2), (False, 3), (False, 4), (True, 5)]
    assert answers[-1] == {"summary": {"lines": 5, "screened": 2, "problems": 3}}


def test_one_iin_has_one_hash_across_workers_and_pools(front):
    for _ in range(6):
        assert post(front, URL, APPLICATION)[0] == 200
    post(front, BATCH, b"\n".join([APPLICATION] * 4), "application/x-ndjson")
    hashes = {json.loads(line).get("iin_hash") for line in front.decision_log.read_text().splitlines()}
    assert len(hashes - {None}) == 1
    assert "SPECREG_IIN_SALT is unset" in front.log_text()


@pytest.mark.parametrize(("query", "headers", "status", "kind"), [
    ("&as_of=2026-03-21", {}, 400, "repeated-parameter"),
    ("", {"Content-Encoding": "gzip"}, 415, "unsupported-content-encoding"),
])
@pytest.mark.parametrize("path", [URL, BATCH])
def test_the_transport_rules_hold_through_the_front(front, path, query, headers, status, kind):
    content_type = "application/json" if path == URL else "application/x-ndjson"
    got, _, raw = post(front, path + query, APPLICATION, content_type, **headers)
    assert (got, json.loads(raw)["type"]) == (status, f"urn:specreg:problem:{kind}")


def test_a_request_id_with_twelve_digits_is_replaced(front):
    _, headers, _ = front.get("/healthz", **{"X-Request-ID": "x850501300011"})
    assert headers["X-Request-ID"] != "x850501300011" and "850501300011" not in front.log_text()


# --- slow clients -------------------------------------------------------------------------------


class Trickler(threading.Thread):
    """A client that sends its request a byte at a time, ``pause`` seconds apart, until the
    server closes the connection (``cut_off``) or the test stops it."""

    def __init__(self, port: int, data: bytes, pause: float, head: bytes = b"") -> None:
        super().__init__(daemon=True)
        self.connection = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.data, self.pause, self.head = data, pause, head
        self.cut_off = False
        self.sent = 0
        self.stop = threading.Event()
        self.started = self.ended = 0.0

    def run(self) -> None:
        self.started = time.monotonic()
        try:
            if self.head:
                self.connection.sendall(self.head)
            for byte in self.data:
                if self.stop.wait(self.pause):
                    break
                if self._closed_by_server():
                    self.cut_off = True
                    break
                self.connection.sendall(bytes([byte]))
                self.sent += 1
        except OSError:
            self.cut_off = True
        finally:
            self.ended = time.monotonic()
            self.connection.close()

    def _closed_by_server(self) -> bool:
        self.connection.setblocking(False)
        try:
            self.connection.recv(65536)  # an answer (408) or the close
            return True
        except BlockingIOError:
            return False
        finally:
            self.connection.setblocking(True)


HEADERS = b"POST " + URL.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


def test_twenty_tricklers_hold_no_worker_and_each_is_cut_off(front):
    """Ten trickle their headers a byte every 0.5 s, five their bodies as slowly, five pause 5 s
    in their bodies. With 2 sync workers and no front, the screenings below waited for them all.
    The stalled are cut at their first long pause; the steady ones, which never pause long, when
    the whole-body deadline passes (no body takes longer, however it is sent)."""
    header = [Trickler(front.port, HEADERS + b"Content-Length: 2\r\n\r\n{}", 0.5) for _ in range(10)]
    head = HEADERS + f"Content-Length: {len(APPLICATION)}\r\n\r\n".encode()
    steady = [Trickler(front.port, APPLICATION, 0.5, head) for _ in range(5)]
    stalled = [Trickler(front.port, APPLICATION, 5.0, head) for _ in range(5)]
    tricklers = header + steady + stalled
    for trickler in tricklers:
        trickler.start()
    time.sleep(1)
    for _ in range(20):
        status, _, raw = post(front, URL, APPLICATION)
        assert status == 200 and json.loads(raw)["outcome"] == "register"
    for trickler in tricklers:
        trickler.join(timeout=60)  # bounded: the header within 3 s, no pause over 3 s, a body within 8 s
    assert all(t.cut_off and t.sent < len(t.data) for t in tricklers)
    for trickler in steady:  # sending all along: cut by the deadline, not by a pause
        assert BODY_DEADLINE - 1 <= trickler.ended - trickler.started <= BODY_DEADLINE + 5


# --- batches: their own pool ------------------------------------------------------------------


def _batch_lines(count: int) -> bytes:
    return b"\n".join([APPLICATION] * count)


def test_six_concurrent_batches_two_run_the_rest_are_429_and_health_answers(front):
    body = _batch_lines(1500)
    answers: list[tuple[int, dict[str, str], bytes]] = []

    def send() -> None:
        answers.append(post(front, BATCH, body, "application/x-ndjson"))

    senders = [threading.Thread(target=send) for _ in range(6)]
    for sender in senders:
        sender.start()
    time.sleep(1.5)
    for _ in range(10):  # while batches stream, the screening pool answers
        assert front.get("/healthz")[0] == 200
        assert post(front, URL, APPLICATION)[0] == 200
    for sender in senders:
        sender.join(timeout=600)
    statuses = sorted(status for status, _, _ in answers)
    assert statuses.count(200) >= 2 and set(statuses) <= {200, 429}, statuses
    for status, headers, raw in answers:
        if status == 429:
            assert headers["Content-Type"] == "application/problem+json"
            assert int(headers["Retry-After"]) > 0 and json.loads(raw)["status"] == 429
        else:
            assert json.loads(raw.splitlines()[-1]) == {"summary": {"lines": 1500, "screened": 1500,
                                                                    "problems": 0}}


def test_a_50_mib_batch_of_costly_lines_completes_with_its_summary(tmp_path):
    """gunicorn's TIMEOUT (5 s here) killed a sync worker streaming a long batch: not a gthread one."""
    costly = (b'{"application_id": "A", ' + b",".join(b'"k%d": 0' % i for i in range(400)) + b"}")
    lines = [costly, APPLICATION, b"{}", b"not json"]
    body = b""
    block = b"\n".join(lines) + b"\n"
    body = block * ((50 * 1024 * 1024 - 1024) // len(block))
    expected = body.count(b"\n")
    with Front(tmp_path, WORKERS="1", TIMEOUT="5") as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=300)
        connection.request("POST", BATCH, body=body, headers={"Content-Type": "application/x-ndjson"})
        answer = connection.getresponse()
        assert answer.status == 200
        last, count = b"", 0
        while line := answer.readline():
            last, count = line, count + 1
        assert count == expected + 1
        screened = expected // len(lines)
        assert json.loads(last) == {"summary": {"lines": expected, "screened": screened,
                                                "problems": expected - screened}}


def test_sighup_to_the_front_reloads_both_pools(tmp_path):
    rules = copy_rules(tmp_path / "rules")
    with Front(tmp_path, SPECREG_RULES_DIR=str(rules), WORKERS="1") as running:
        add_2026_version(rules)
        os.kill(running.pid, signal.SIGHUP)
        query = "?as_of=2026-03-20&ruleset=2026.1"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            single = post(running, "/api/v1/screenings" + query, APPLICATION)
            batch = post(running, "/api/v1/screenings:batch" + query, APPLICATION, "application/x-ndjson")
            if single[0] == 200 and batch[0] == 200 and b'"screening"' in batch[2]:
                break
            time.sleep(0.5)
        assert json.loads(single[2])["ruleset"]["version"] == "2026.1"
        assert json.loads(batch[2].splitlines()[0])["screening"]["ruleset"]["version"] == "2026.1"


def test_a_worker_killed_mid_request_is_a_502_problem_not_html(front):
    """The one 5xx left is the service's own failure; even then the answer is problem+json."""
    body = hostile_bodies.bodies()["unknown_property_of_nested_arrays"]  # some 0.3 s of parsing
    seen: list[tuple[int, str]] = []
    master = front.pool_masters()[0]
    for _ in range(8):
        answers: list[tuple[int, dict[str, str], bytes]] = []
        sender = threading.Thread(target=lambda into=answers: into.append(post(front, URL, body)))
        sender.start()
        time.sleep(0.15)
        for worker in front.pool_workers(master):
            os.kill(worker, signal.SIGKILL)
        sender.join(timeout=60)
        status, headers, _ = answers[0]
        seen.append((status, headers["Content-Type"]))
        if status == 502:
            break
        time.sleep(2)  # the master starts new workers
    assert all(media_type == "application/problem+json" for _, media_type in seen), seen
    assert (502, "application/problem+json") in seen, seen
    deadline = time.monotonic() + 30
    while front.get("/readyz")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)


def test_one_address_may_have_a_bounded_number_of_requests_in_progress(tmp_path):
    """Steady body tricklers of one address beyond the limit are answered 429 at once."""
    with Front(tmp_path, WORKERS="1", FRONT_REQUESTS_PER_CLIENT="4", FRONT_BODY_TIMEOUT="30") as running:
        head = HEADERS + f"Content-Length: {len(APPLICATION)}\r\n\r\n".encode()
        steady = [Trickler(running.port, APPLICATION, 0.5, head) for _ in range(4)]
        for trickler in steady:
            trickler.start()
        time.sleep(1.5)
        status, media_type, body = status_and_problem(raw_exchange(running.port, head + APPLICATION))
        assert (status, media_type, body["type"]) == (429, "application/problem+json",
                                                      "urn:specreg:problem:too-busy")
        for trickler in steady:
            trickler.stop.set()
            trickler.join(timeout=10)
        time.sleep(1)
        answer = raw_exchange(running.port, head.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
                              + APPLICATION)
        assert status_and_problem_or_status(answer) == 200


def status_and_problem_or_status(answer: bytes) -> int:
    return int(answer.split(b"\r\n", 1)[0].split()[1])
