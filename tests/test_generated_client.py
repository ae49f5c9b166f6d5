"""The portal's view of the contract: a client generated from ``/openapi.json`` works.

openapi-python-client (a test extra) generates a client from the document a
real gunicorn serves, in a throwaway directory, with no network. The test
imports it and makes real HTTP calls through it: a 200 that parses into
``Screening``, a 409 into ``ConflictProblem`` and a 422 into
``ValidationProblem`` with every input error. The generator must drop no
schema and no response; the one warning allowed is the batch route, whose
NDJSON body it does not support (a client posts that one as plain bytes).
"""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gunicorn_process import REPO, Gunicorn

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "specreg_client"
AS_OF = datetime.date(2026, 3, 20)
ALLOWED_WARNING = "POST /api/v1/screenings:batch within screening. Endpoint will not be generated."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Gunicorn(tmp_path_factory.mktemp("client"), WORKERS="1") as running:
        yield running


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """The generated package, imported; and what the generator said."""
    work = tmp_path_factory.mktemp("generated")
    status, _, raw = server.get("/openapi.json")
    assert status == 200
    (work / "openapi.json").write_bytes(raw)
    (work / "config.yaml").write_text("post_hooks: []\n", encoding="utf-8")  # no formatter run
    run = subprocess.run(
        [str(GENERATOR), "generate", "--path", "openapi.json", "--output-path", PACKAGE,
         "--meta", "none", "--config", "config.yaml"],
        cwd=work, capture_output=True, text=True, timeout=300, check=False,
    )
    said = run.stdout + run.stderr
    assert run.returncode == 0, said
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE), said
    finally:
        sys.path.remove(str(work))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _call(generated, server, payload):
    application = importlib.import_module(f"{PACKAGE}.models.application").Application
    return _send(generated, server, application.from_dict(payload))


def _send(generated, server, application):
    """POST /api/v1/screenings through the generated client, over real HTTP."""
    package, _ = generated
    screen = importlib.import_module(f"{PACKAGE}.api.screening.screen")
    client = package.Client(base_url=server.url, raise_on_unexpected_status=True)
    return screen.sync_detailed(client=client, body=application, as_of=AS_OF, accept_language="kk")


def _full() -> dict:
    return json.loads((REPO / "fixtures" / "bases" / "full.json").read_text(encoding="utf-8"))


def test_the_generator_drops_no_schema_and_no_response(generated):
    _, said = generated
    assert "Unable to process schema" not in said, said
    assert "Cannot parse response" not in said, said
    warnings = [line for line in said.splitlines() if line.startswith("WARNING")]
    assert all(ALLOWED_WARNING in line for line in warnings), warnings


def test_models_have_short_names(generated):
    models = importlib.import_module(f"{PACKAGE}.models")
    for name in ("Application", "Screening", "Problem", "ValidationProblem", "ConflictProblem",
                 "ReloadProblem", "InputError", "Reason"):
        assert hasattr(models, name), name
    assert not [name for name in dir(models) if name[0].isupper() and len(name) > 50]


def test_a_200_parses_into_a_screening(generated, server):
    answer = _call(generated, server, _full())
    screening = answer.parsed
    assert answer.status_code == 200
    assert type(screening).__name__ == "Screening"
    assert screening.outcome.value == "register"
    assert screening.decision_due == datetime.date(2026, 3, 26)
    assert screening.language.value == "kk"


def test_a_409_parses_into_a_conflict_problem(generated, server):
    payload = _full()
    payload["previous"] = {"application_id": payload["application_id"], "outcome": "refuse",
                           "reasons": ["social_work_ban"]}
    answer = _call(generated, server, payload)
    problem = answer.parsed
    assert answer.status_code == 409
    assert type(problem).__name__ == "ConflictProblem"
    assert problem.type_.value == "urn:specreg:problem:resubmission-after-refusal"
    assert problem.status == 409 and problem.title


def test_a_422_parses_into_a_validation_problem_with_every_error(generated, server):
    application = importlib.import_module(f"{PACKAGE}.models.application").Application.from_dict(_full())
    application.specialist.iin = "123"  # a portal bug: the typed model lets any string through
    application.application_id = "APP 1"
    answer = _send(generated, server, application)
    problem = answer.parsed
    assert answer.status_code == 422
    assert type(problem).__name__ == "ValidationProblem"
    assert problem.type_.value == "urn:specreg:problem:invalid-application"
    assert problem.status == 422
    assert {error.pointer for error in problem.errors} == {"/specialist/iin", "/application_id"}
    assert all(error.code and error.message for error in problem.errors)
