"""Load a validated payload into :mod:`specreg.model` objects with marshmallow.

The payload has passed the JSON Schema already, so these schemas only convert
(dates to dates, lists to tuples, absent to ``None``); they ignore nothing and
decide nothing. Contacts, addresses and education documents' series are not
carried further: no rule reads them.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, post_load

from specreg import model


class _Loader(Schema):
    """Base: keys that no rule reads are left behind, not rejected (the JSON Schema rejects)."""

    class Meta:
        unknown = EXCLUDE


class LicenseSchema(_Loader):
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    valid_until = fields.Date(allow_none=True, load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.License:
        return model.License(**data)


class ApplicantSchema(_Loader):
    kind = fields.String(required=True)
    name = fields.String(required=True)
    bin = fields.String(required=True)
    license = fields.Nested(LicenseSchema, required=True)
    consent_to_publish = fields.Boolean(load_default=False)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Applicant:
        return model.Applicant(**data)


class EducationDocumentSchema(_Loader):
    kind = fields.String(required=True)
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)


class EducationSchema(_Loader):
    level = fields.String(required=True)
    institution = fields.String(required=True)
    specialty = fields.String(required=True)
    started_on = fields.Date(required=True)
    finished_on = fields.Date(allow_none=True, load_default=None)
    document = fields.Nested(EducationDocumentSchema, required=True)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Education:
        document = data.pop("document")
        return model.Education(
            **data,
            document_kind=document["kind"],
            document_number=document["number"],
            document_issued_on=document["issued_on"],
        )


class EmploymentSchema(_Loader):
    organization = fields.String(required=True)
    bin = fields.String(required=True)
    position = fields.String(required=True)
    staff_position = fields.String(required=True)
    started_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True, load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Employment:
        return model.Employment(**data)


class QualificationSchema(_Loader):
    category = fields.String(required=True)
    assigned_on = fields.Date(required=True)
    commission = fields.Dict(required=True)
    order_number = fields.String(load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Qualification:
        authority = data.pop("commission")["authority"]
        return model.Qualification(**data, authority=authority)


class SpecialistSchema(_Loader):
    iin = fields.String(required=True)
    last_name = fields.String(required=True)
    first_name = fields.String(required=True)
    patronymic = fields.String(allow_none=True, load_default=None)
    birth_date = fields.Date(required=True)
    address = fields.Dict(required=True)
    profession = fields.String(required=True)
    experience_months = fields.Integer(required=True, strict=True)
    education = fields.List(fields.Nested(EducationSchema), required=True)
    employment = fields.List(fields.Nested(EmploymentSchema), required=True)
    qualification = fields.Nested(QualificationSchema, allow_none=True, load_default=None)
    consent_to_publish = fields.Boolean(required=True)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Specialist:
        region = data.pop("address")["region"]
        return model.Specialist(
            **{**data, "education": tuple(data["education"]), "employment": tuple(data["employment"])},
            region=region,
        )


class DocumentSchema(_Loader):
    kind = fields.String(required=True)
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    valid_until = fields.Date(allow_none=True, load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Document:
        return model.Document(**data)


class CourtDecisionSchema(_Loader):
    kind = fields.String(required=True)
    in_force_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True, load_default=None)
    specialty = fields.String(load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.CourtDecision:
        return model.CourtDecision(**data)


class ResidenceSchema(_Loader):
    status = fields.String(required=True)
    departed_on = fields.Date(load_default=None)
    country = fields.String(load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Residence:
        return model.Residence(**data)


class QualificationRecordSchema(_Loader):
    status = fields.String(required=True)
    category = fields.String(load_default=None)
    assigned_on = fields.Date(load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.QualificationRecord:
        return model.QualificationRecord(**data)


class VerificationsSchema(_Loader):
    court_decisions = fields.List(fields.Nested(CourtDecisionSchema), load_default=None)
    residence = fields.Nested(ResidenceSchema, load_default=None)
    qualification_record = fields.Nested(QualificationRecordSchema, load_default=None)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Verifications:
        decisions = data["court_decisions"]
        return model.Verifications(
            court_decisions=None if decisions is None else tuple(decisions),
            residence=data["residence"],
            qualification_record=data["qualification_record"],
        )


class ApplicationSchema(_Loader):
    application_id = fields.String(required=True)
    received_at = fields.AwareDateTime(required=True)
    language = fields.String(required=True)
    applicant = fields.Nested(ApplicantSchema, required=True)
    specialist = fields.Nested(SpecialistSchema, required=True)
    documents = fields.List(fields.Nested(DocumentSchema), required=True)
    verifications = fields.Nested(VerificationsSchema, required=True)

    @post_load
    def make(self, data: dict, **_: Any) -> model.Application:
        return model.Application(**{**data, "documents": tuple(data["documents"])})


_APPLICATION = ApplicationSchema()


def load_application(payload: dict[str, Any]) -> model.Application:
    """Typed application from a payload that passed :class:`PayloadValidator`."""
    return _APPLICATION.load(payload)
