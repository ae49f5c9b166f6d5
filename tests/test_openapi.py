"""``GET /openapi.json`` says what the service really does.

Every test here sends a real request and validates the real answer's body
against the schema ``schemas/openapi.yaml`` gives for that route, status and
media type; an answer the document does not describe fails. Two more checks
keep the document complete: every route of the app is in it (and nothing
else), and the request body's schema is ``application.schema.json`` itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from gunicorn_process import copy_rules
from payloads import valid_application
from specreg.web.app import create_app
from specreg.web.batch import MAX_BATCH_BYTES

SPEC_URI = "urn:specreg:openapi"
AS_OF = "2026-03-20"
ADMIN = {"Authorization": "Bearer admin-secret"}
REPO = Path(__file__).resolve().parents[1]
SCREEN = "/api/v1/screenings"
BATCH = "/api/v1/screenings:batch"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Described:
    """The document's schema for (route, method, status, media type), applied to real answers."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SPEC_URI, resource)

    def _content(self, path: str, method: str, status: int) -> tuple[str, dict[str, Any]]:
        """The pointer to the described answer's ``content``, and that content."""
        responses = self.spec["paths"][path][method]["responses"]
        assert str(status) in responses, f"{method.upper()} {path} answering {status} is not described"
        pointer = f"/paths/{_escape(path)}/{method}/responses/{status}"
        answer = responses[str(status)]
        if "$ref" in answer:
            pointer = answer["$ref"].removeprefix("#")
            answer = self.spec["components"]["responses"][pointer.rsplit("/", 1)[1]]
        return f"{pointer}/content", answer.get("content", {})

    def check(self, path: str, method: str, answer) -> None:
        """The answer's media type is described for its status, and its body fits the schema."""
        pointer, content = self._content(path, method, answer.status_code)
        assert answer.mimetype in content, f"{answer.mimetype} undescribed for {path} {answer.status_code}"
        media = f"{pointer}/{_escape(answer.mimetype)}"
        if "x-line-schema" in content[answer.mimetype]:
            lines = answer.data.splitlines()
            assert lines
            for line in lines:
                self.validate(json.loads(line), f"{media}/x-line-schema")
        elif answer.mimetype.endswith("json"):
            self.validate(answer.get_json(), f"{media}/schema")
        else:
            assert content[answer.mimetype]["schema"] == {"type": "string"} and answer.data

    def validate(self, body: Any, pointer: str) -> None:
        validator = Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=self.registry,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}"[:300] for e in errors[:5])


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    return copy_rules(tmp_path_factory.mktemp("openapi") / "rules")


@pytest.fixture(scope="module")
def app(rules):
    return create_app({"RULES_DIR": str(rules), "ADMIN_TOKEN": "admin-secret"})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def described(app) -> Described:
    return Described(app.test_client().get("/openapi.json").get_json())


def _post(client, body: Any, query: str = f"?as_of={AS_OF}", **headers: str):
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return client.post(SCREEN + query, data=data, headers={"Content-Type": "application/json", **headers})


# --- the document itself ------------------------------------------------------------


def test_the_document_is_valid_openapi_3_1(described):
    validate_openapi(described.spec)
    assert described.spec["openapi"] == "3.1.0"


def test_every_route_of_the_app_is_described_and_nothing_else(app, described):
    served = {
        (re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.endpoint.endswith(".static")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in described.spec["paths"].items() for method in item
                  if method in ("get", "post", "put", "patch", "delete")}
    assert served - documented == set(), "routes missing from schemas/openapi.yaml"
    assert documented - served == set(), "schemas/openapi.yaml describes routes the app does not have"


def test_the_request_body_is_the_payload_schema_itself(described):
    """One source of truth: the bundled schema holds application.schema.json's rules, refs and all."""
    source = json.loads((REPO / "schemas" / "application.schema.json").read_text(encoding="utf-8"))
    body = described.spec["paths"][SCREEN]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Application"}
    bundled = described.spec["components"]["schemas"]
    assert bundled["Application"]["required"] == source["required"]
    assert set(bundled["Application"]["properties"]) == set(source["properties"])
    assert {f"Application.{name}" for name in source["$defs"]} <= set(bundled)
    described.validate(valid_application(), "/components/schemas/Application")
    with pytest.raises(AssertionError, match="favourite_colour"):
        described.validate({**valid_application(), "favourite_colour": 1}, "/components/schemas/Application")


# --- the screening route ----------------------------------------------------------


def _returned() -> dict:
    payload = valid_application()
    payload["documents"] = payload["documents"][:-1]
    return payload


def _refused() -> dict:
    payload = valid_application()
    payload["verifications"]["residence"] = {"status": "left_for_permanent_residence",
                                             "departed_on": "2025-01-10", "country": "DE"}
    return payload


@pytest.mark.parametrize(("name", "payload", "outcome"), [
    ("registering", valid_application(), "register"),
    ("returning", _returned(), "return"),
    ("refusing", _refused(), "refuse"),
])
def test_screenings_are_described(client, described, name, payload, outcome):
    answer = _post(client, payload, **{"Accept-Language": "kk"})
    assert (answer.status_code, answer.get_json()["outcome"]) == (200, outcome), name
    described.check(SCREEN, "post", answer)


def test_a_screening_with_explain_and_a_resubmission_is_described(client, described):
    payload = valid_application()
    payload["previous"] = {"application_id": payload["application_id"], "outcome": "return",
                           "reasons": ["documents_incomplete"]}
    answer = _post(client, payload, query=f"?as_of={AS_OF}&explain=full")
    body = answer.get_json()
    assert answer.status_code == 200 and "explain" in body and "resubmission" in body
    described.check(SCREEN, "post", answer)


@pytest.mark.parametrize(("name", "body", "query", "headers", "status"), [
    ("422 contract breach", {**valid_application(), "language": "de"}, f"?as_of={AS_OF}", {}, 422),
    ("400 malformed JSON", b"{not json", "", {}, 400),
    ("400 bad as_of", valid_application(), "?as_of=2026-02-30", {}, 400),
    ("400 unknown rule set", valid_application(), "?ruleset=1999.9", {}, 400),
    ("409 after a refusal", {**valid_application(), "previous": {
        "application_id": "APP-2026.03-000123", "outcome": "refuse", "reasons": []}}, "", {}, 409),
    ("413 over 1 MiB", b" " * (1024 * 1024 + 1), "", {}, 413),
    ("415 not JSON", b"{}", "", {"Content-Type": "text/plain"}, 415),
])
def test_screening_problems_are_described(client, described, name, body, query, headers, status):
    answer = _post(client, body, query=query, **headers)
    assert (answer.status_code, answer.mimetype) == (status, "application/problem+json"), name
    described.check(SCREEN, "post", answer)


def test_the_api_tokens_401_is_described(rules):
    guarded = create_app({"RULES_DIR": str(rules), "API_TOKEN": "api-secret"}).test_client()
    answer = _post(guarded, valid_application())
    assert answer.status_code == 401
    Described(guarded.get("/openapi.json").get_json()).check(SCREEN, "post", answer)


# --- the batch route --------------------------------------------------------------


def test_batch_answers_are_described_line_by_line(client, described):
    payloads = (valid_application(), _returned(), _refused())
    lines = [json.dumps(payload, ensure_ascii=False).encode() for payload in payloads]
    lines += [b"{not json", json.dumps({**valid_application(), "language": "de"}).encode()]
    answer = client.post(f"{BATCH}?as_of={AS_OF}", data=b"\n".join(lines),
                         headers={"Content-Type": "application/x-ndjson"})
    assert answer.status_code == 200
    described.check(BATCH, "post", answer)


@pytest.mark.parametrize(("body", "query", "content_type", "status"), [
    (b"{}\n", "?as_of=tomorrow", "application/x-ndjson", 400),
    (b"{}\n", "", "application/json", 415),
    (b" " * (MAX_BATCH_BYTES + 1), "", "application/x-ndjson", 413),
])
def test_batch_problems_are_described(client, described, body, query, content_type, status):
    answer = client.post(BATCH + query, data=body, headers={"Content-Type": content_type})
    assert answer.status_code == status
    described.check(BATCH, "post", answer)


# --- rules, operations, documentation ---------------------------------------------


@pytest.mark.parametrize(("path", "url", "status"), [
    ("/healthz", "/healthz", 200),
    ("/readyz", "/readyz", 200),
    ("/metrics", "/metrics", 200),
    ("/openapi.json", "/openapi.json", 200),
    ("/docs", "/docs", 200),
    ("/docs/swagger-initializer.js", "/docs/swagger-initializer.js", 200),
    ("/admin", "/admin", 200),
    ("/api/v1/rulesets", f"/api/v1/rulesets?as_of={AS_OF}", 200),
    ("/api/v1/rulesets", "/api/v1/rulesets?as_of=someday", 400),
    ("/api/v1/rulesets/{version}", "/api/v1/rulesets/2025.1", 200),
    ("/api/v1/rulesets/{version}", "/api/v1/rulesets/1999.9", 404),
])
def test_reading_routes_are_described(client, described, path, url, status):
    answer = client.get(url)
    assert answer.status_code == status
    described.check(path, "get", answer)


# --- administration ---------------------------------------------------------------


def test_admin_routes_refusals_are_described(rules, client, described):
    closed = create_app({"RULES_DIR": str(rules)}).test_client()
    disabled = closed.post("/api/v1/admin/reload")
    wrong = client.post("/api/v1/admin/reload", headers={"Authorization": "Bearer nope"})
    assert (disabled.status_code, wrong.status_code) == (403, 401)
    described.check("/api/v1/admin/reload", "post", disabled)
    described.check("/api/v1/admin/reload", "post", wrong)


def test_admin_reads_and_replays_are_described(client, described):
    fixtures = client.get("/api/v1/admin/fixtures", headers=ADMIN)
    line = json.dumps(valid_application(), ensure_ascii=False)
    impact = client.post("/api/v1/admin/impact", json={"jsonl": line, "as_of": AS_OF}, headers=ADMIN)
    suite = client.post("/api/v1/admin/suite", json={}, headers=ADMIN)
    assert (fixtures.status_code, impact.status_code, suite.status_code) == (200, 200, 200)
    described.check("/api/v1/admin/fixtures", "get", fixtures)
    described.check("/api/v1/admin/impact", "post", impact)
    described.check("/api/v1/admin/suite", "post", suite)


def test_reload_success_and_failure_are_described(client, described, rules):
    reloaded = client.post("/api/v1/admin/reload", headers=ADMIN)
    assert reloaded.status_code == 200
    described.check("/api/v1/admin/reload", "post", reloaded)
    ruleset = rules / "rulesets" / "rules-2025.yaml"
    text = ruleset.read_text(encoding="utf-8")
    try:
        ruleset.write_text(text.replace("ground: employment_mismatch", "ground: no_such_ground"), "utf-8")
        failed = client.post("/api/v1/admin/reload", headers=ADMIN)
    finally:
        ruleset.write_text(text, "utf-8")
    assert failed.status_code == 422
    described.check("/api/v1/admin/reload", "post", failed)


# --- what Swagger UI and a generated client read ------------------------------------


def test_the_screening_request_example_answers_200(client, described):
    """Swagger UI's "Try it out" sends this example: it must screen, not answer 422."""
    media = described.spec["paths"][SCREEN]["post"]["requestBody"]["content"]["application/json"]
    example = media["examples"]["full"]["value"]
    assert example == json.loads((REPO / "fixtures" / "bases" / "full.json").read_text(encoding="utf-8"))
    answer = _post(client, example, query="")
    assert answer.status_code == 200, answer.get_json()
    described.check(SCREEN, "post", answer)


def test_open_routes_ask_for_no_token(described):
    """Routes outside /api/ need no token: ``security: []`` shows them without a lock."""
    for path, item in described.spec["paths"].items():
        for method, operation in item.items():
            if not path.startswith("/api/"):
                assert operation.get("security") == [], f"{method.upper()} {path}"
            elif path.startswith("/api/v1/admin/"):
                assert operation.get("security") == [{"adminToken": []}], f"{method.upper()} {path}"


def test_problem_documents_are_plain_objects_a_generator_accepts(described):
    """No allOf over Problem and no const: openapi-python-client dropped both (issue 13)."""
    schemas = described.spec["components"]["schemas"]
    for name in ("Problem", "ValidationProblem", "ConflictProblem", "ReloadProblem"):
        schema = schemas[name]
        assert schema["type"] == "object" and "allOf" not in schema, name
        assert "const" not in json.dumps(schema), name
    assert schemas["Application"]["title"] == "Application"
