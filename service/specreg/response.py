"""The screening answer (contract section 6), dumped with marshmallow.

A :class:`~specreg.decision.Decision` carries its messages in every language;
each schema instance speaks one, so one instance per language is built once.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from specreg.decision import Decision, Reason, ScreeningWarning
from specreg.reference import LANGUAGES


class _InLanguage(Schema):
    """A schema that renders {kk, ru, en} messages in one language."""

    def __init__(self, language: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.language = language

    def localised(self, item: Reason | ScreeningWarning) -> str:
        return item.message[self.language]


class WarningSchema(_InLanguage):
    code = fields.String()
    message = fields.Method("localised")
    pointers = fields.List(fields.String())


class ReasonSchema(_InLanguage):
    code = fields.Function(lambda reason: reason.ground.code)
    outcome = fields.Function(lambda reason: reason.ground.outcome)
    rule_id = fields.Function(lambda reason: reason.rule_ids[0])
    rule_ids = fields.List(fields.String())
    basis = fields.Method("dump_basis")
    message = fields.Method("localised")
    pointers = fields.List(fields.String())
    evidence = fields.Dict()

    def __init__(self, language: str, act: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(language, **kwargs)
        self.act = act

    def dump_basis(self, reason: Reason) -> dict[str, Any]:
        ground = reason.ground
        return {
            "act": self.act["citation"],
            "act_title": self.act["title"],
            "paragraph": ground.paragraph,
            "point": ground.point,
            "subpoint": ground.subpoint,
            "indent": ground.indent,
            "text": ground.text,
        }


class DecisionSchema(_InLanguage):
    application_id = fields.String()
    outcome = fields.String()
    as_of = fields.Date()
    decision_due = fields.Date()
    reasons = fields.Method("dump_reasons")
    warnings = fields.Method("dump_warnings")
    ruleset = fields.Method("dump_ruleset")
    language = fields.Method("dump_language")

    def dump_reasons(self, decision: Decision) -> list[dict[str, Any]]:
        schema = ReasonSchema(self.language, decision.ruleset.act, many=True)
        return schema.dump(decision.reasons)

    def dump_warnings(self, decision: Decision) -> list[dict[str, Any]]:
        return WarningSchema(self.language, many=True).dump(decision.warnings)

    def dump_ruleset(self, decision: Decision) -> dict[str, str]:
        ruleset = decision.ruleset
        return {
            "id": ruleset.id,
            "version": ruleset.version,
            "effective_from": ruleset.effective_from.isoformat(),
        }

    def dump_language(self, _: Decision) -> str:
        return self.language


_DECISION_SCHEMAS = {language: DecisionSchema(language) for language in LANGUAGES}


def dump_decision(decision: Decision, language: str) -> dict[str, Any]:
    """The JSON body of a 200 answer, messages in ``language``."""
    return _DECISION_SCHEMAS[language].dump(decision)
