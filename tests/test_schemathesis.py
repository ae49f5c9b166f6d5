"""Schemathesis, an independent fuzzer, against the real app over its own ``/openapi.json``.

Every operation the spec documents is called with requests generated from the
spec, valid ones and deliberately invalid ones (Schemathesis' positive and
negative modes), in-process through WSGI, and every Schemathesis check runs:
no 5xx, status codes, content types, headers and bodies as documented,
invalid input rejected, valid input accepted, a missing credential refused
with 401. The run is bounded (a few examples per operation, no shrinking);
``make fuzz`` (``HYPOTHESIS_PROFILE=long``) runs many more.

Two adjustments, each narrower than switching a check off:

* An application can conform to the JSON Schema and still break the
  contract where no JSON Schema can say so (check digits, the IIN's birth
  date, Kazakh mobile ranges, date order, the contact and channel rules), or
  be asked about a day before any rule set was in force. For the screening
  operations, Schemathesis' "valid data accepted" check is replaced by one
  that accepts a 422 only with those codes and a 400 only of that kind, and
  a well-formed ``as_of`` is moved to a day a rule set is in force on (else
  nearly every request stops at that 400 and the body is never read).
* The batch body is documented as a string (JSON lines); a "non-string" body
  generated to be invalid goes on the wire as text, and so as valid lines:
  Schemathesis' "invalid data rejected" check cannot apply to it.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from specreg.web.app import create_app

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
EXAMPLES = 300 if LONG else 5
SCREENING_PATHS = ("/api/v1/screenings", "/api/v1/screenings:batch")
# Input-error codes for what a JSON Schema cannot express (rules/messages/input_errors.yaml).
BEYOND_THE_SCHEMA = {
    "check_digit", "iin_birth_date", "not_mobile", "format", "invalid_date", "date_order",
    "channel_field_required", "contact_required", "deadline_out_of_range", "pattern",
    "previous_application_mismatch",
}
# 400s that depend on the rule sets on file, not on the request's form.
ANSWERABLE_BY_DATA_ONLY = {"urn:specreg:problem:no-ruleset-in-force", "urn:specreg:problem:unknown-ruleset"}
CALLS: Counter = Counter()

# Loaded when the module is collected: schemathesis' lazy fixture loader reads a pytest
# attribute that pytest 9 removed (``Function._nodeid``). With an admin token configured, a
# request without one is refused 401 as the spec says (no token at all disables the routes: 403).
# The batch body is documented as a string of JSON lines: send it as the text it is.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
schema = schemathesis.openapi.from_wsgi(
    "/openapi.json", create_app({"ADMIN_TOKEN": "schemathesis-does-not-know-this-token"}))
schema.config.generation.update(max_examples=EXAMPLES, no_shrink=not LONG)
schema.config.phases.coverage.generate_duplicate_query_parameters = True  # as_of=a&as_of=b: 400


def valid_screening_accepted(ctx, response, case) -> bool | None:
    """Positive data: 2xx, or a refusal the JSON Schema could not have predicted."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code < 400:
        return None
    body = response.json() if response.status_code in (400, 422) else {}
    if response.status_code == 422:
        codes = {error["code"] for error in body["errors"]}
        assert codes <= BEYOND_THE_SCHEMA, f"valid data rejected with {sorted(codes - BEYOND_THE_SCHEMA)}"
    elif response.status_code == 400:
        assert body["type"] in ANSWERABLE_BY_DATA_ONLY, body["type"]
    else:
        assert response.status_code in (401, 409, 413), f"valid data answered {response.status_code}"
    return None


def in_force(case) -> None:
    """Move a well-formed ``as_of`` into 2025-2027 and drop ``ruleset``: the body gets screened.

    Most generated days precede every rule set, and a random ``ruleset`` names none: both answer
    400 before the body is read, which would leave the body's valid and invalid variants untried.
    A malformed ``as_of`` (the negative cases about it) is left as it is; month and day are kept.
    """
    query = case.query or {}
    day = query.get("as_of")
    if isinstance(day, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day):
        moved = f"{2025 + int(day[:4]) % 3}{day[4:]}".replace("-02-29", "-02-28")
        query["as_of"] = moved if moved >= "2025-01-25" else "2026-03-20"
    query.pop("ruleset", None)


@pytest.fixture(scope="module", autouse=True)
def request_count():
    yield
    print(f"\nschemathesis: {sum(CALLS.values())} generated requests: {dict(CALLS)}")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not LONG,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_spec(case):
    excluded, additional = [], []
    if case.operation.path in SCREENING_PATHS:
        excluded, additional = [positive_data_acceptance], [valid_screening_accepted]
        in_force(case)
    if case.operation.path == "/api/v1/screenings:batch":
        excluded.append(negative_data_rejection)  # any "non-string" body is sent as text: valid lines
    response = case.call_and_validate(excluded_checks=excluded, additional_checks=additional)
    CALLS[f"{case.method} {case.operation.path} {response.status_code}"] += 1
