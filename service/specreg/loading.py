"""Load a validated payload into :mod:`specreg.model` objects with marshmallow.

The payload has passed the JSON Schema and the cross-field checks already, so
the schema and its fields only convert: dates to ``date``, ``received_at`` to an aware
``datetime``, arrays to tuples, an absent or null optional key to ``None``
(an absent ``applicant.consent_to_publish`` to ``False``), a JSON Schema
"integer" such as ``60.0`` to ``60``. They ignore the keys no stage reads and
decide nothing. Contacts, the address and education documents' series are
carried for the registry entry (:mod:`specreg.registry`); no rule reads them.

This runs on every screening, so it is built for cost. The application is a
``Schema``; every object in it is a :class:`_Record` field and every scalar a
:class:`_Value` (custom fields: marshmallow's documented extension point). They
leave out what ``Field.deserialize`` and ``Schema.load`` do generically
(required and null checks, validators, an error store, hooks, ``partial`` and
``unknown`` handling, a closure per key): the JSON Schema has settled all of
it. Loading the reference application cost 0.46 ms of CPU with marshmallow's
own fields and one schema an object, 0.26 ms with fields that only convert,
and about 0.1 ms with one ``Schema.load`` an application. Each field is built
once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, missing, post_load

from specreg import model


class _Value(fields.Field):
    """A key of a validated payload: absent -> ``load_default``, null -> ``None``, else ``convert``-ed."""

    def __init__(self, convert: Callable[[Any], Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.convert = convert

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        if value is missing:
            return self.load_default
        if value is None or self.convert is None:
            return value
        return self.convert(value)


class _Record(fields.Field):
    """An object of a validated payload, each key converted by its own field, built into its model.

    ``Schema.load`` costs about as much in its own machinery (error store, hooks,
    ``partial`` and ``unknown`` handling, a closure per key) as a flat object of three
    to seven keys costs to convert, and the JSON Schema has settled all of that
    machinery's concerns already. So such an object is a field (marshmallow's extension
    point for a custom type) that hands each of its keys to that key's own field (a
    :class:`_Value`, or another record) and calls ``build`` with the results as keyword
    arguments: the model class, or a function where the model is not the keys as they
    are (education, qualification, the specialist). ``many`` loads an array of them as
    a tuple. Only the application itself is a :class:`~marshmallow.Schema`.
    """

    def __init__(self, build: Callable[..., Any], keys: dict[str, fields.Field], many: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.build, self.keys, self.many = build, tuple(keys.items()), many

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        if value is missing:
            return self.load_default
        if value is None:
            return None
        if self.many:
            return tuple(self._build(entry) for entry in value)
        return self._build(value)

    def _build(self, entry: dict[str, Any]) -> Any:
        return self.build(**{name: key.deserialize(entry.get(name, missing)) for name, key in self.keys})


def _text() -> _Value:
    return _Value()


def _optional() -> _Value:
    return _Value(load_default=None)


def _day() -> _Value:
    return _Value(date.fromisoformat)


def _optional_day() -> _Value:
    return _Value(date.fromisoformat, load_default=None)


def _record(build: Callable[..., Any], many: bool = False, load_default: Any = missing,
            **keys: fields.Field) -> _Record:
    return _Record(build, keys, many=many, load_default=load_default)


def _optional_record(build: Callable[..., Any], many: bool = False, **keys: fields.Field) -> _Record:
    return _record(build, many=many, load_default=None, **keys)


def _education(document: dict[str, Any], **keys: Any) -> model.Education:
    """The document's keys are flattened into the education entry."""
    return model.Education(
        **keys, document_kind=document["kind"], document_number=document["number"],
        document_issued_on=document["issued_on"], document_series=document["series"],
    )


def _qualification(commission: dict[str, Any], **keys: Any) -> model.Qualification:
    return model.Qualification(**keys, authority=commission["authority"])


def _specialist(**keys: Any) -> model.Specialist:
    return model.Specialist(**keys, region=keys["address"].region)


_SPECIALIST = _record(
    _specialist,
    iin=_text(), last_name=_text(), first_name=_text(), patronymic=_optional(), birth_date=_day(),
    contacts=_record(model.Contacts, mobile_phone=_optional(), email=_optional()),
    address=_record(model.Address, region=_text(), locality=_text(), registration_address=_text()),
    profession=_text(),
    experience_months=_Value(int),  # "integer" admits 60.0: it loads as 60
    education=_record(_education, many=True, level=_text(), institution=_text(), specialty=_text(),
                      started_on=_day(), finished_on=_optional_day(),
                      document=_record(dict, kind=_text(), series=_optional(), number=_text(),
                                       issued_on=_day())),
    employment=_record(model.Employment, many=True, organization=_text(), bin=_text(), position=_text(),
                       staff_position=_text(), started_on=_day(), ended_on=_optional_day()),
    qualification=_optional_record(_qualification, category=_text(), assigned_on=_day(), commission=_text(),
                                   order_number=_optional()),
    consent_to_publish=_Value(),  # a boolean, required by the schema: taken as sent
)


class ApplicationSchema(Schema):
    """The application: the one ``Schema.load`` of a screening; its keys are fields that build."""

    class Meta:
        unknown = EXCLUDE  # keys no stage reads are left behind, not rejected (the JSON Schema rejects)

    application_id = _text()
    received_at = _Value(datetime.fromisoformat)  # the JSON Schema's date-time carries an offset
    language = _text()
    applicant = _record(model.Applicant, kind=_text(), name=_text(), bin=_text(),
                        license=_record(model.License, number=_text(), issued_on=_day(),
                                        valid_until=_optional_day()),
                        consent_to_publish=_Value(load_default=False))
    specialist = _SPECIALIST
    documents = _record(model.Document, many=True, kind=_text(), number=_text(), issued_on=_day(),
                        valid_until=_optional_day())
    verifications = _record(
        model.Verifications,
        court_decisions=_optional_record(model.CourtDecision, many=True, kind=_text(), in_force_on=_day(),
                                         ends_on=_optional_day(), specialty=_optional(), act=_optional()),
        residence=_optional_record(model.Residence, status=_text(), departed_on=_optional_day(),
                                   country=_optional()),
        qualification_record=_optional_record(model.QualificationRecord, status=_text(), category=_optional(),
                                              assigned_on=_optional_day()),
    )
    previous = _optional_record(model.PreviousScreening, application_id=_text(), outcome=_text(),
                                reasons=_Value(tuple))

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> model.Application:
        return model.Application(**data)


_APPLICATION = ApplicationSchema()


def load_application(payload: dict[str, Any]) -> model.Application:
    """Typed application from a payload that passed :class:`PayloadValidator`."""
    return _APPLICATION.load(payload)
