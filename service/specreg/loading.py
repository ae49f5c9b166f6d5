"""Load a validated payload into :mod:`specreg.model` objects with marshmallow.

The payload has passed the JSON Schema and the cross-field checks already, so
these schemas only convert: dates to ``date``, ``received_at`` to an aware
``datetime``, arrays to tuples, an absent or null optional key to ``None``
(an absent ``applicant.consent_to_publish`` to ``False``), a JSON Schema
"integer" such as ``60.0`` to ``60``. They ignore the keys no stage reads and
decide nothing. Contacts, the address and education documents' series are
carried for the registry entry (:mod:`specreg.registry`); no rule reads them.

Each schema is built once (module level); loading is then the only
marshmallow work a screening does (bench/README.md has its cost).
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, post_load

from specreg import model


class _Loader(Schema):
    """Keys no stage reads are left behind, not rejected (the JSON Schema rejects)."""

    class Meta:
        unknown = EXCLUDE

    model_type: type = object

    @post_load
    def make(self, data: dict, **_: Any) -> Any:
        return self.model_type(**data)


def _optional_date() -> fields.Date:
    return fields.Date(allow_none=True, load_default=None)


def _optional_string() -> fields.String:
    return fields.String(allow_none=True, load_default=None)


class LicenseSchema(_Loader):
    model_type = model.License
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    valid_until = _optional_date()


class ApplicantSchema(_Loader):
    model_type = model.Applicant
    kind = fields.String(required=True)
    name = fields.String(required=True)
    bin = fields.String(required=True)
    license = fields.Nested(LicenseSchema, required=True)
    consent_to_publish = fields.Boolean(load_default=False)


class EducationDocumentSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True)
    series = _optional_string()
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)


class EducationSchema(_Loader):
    level = fields.String(required=True)
    institution = fields.String(required=True)
    specialty = fields.String(required=True)
    started_on = fields.Date(required=True)
    finished_on = _optional_date()
    document = fields.Nested(EducationDocumentSchema, required=True)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Education:
        document = data.pop("document")
        return model.Education(
            **data, document_kind=document["kind"], document_number=document["number"],
            document_issued_on=document["issued_on"], document_series=document["series"],
        )


class EmploymentSchema(_Loader):
    model_type = model.Employment
    organization = fields.String(required=True)
    bin = fields.String(required=True)
    position = fields.String(required=True)
    staff_position = fields.String(required=True)
    started_on = fields.Date(required=True)
    ended_on = _optional_date()


class QualificationSchema(_Loader):
    category = fields.String(required=True)
    assigned_on = fields.Date(required=True)
    commission = fields.Dict(required=True)
    order_number = _optional_string()

    @post_load
    def make(self, data: dict, **_: Any) -> model.Qualification:
        authority = data.pop("commission")["authority"]
        return model.Qualification(**data, authority=authority)


class ContactsSchema(_Loader):
    model_type = model.Contacts
    mobile_phone = _optional_string()
    email = _optional_string()


class AddressSchema(_Loader):
    model_type = model.Address
    region = fields.String(required=True)
    locality = fields.String(required=True)
    registration_address = fields.String(required=True)


class SpecialistSchema(_Loader):
    iin = fields.String(required=True)
    last_name = fields.String(required=True)
    first_name = fields.String(required=True)
    patronymic = _optional_string()
    birth_date = fields.Date(required=True)
    contacts = fields.Nested(ContactsSchema, required=True)
    address = fields.Nested(AddressSchema, required=True)
    profession = fields.String(required=True)
    experience_months = fields.Integer(required=True)  # not strict: "integer" admits 60.0
    education = fields.List(fields.Nested(EducationSchema), required=True)
    employment = fields.List(fields.Nested(EmploymentSchema), required=True)
    qualification = fields.Nested(QualificationSchema, allow_none=True, load_default=None)
    consent_to_publish = fields.Boolean(required=True)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Specialist:
        return model.Specialist(
            **{**data, "education": tuple(data["education"]), "employment": tuple(data["employment"])},
            region=data["address"].region,
        )


class DocumentSchema(_Loader):
    model_type = model.Document
    kind = fields.String(required=True)
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    valid_until = _optional_date()


class CourtDecisionSchema(_Loader):
    model_type = model.CourtDecision
    kind = fields.String(required=True)
    in_force_on = fields.Date(required=True)
    ends_on = _optional_date()
    specialty = _optional_string()


class ResidenceSchema(_Loader):
    model_type = model.Residence
    status = fields.String(required=True)
    departed_on = _optional_date()
    country = _optional_string()


class QualificationRecordSchema(_Loader):
    model_type = model.QualificationRecord
    status = fields.String(required=True)
    category = _optional_string()
    assigned_on = _optional_date()


class VerificationsSchema(_Loader):
    court_decisions = fields.List(fields.Nested(CourtDecisionSchema), allow_none=True, load_default=None)
    residence = fields.Nested(ResidenceSchema, allow_none=True, load_default=None)
    qualification_record = fields.Nested(QualificationRecordSchema, allow_none=True, load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Verifications:
        decisions = data["court_decisions"]
        return model.Verifications(
            court_decisions=None if decisions is None else tuple(decisions),
            residence=data["residence"], qualification_record=data["qualification_record"],
        )


class PreviousScreeningSchema(_Loader):
    application_id = fields.String(required=True)
    outcome = fields.String(required=True)
    reasons = fields.List(fields.String(), required=True)

    @post_load
    def make(self, data: dict, **_: Any) -> model.PreviousScreening:
        return model.PreviousScreening(**{**data, "reasons": tuple(data["reasons"])})


class ApplicationSchema(_Loader):
    application_id = fields.String(required=True)
    received_at = fields.AwareDateTime(required=True)
    language = fields.String(required=True)
    applicant = fields.Nested(ApplicantSchema, required=True)
    specialist = fields.Nested(SpecialistSchema, required=True)
    documents = fields.List(fields.Nested(DocumentSchema), required=True)
    verifications = fields.Nested(VerificationsSchema, required=True)
    previous = fields.Nested(PreviousScreeningSchema, allow_none=True, load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Application:
        return model.Application(**{**data, "documents": tuple(data["documents"])})


_APPLICATION = ApplicationSchema()


def load_application(payload: dict[str, Any]) -> model.Application:
    """Typed application from a payload that passed :class:`PayloadValidator`."""
    return _APPLICATION.load(payload)
