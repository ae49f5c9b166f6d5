"""What every route refuses alike (``specreg.web.transport``): one answer, whichever route.

A repeated query parameter is 400 ``repeated-parameter``, a ``Content-Encoding``
415 ``unsupported-content-encoding``, on every route of the app; an admin route
sent a body that is not JSON is 415. The same checks run against a real
``make run`` server in ``test_front.py``.
"""

from __future__ import annotations

import gzip
import json

import pytest

from payloads import valid_application
from specreg.web.app import create_app

TOKEN = "admin-secret"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
BODY = json.dumps(valid_application(), ensure_ascii=False).encode()
# (method, path, content type, body) for every route a client may call
ROUTES = [
    ("POST", "/api/v1/screenings?as_of=2026-03-20", "application/json", BODY),
    ("POST", "/api/v1/screenings:batch?as_of=2026-03-20", "application/x-ndjson", BODY + b"\n"),
    ("GET", "/api/v1/rulesets", None, None),
    ("GET", "/api/v1/rulesets/2025.1", None, None),
    ("GET", "/healthz", None, None),
    ("GET", "/readyz", None, None),
    ("GET", "/metrics", None, None),
    ("GET", "/openapi.json", None, None),
    ("GET", "/admin", None, None),
    ("GET", "/api/v1/admin/fixtures", None, None),
    ("POST", "/api/v1/admin/reload", None, None),
]


@pytest.fixture(scope="module")
def client():
    return create_app({"ADMIN_TOKEN": TOKEN}).test_client()


def send(client, method, path, content_type, body, **headers):
    if content_type:
        headers["Content-Type"] = content_type
    return client.open(path, method=method, data=body, headers={**ADMIN, **headers})


def problem_type(answer) -> tuple[int, str]:
    assert answer.mimetype == "application/problem+json", answer.get_data(as_text=True)[:300]
    return answer.status_code, answer.get_json()["type"].rsplit(":", 1)[-1]


@pytest.mark.parametrize(("method", "path", "content_type", "body"), ROUTES, ids=[r[1] for r in ROUTES])
def test_a_repeated_query_parameter_is_400_on_every_route(client, method, path, content_type, body):
    joiner = "&" if "?" in path else "?"
    answer = send(client, method, f"{path}{joiner}lang=kk&lang=kk", content_type, body)
    assert problem_type(answer) == (400, "repeated-parameter")


@pytest.mark.parametrize(("method", "path", "content_type", "body"), ROUTES, ids=[r[1] for r in ROUTES])
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "gzip, identity"])
def test_a_content_encoding_is_415_on_every_route(client, method, path, content_type, body, encoding):
    sent = gzip.compress(body) if body else body
    answer = send(client, method, path, content_type, sent, **{"Content-Encoding": encoding})
    assert problem_type(answer) == (415, "unsupported-content-encoding")


def test_identity_is_no_encoding(client):
    answer = send(client, *ROUTES[0], **{"Content-Encoding": "identity"})
    assert answer.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/admin/reload", "/api/v1/admin/suite", "/api/v1/admin/impact"])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=latin-1", "multipart/form-data; b=x"])
def test_admin_routes_refuse_a_body_that_is_not_json(client, path, content_type):
    answer = send(client, "POST", path, content_type, b"{}")
    assert problem_type(answer) == (415, "unsupported-media-type")


def test_admin_routes_take_json_and_an_empty_body(client):
    assert send(client, "POST", "/api/v1/admin/reload", None, None).status_code == 200
    assert send(client, "POST", "/api/v1/admin/reload", "application/json", b"{}").status_code == 200


def test_the_impact_route_answers_a_lone_surrogate_in_its_jsonl(client):
    """The impact replay screens JSONL lines: a lone surrogate in one is that line's input error."""
    line = json.dumps(valid_application()).replace('"APP-', '"\\ud800APP-', 1)
    body = json.dumps({"base": "2025.1", "candidate": "2025.1", "jsonl": line + "\n", "as_of": "2026-03-20"})
    answer = send(client, "POST", "/api/v1/admin/impact", "application/json", body.encode())
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    answer.get_data().decode("utf-8")
