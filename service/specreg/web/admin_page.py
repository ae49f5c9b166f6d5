"""The administrators' page at ``/admin`` and the JSON it reads.

The page (a Jinja template, one script, one style sheet: no build step)
screens an application or a fixture case and shows the explain trace, runs
the fixture suite with its coverage, and replays the fixtures or a JSONL
file under two rule set versions of the directory in force. Its interface
text, in Kazakh and Russian, comes from ``rules/messages/admin_page.yaml``.
The page itself holds no data and is open; the routes under
``/api/v1/admin/`` that it calls need the admin token (:mod:`specreg.web.access`).

* ``GET /api/v1/admin/fixtures``: every fixture case with its payload;
* ``POST /api/v1/admin/suite`` ``{"ruleset": VERSION?}``: the suite's table
  and coverage, run on a bare screening app (:mod:`specreg.workbench.runner`),
  so it is neither logged nor counted as real decisions;
* ``POST /api/v1/admin/impact`` ``{"base": V, "candidate": V, "jsonl": TEXT?,
  "as_of": DAY?}``: an impact replay between two versions, of the fixtures or
  of the JSONL text given.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from specreg.calendar import today_in_almaty
from specreg.i18n import DEFAULT_LANGUAGE, READER_LANGUAGES, negotiate
from specreg.jsonbody import BadRequestBody, JsonFault, parse_as_of, parse_json
from specreg.screening import UnknownRuleSet
from specreg.web import screener
from specreg.web.problems import problem
from specreg.workbench.cases import CaseFileError, collect_cases
from specreg.workbench.coverage import measure
from specreg.workbench.impact_report import impact_summary
from specreg.workbench.replay import Side, replay
from specreg.workbench.runner import CaseResult, run_cases
from specreg.workbench.sources import fixture_items, jsonl_items

bp = Blueprint("admin_page", __name__, template_folder="templates", static_folder="static",
               static_url_path="/admin/static")


@bp.get("/admin")
def page() -> str:
    asked = request.args.get("lang")
    accepted = negotiate(request.headers.get("Accept-Language"))
    language = asked if asked in READER_LANGUAGES else accepted
    language = language if language in READER_LANGUAGES else DEFAULT_LANGUAGE
    texts = screener().directory.admin_page  # the rule directory in force: a reload changes the page too
    return render_template("admin.html", texts=texts, language=language,
                           t=lambda key: texts[key][language])


@bp.get("/api/v1/admin/fixtures")
def fixtures() -> Response:
    try:
        cases = collect_cases([fixtures_dir()])
    except CaseFileError:
        return problem("fixtures-unreadable", _language())
    return jsonify(fixtures=[
        {"name": case.name, "file": case.source.name, "description": case.description,
         "as_of": case.as_of, "accept_language": case.accept_language, "expect": case.expect,
         "payload": case.payload}
        for case in cases
    ])


@bp.post("/api/v1/admin/suite")
def suite() -> Response:
    body = _body()
    if isinstance(body, Response):
        return body
    current = screener()
    version = body.get("ruleset") or None
    try:
        rulesets = [current.ruleset_named(version)] if version else list(current.rulesets)
        cases = collect_cases([fixtures_dir()])
    except UnknownRuleSet as unknown:
        return problem("unknown-ruleset", _language(), known=", ".join(unknown.known))
    except CaseFileError:
        return problem("fixtures-unreadable", _language())
    results = list(run_cases(current, cases, version))
    failed = sum(1 for result in results if not result.passed)
    return jsonify(total=len(results), passed=len(results) - failed, failed=failed,
                   results=[_result(result) for result in results],
                   coverage=measure(results, rulesets).as_json())  # a version's coverage counts its rules


@bp.post("/api/v1/admin/impact")
def impact() -> Response:
    body = _body()
    if isinstance(body, Response):
        return body
    current = screener()
    day = parse_as_of(str(body["as_of"])) if body.get("as_of") else today_in_almaty()
    if day is None:
        return problem("bad-as-of", _language())
    try:
        sides = [Side(current, _version(current, body.get(key))) for key in ("base", "candidate")]
        jsonl = body.get("jsonl")
        items = (jsonl_items(io.StringIO(jsonl), "upload.jsonl") if isinstance(jsonl, str)
                 else fixture_items(fixtures_dir()))
        with replay(items, *sides, day) as done:
            labels = [side.version or "by date" for side in sides]
            return jsonify(summary=impact_summary(done, *labels), changes=list(done.changes()))
    except UnknownRuleSet as unknown:
        return problem("unknown-ruleset", _language(), known=", ".join(unknown.known))
    except CaseFileError:
        return problem("fixtures-unreadable", _language())


def _version(current: Any, version: Any) -> str | None:
    """A version the directory holds (UnknownRuleSet otherwise), or None: by date."""
    if not version:
        return None
    return current.ruleset_named(str(version)).version


def _body() -> dict[str, Any] | Response:
    """The JSON object of an admin request (an empty body is an empty object)."""
    raw = request.get_data(cache=False)
    try:
        body = parse_json(raw) if raw.strip() else {}
    except BadRequestBody as error:
        return problem(error.kind, _language(), **error.params)
    return body if isinstance(body, dict) else problem("malformed-json", _language(),
                                                       reason=JsonFault("not_an_object"))


def _result(result: CaseResult) -> dict[str, Any]:
    expect = result.case.expect
    return {
        "name": result.case.name, "file": result.case.source.name, "passed": result.passed,
        "problems": list(result.problems), "outcome": result.outcome, "codes": result.codes,
        "differences": [{"key": d.key, "code": d.code, "expected": d.expected, "got": d.got}
                        for d in result.problems],
        "messages": result.messages,
        "expected": {"outcome": expect.get("outcome", expect.get("status", 200)),
                     "codes": expect.get("codes")},
    }


def _language() -> str:
    return negotiate(request.headers.get("Accept-Language"))


def fixtures_dir() -> Path:
    """The fixture directory of the app's configuration (``FIXTURES_DIR``)."""
    return Path(current_app.config["FIXTURES_DIR"])
