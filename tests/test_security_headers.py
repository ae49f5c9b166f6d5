"""Security headers on every answer of every route, errors included.

The routes are read from the application's URL map, so a route added later
is checked without touching this file. JSON answers get the policy that
allows nothing; HTML pages get one that allows their own scripts, styles and
images and nothing else (no inline script, no other origin). Only a script,
style sheet, image or font may be cached.
"""

from __future__ import annotations

import json
import re

import pytest

from payloads import valid_application
from specreg.web.app import create_app
from specreg.web.security import JSON_POLICY, PAGE_POLICY

ASSETS = ("text/css", "text/javascript", "application/javascript", "image/", "font/")
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_secure(answer) -> None:
    for name, value in COMMON.items():
        assert answer.headers.get(name) == value, (name, answer.status_code)
    policy = answer.headers["Content-Security-Policy"]
    if answer.mimetype == "text/html":
        assert policy == PAGE_POLICY
    else:
        assert policy == JSON_POLICY
    if not answer.mimetype.startswith(ASSETS):
        assert answer.headers.get("Cache-Control") == "no-store", answer.status_code


def test_the_page_policy_allows_nothing_inline_or_foreign():
    directives = dict(part.strip().split(" ", 1) for part in PAGE_POLICY.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    for value in directives.values():
        assert "unsafe" not in value and "http" not in value and "*" not in value


def _requests(app):
    """(method, path) of every route of the app, its variables filled with a plain value."""
    for rule in app.url_map.iter_rules():
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<{argument}>", "x")
            for converter in ("string", "int", "path", "any"):
                path = path.replace(f"<{converter}:{argument}>", "1" if converter == "int" else "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_route_answers_with_the_headers(client, app):
    body = json.dumps(valid_application(), ensure_ascii=False).encode()
    seen = 0
    for _, method, path in _requests(app):
        answer = client.open(path, method=method, data=body if method != "GET" else None,
                             content_type="application/json" if method != "GET" else None)
        assert_secure(answer)
        assert_secure(client.options(path))
        seen += 1
    assert seen >= 4


@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("GET", "/no/such/route", {}),
    ("PUT", "/api/v1/screenings", {}),
    ("POST", "/api/v1/screenings", {"data": b"{", "content_type": "application/json"}),
    ("POST", "/api/v1/screenings", {"data": b"{}", "content_type": "text/plain"}),
    ("POST", "/api/v1/screenings", {"data": b" " * (1024 * 1024 + 1), "content_type": "application/json"}),
    ("POST", "/api/v1/screenings", {"json": {"application_id": ""}}),
    ("POST", "/api/v1/screenings?as_of=x", {"json": {}}),
    ("HEAD", "/healthz", {}),
])
def test_error_answers_carry_the_headers(client, method, path, kwargs):
    answer = client.open(path, method=method, **kwargs)
    assert answer.status_code != 200 or method == "HEAD"
    assert_secure(answer)


def test_a_refused_token_answer_carries_the_headers():
    guarded = create_app({"API_TOKEN": "secret-token-for-the-test"}).test_client()
    answer = guarded.post("/api/v1/screenings", json=valid_application())
    assert answer.status_code == 401
    assert_secure(answer)


def test_the_pages_and_their_assets(client):
    """The pages load only what their own origin serves, and the assets may be cached."""
    for page in ("/admin", "/docs"):
        answer = client.get(page)
        assert (answer.status_code, answer.mimetype) == (200, "text/html")
        assert_secure(answer)
        html = answer.get_data(as_text=True)
        assert "http://" not in html and "https://" not in html
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', html):
            loaded = client.get(asset)
            assert loaded.status_code == 200, asset
            assert_secure(loaded)
            assert loaded.headers.get("Cache-Control") != "no-store"
