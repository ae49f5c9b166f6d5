"""One real server on a loopback port: gunicorn, as `make run` starts it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from payloads import valid_application

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server_url():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "specreg.web.app:create_app()"],
        cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy in 30 s")


def _post(url: str, body: bytes, **headers: str):
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers.get_content_type(), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), json.loads(error.read())


def test_screening_over_a_real_socket(server_url):
    payload = valid_application()
    payload["documents"] = payload["documents"][:-1]
    status, media_type, body = _post(
        f"{server_url}/api/v1/screenings?as_of=2026-03-20",
        json.dumps(payload, ensure_ascii=False).encode(), **{"Accept-Language": "kk-KZ"},
    )
    assert (status, media_type) == (200, "application/json")
    assert body["outcome"] == "return"
    assert [reason["code"] for reason in body["reasons"]] == ["documents_incomplete"]
    assert body["language"] == "kk"


def test_errors_over_a_real_socket_are_problems(server_url):
    status, media_type, body = _post(f"{server_url}/api/v1/screenings", b"{not json")
    assert (status, media_type, body["status"]) == (400, "application/problem+json", 400)
    status, media_type, body = _post(f"{server_url}/api/v1/screenings", b"x" * (1024 * 1024 + 1))
    assert (status, media_type, body["status"]) == (413, "application/problem+json", 413)
