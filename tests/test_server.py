"""One real server on a loopback port, as `make run` starts it: nginx in front of the gunicorn pools."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gunicorn_process import Front
from payloads import valid_application

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    with Front(Path(tmp_path_factory.mktemp("server")), WORKERS="2") as running:
        yield running.url


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
