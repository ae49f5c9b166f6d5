"""The screening answer (contract section 6), dumped with marshmallow.

A :class:`~specreg.decision.Decision` carries its messages in every language;
each schema instance speaks one, so one instance per language is built once.
The fields are the cheap kinds where marshmallow's generic ones cost more than
the dump itself (an answer with eight reasons dumps about 90 fields): plain
attribute access, lists of strings copied whole.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from specreg.decision import Decision, Reason, ScreeningWarning
from specreg.i18n import LANGUAGES
from specreg.registry import RegistryEntry
from specreg.resubmission import Resubmission
from specreg.ruleset import Ground, RuleSet


class _Dataclass(Schema):
    """A schema of dataclass objects: a field's value is the attribute of its name.

    marshmallow's default accessor also tries ``obj[name]`` and dotted paths, on every field.
    """

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        return getattr(obj, attr, default)


class _Strings(fields.List):
    """Strings already (rule ids, JSON pointers): the list is copied, not converted item by item."""

    def __init__(self) -> None:
        super().__init__(fields.String())

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> list[str] | None:
        return None if value is None else list(value)


class _InLanguage(_Dataclass):
    """A schema that renders {kk, ru, en} messages in one language."""

    def __init__(self, language: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.language = language

    def localised(self, item: Reason | ScreeningWarning) -> str:
        return item.message[self.language]


class WarningSchema(_InLanguage):
    code = fields.String()
    message = fields.Method("localised")
    pointers = _Strings()


class ReasonSchema(_InLanguage):
    """The reasons of one rule set's answers in one language (see :func:`_reasons_schema`)."""

    code = fields.Function(lambda reason: reason.ground.code)
    outcome = fields.Function(lambda reason: reason.ground.outcome)
    rule_id = fields.Function(lambda reason: reason.rule_ids[0])
    rule_ids = _Strings()
    basis = fields.Method("dump_basis")
    message = fields.Method("localised")
    pointers = _Strings()
    evidence = fields.Dict()

    def __init__(self, language: str, ruleset: RuleSet, **kwargs: Any) -> None:
        super().__init__(language, **kwargs)
        self.bases = {code: _basis(ruleset, ground, language) for code, ground in ruleset.grounds.items()}

    def dump_basis(self, reason: Reason) -> dict[str, Any]:
        return dict(self.bases[reason.ground.code])


def _basis(ruleset: RuleSet, ground: Ground, language: str) -> dict[str, Any]:
    """A ground's basis in an answer: the act, the place in p.9 as ``language`` cites it, its words."""
    act = ruleset.act
    basis = {
        "act": act.citation.ru,
        "act_title": act.title.texts,
        "citation": act.cite(ground, language),
        "paragraph": ground.paragraph,
        "point": ground.point,
        "subpoint": ground.subpoint,
        "indent": ground.indent,
        "text": ground.text.texts,
        "text_status": ground.text.status,
    }
    if ground.text.slips:
        basis["slips"] = ground.text.as_json()["slips"]
    return basis


def _reasons_schema(ruleset: RuleSet, language: str) -> ReasonSchema:
    """The rule set's reason schema in ``language``: its bases are the same in every answer, so they
    are built with it, once, and kept with the rule set (a reload brings new ones)."""
    return ruleset.prepare((ReasonSchema, language), lambda _: ReasonSchema(language, ruleset, many=True))


class DecisionSchema(_InLanguage):
    application_id = fields.String()
    outcome = fields.String()
    as_of = fields.Date()
    decision_due = fields.Date()
    reasons = fields.Method("dump_reasons")
    warnings = fields.Method("dump_warnings")
    ruleset = fields.Method("dump_ruleset")
    language = fields.Method("dump_language")

    def __init__(self, language: str, **kwargs: Any) -> None:
        """The warnings' schema is built once too: building one costs more than a dump."""
        super().__init__(language, **kwargs)
        self._warnings = WarningSchema(language, many=True)

    def dump_reasons(self, decision: Decision) -> list[dict[str, Any]]:
        return _reasons_schema(decision.ruleset, self.language).dump(decision.reasons)

    def dump_warnings(self, decision: Decision) -> list[dict[str, Any]]:
        return self._warnings.dump(decision.warnings)

    def dump_ruleset(self, decision: Decision) -> dict[str, str]:
        ruleset = decision.ruleset
        return {
            "id": ruleset.id,
            "version": ruleset.version,
            "effective_from": ruleset.effective_from.isoformat(),
        }

    def dump_language(self, _: Decision) -> str:
        return self.language


class RegistryColumnSchema(_Dataclass):
    """A column of the registry form: labels and texts in kk and ru (p.4), whatever the answer's language."""

    number = fields.Integer()
    key = fields.String()
    label = fields.Dict()
    value = fields.Raw()
    text = fields.Dict()


class RegistryEntrySchema(_Dataclass):
    columns = fields.Nested(RegistryColumnSchema, many=True)  # one dump of the ten, not ten dumps


class ResubmissionSchema(_Dataclass):
    resolved = _Strings()
    outstanding = _Strings()
    new = _Strings()


_DECISION_SCHEMAS = {language: DecisionSchema(language) for language in LANGUAGES}
_REGISTRY_ENTRY, _RESUBMISSION = RegistryEntrySchema(), ResubmissionSchema()


def dump_decision(
    decision: Decision, language: str, registry_entry: RegistryEntry | None = None,
    resubmission: Resubmission | None = None,
) -> dict[str, Any]:
    """The JSON body of a 200 answer, messages in ``language``.

    ``registry_entry`` (outcome register) and ``resubmission`` (p.10) are added when given.
    """
    body = _DECISION_SCHEMAS[language].dump(decision)
    if registry_entry is not None:
        body["registry_entry"] = _REGISTRY_ENTRY.dump(registry_entry)
    if resubmission is not None:
        body["resubmission"] = _RESUBMISSION.dump(resubmission)
    return body
