"""``POST /api/v1/screenings``: the portal backend's screening call.

Only transport lives here: content type, JSON parsing, the ``as_of``
parameter, language negotiation and problem answers. The screening itself is
:class:`specreg.screening.Screener`'s.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, json, jsonify, request
from flask.blueprints import BlueprintSetupState

from specreg.explain import EXPLAIN_LEVELS, explain
from specreg.i18n import negotiate
from specreg.jsonbody import BadRequestBody, declared_language, parse_as_of, parse_json
from specreg.observability import record_invalid, record_screening
from specreg.problems import MEDIA_TYPE, invalid_application_body, problem
from specreg.reference import ReferenceData
from specreg.registry import RegistryEntry, RegistryForm, entry_for
from specreg.response import dump_decision
from specreg.resubmission import ResubmissionConflict, screen_resubmission
from specreg.screening import InvalidApplication, NoRuleSetInForce, Screening, UnknownRuleSet
from specreg.web import screener

DEFAULT_LANGUAGE = "ru"

bp = Blueprint("screenings", __name__)


@bp.record_once
def load_registry_form(state: BlueprintSetupState) -> None:
    """Read the registry form at start-up, as the rules are, so a broken file stops it."""
    rules = state.app.config.get("RULES_DIR")
    state.app.extensions["specreg.registry_form"] = RegistryForm.load(Path(rules) if rules else None)


@bp.post("/api/v1/screenings")
def screen() -> Response:
    accept, args = request.headers.get("Accept-Language"), request.args
    language = negotiate(accept, DEFAULT_LANGUAGE)
    if not is_json(request.mimetype, request.mimetype_params):
        return problem("unsupported-media-type", language)
    try:
        payload = parse_json(request.get_data(cache=False))
    except BadRequestBody as error:
        return problem(error.kind, language, **error.params)
    language = negotiate(accept, declared_language(payload))
    as_of = args.get("as_of")
    day = parse_as_of(as_of) if as_of is not None else None
    if (as_of is not None and day is None) or len(args.getlist("as_of")) > 1:
        return problem("bad-as-of", language)  # a repeated as_of is ambiguous, not "the first"
    if args.get("explain", "full") not in EXPLAIN_LEVELS:
        return problem("bad-explain", language)
    current = screener()  # once: a reload between two reads would mix rule directories
    try:
        screening, resubmission = screen_resubmission(current, payload, day, args.get("ruleset"))
    except InvalidApplication as invalid:
        record_invalid(invalid)
        return invalid_application(invalid, language)
    except NoRuleSetInForce as missing:
        return problem("no-ruleset-in-force", language, as_of=missing.as_of.isoformat())
    except UnknownRuleSet as unknown:
        return problem("unknown-ruleset", language, known=", ".join(unknown.known))
    except ResubmissionConflict as conflict:
        return problem(conflict.kind, language)
    record_screening(screening)
    entry = registry_entry(screening, current.reference)
    body = dump_decision(screening.decision, language, entry, resubmission)
    if "explain" in args:
        body["explain"] = explain(screening)
    response = jsonify(body)
    response.headers["Content-Language"] = language
    return response


def registry_entry(screening: Screening, reference: ReferenceData) -> RegistryEntry | None:
    """The entry a registering screening would add (the appendix form, p.3)."""
    form = current_app.extensions["specreg.registry_form"]
    return entry_for(screening, form, reference)


def is_json(mimetype: str, params: dict[str, str]) -> bool:
    """``application/json`` (or a ``+json`` type), in UTF-8 if a charset is named."""
    charset = params.get("charset", "utf-8").lower()
    is_json_type = mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )
    return is_json_type and charset in ("utf-8", "utf8")


def invalid_application(invalid: InvalidApplication, language: str) -> Response:
    body = invalid_application_body(invalid.errors, language, invalid.unlisted)
    return Response(json.dumps(body, ensure_ascii=False), status=422, mimetype=MEDIA_TYPE)
