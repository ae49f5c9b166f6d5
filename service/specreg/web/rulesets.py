"""``GET /api/v1/rulesets`` and ``GET /api/v1/rulesets/<version>``: the rules, public as legislation is.

The list says which version is in force on a day (``?as_of=``, default today
in Almaty); one version shows every ground with its citation and text, and
every rule and warning with its ground, condition (parameters filled in),
locate, evidence and messages in kk, ru and en. An unknown version answers
404 ``unknown-ruleset``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from specreg.calendar import today_in_almaty
from specreg.i18n import DEFAULT_LANGUAGE, READER_LANGUAGES, negotiate
from specreg.jsonbody import parse_as_of
from specreg.ruleset import Ground, Rule, RuleSet
from specreg.screening import NoRuleSetInForce, UnknownRuleSet
from specreg.web import screener
from specreg.web.problems import problem

bp = Blueprint("rulesets", __name__)


@bp.get("/api/v1/rulesets")
def list_rulesets() -> Response:
    given = request.args.get("as_of")
    day = parse_as_of(given) if given is not None else today_in_almaty()
    if day is None:
        return problem("bad-as-of", _language())
    current = screener()
    try:
        in_force: str | None = current.ruleset_for(day).version
    except NoRuleSetInForce:
        in_force = None
    rulesets = [_summary(ruleset) | {"in_force": ruleset.version == in_force} for ruleset in current.rulesets]
    return jsonify(as_of=day.isoformat(), in_force=in_force, rulesets=rulesets)


@bp.get("/api/v1/rulesets/<version>")
def show_ruleset(version: str) -> Response:
    try:
        ruleset = screener().ruleset_named(version)
    except UnknownRuleSet as unknown:
        return problem("unknown-ruleset", _language(), status=404, known=", ".join(unknown.known))
    rules = [r for r in ruleset.rules.values() if not r.is_warning]
    warnings = [r for r in ruleset.rules.values() if r.is_warning]
    return jsonify(
        _summary(ruleset)
        | {
            "act": ruleset.act.as_json(),
            "effective_from_basis": ruleset.effective_from_basis,
            "parameters": ruleset.parameters,
            "grounds": [_ground(ground, ruleset) for ground in ruleset.grounds.values()],
            "rules": [_rule(rule) | _cites(ruleset.grounds[rule.code], ruleset) for rule in rules],
            "warnings": [_rule(rule) | {"code": rule.code} for rule in warnings],
        }
    )


def _summary(ruleset: RuleSet) -> dict[str, Any]:
    until = ruleset.effective_until
    return {
        "id": ruleset.id,
        "version": ruleset.version,
        "effective_from": ruleset.effective_from.isoformat(),
        "effective_until": until.isoformat() if until else None,
        "rules": sum(1 for rule in ruleset.rules.values() if not rule.is_warning),
        "href": f"/api/v1/rulesets/{ruleset.version}",
    }


def _basis(ground: Ground, ruleset: RuleSet) -> dict[str, Any]:
    """As in a screening's reason, with the citation in kk and ru and the quote's marks beside its text."""
    act = ruleset.act
    quote = ground.text.as_json()
    return {
        "act": act.citation.ru, "paragraph": ground.paragraph,
        "citation": {lang: act.cite(ground, lang) for lang in READER_LANGUAGES},
        "point": ground.point, "subpoint": ground.subpoint, "indent": ground.indent,
        "text": ground.text.texts, "text_status": quote["status"], "where": quote["where"],
        **({"slips": quote["slips"]} if "slips" in quote else {}),
    }


def _ground(ground: Ground, ruleset: RuleSet) -> dict[str, Any]:
    return {"code": ground.code, "outcome": ground.outcome, "basis": _basis(ground, ruleset)}


def _cites(ground: Ground, ruleset: RuleSet) -> dict[str, Any]:
    return {"ground": ground.code, "outcome": ground.outcome, "basis": _basis(ground, ruleset)}


def _rule(rule: Rule) -> dict[str, Any]:
    condition = {key: value for key, value in rule.condition.items() if key != "pri"}
    return {
        "id": rule.id, "when": condition, "locate": list(rule.locate), "evidence": rule.evidence,
        "message": rule.message,
    }


def _language() -> str:
    return negotiate(request.headers.get("Accept-Language"), DEFAULT_LANGUAGE)
