"""Bearer tokens: the optional API token, the admin token, and the routes that stay open."""

from __future__ import annotations

import pytest

from payloads import valid_application
from specreg.web.app import create_app

SCREEN = "/api/v1/screenings?as_of=2026-03-20"
RELOAD = "/api/v1/admin/reload"


@pytest.fixture(scope="module")
def guarded():
    return create_app({"API_TOKEN": "api-secret", "ADMIN_TOKEN": "admin-secret"}).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(answer, status: int, kind: str) -> None:
    assert (answer.status_code, answer.content_type) == (status, "application/problem+json")
    body = answer.get_json()
    assert (body["status"], body["type"]) == (status, f"urn:specreg:problem:{kind}")


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Basic YXBpOmFwaS1zZWNyZXQ="},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer "},
])
def test_screening_without_a_bearer_token_is_401(guarded, headers):
    answer = guarded.post(SCREEN, json=valid_application(), headers=headers)
    assert_problem(answer, 401, "unauthorized")
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="specreg"'


@pytest.mark.parametrize("token", ["api-secreT", "api-secret-", "admin-secret-", "ключ"])
def test_screening_with_a_wrong_token_is_401_invalid_token(guarded, token):
    headers = {"Authorization": f"Bearer {token}".encode().decode("latin-1"), "Accept-Language": "en"}
    answer = guarded.post(SCREEN, json=valid_application(), headers=headers)
    assert_problem(answer, 401, "unauthorized")
    assert answer.get_json()["title"] == "Authentication required"
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="specreg", error="invalid_token"'


def test_screening_with_the_api_token_is_served(guarded):
    answer = guarded.post(SCREEN, json=valid_application(), headers=bearer("api-secret"))
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "register"
    answer = guarded.post(SCREEN, json=valid_application(), headers={"Authorization": "bearer api-secret"})
    assert answer.status_code == 200


def test_the_token_is_checked_before_the_body(guarded):
    assert_problem(guarded.post(SCREEN, data=b"{", content_type="application/json"), 401, "unauthorized")


def test_without_an_api_token_the_screening_api_is_open(client):
    assert client.post(SCREEN, json=valid_application()).status_code == 200
    assert client.post(SCREEN, json=valid_application(), headers=bearer("anything")).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_operations_routes_stay_open(guarded, path):
    assert guarded.get(path).status_code == 200


def test_unknown_routes_answer_404_not_401(guarded):
    assert_problem(guarded.get("/api/v1/nothing-here"), 404, "http-error")


def test_admin_routes_need_the_admin_token(guarded):
    assert_problem(guarded.post(RELOAD), 401, "unauthorized")
    answer = guarded.post(RELOAD, headers=bearer("wrong"))
    assert_problem(answer, 401, "unauthorized")
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    answer = guarded.post(RELOAD, headers=bearer("api-secret"))
    assert_problem(answer, 403, "forbidden")
    assert 'error="insufficient_scope"' in answer.headers["WWW-Authenticate"]
    assert guarded.post(RELOAD, headers=bearer("admin-secret")).status_code == 200


def test_admin_routes_are_closed_while_no_admin_token_is_set(client):
    assert_problem(client.post(RELOAD), 403, "admin-disabled")
    assert_problem(client.post(RELOAD, headers=bearer("admin-secret")), 403, "admin-disabled")


def test_tokens_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SPECREG_API_TOKEN", "from-env")
    monkeypatch.setenv("SPECREG_ADMIN_TOKEN", "admin-from-env")
    client = create_app().test_client()
    assert client.post(SCREEN, json=valid_application()).status_code == 401
    assert client.post(SCREEN, json=valid_application(), headers=bearer("from-env")).status_code == 200
    assert client.post(RELOAD, headers=bearer("admin-from-env")).status_code == 200


def test_the_rules_are_public_and_the_admin_token_also_opens_the_api(tmp_path):
    from specreg.web.app import create_app

    app = create_app({"API_TOKEN": "api-secret", "ADMIN_TOKEN": "admin-secret"})
    client = app.test_client()
    assert client.get("/api/v1/rulesets").status_code == 200
    assert client.post("/api/v1/screenings?as_of=2026-03-20", json={}).status_code == 401
    answer = client.post("/api/v1/screenings?as_of=2026-03-20", json={},
                         headers={"Authorization": "Bearer admin-secret"})
    assert answer.status_code == 422
