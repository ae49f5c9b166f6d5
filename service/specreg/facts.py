"""Facts: what the rule set reasons over, derived from one application.

Each fact is a flat JSON object with a type ``t`` and the fields the rules'
conditions read. Dates become day counts relative to ``as_of`` (negative:
before it), so that the boundaries ("valid through its valid_until day",
"a ban ending on as_of") are written in the rules, not here. Fields whose
names end in ``_at`` hold JSON Pointers into the payload; rules name them to
locate their causes. Every fact type and field is listed in
``FACT_FIELDS``; the rule linter checks conditions against it.

Nothing here decides a ground: it only measures and matches names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from specreg.model import Application, CourtDecision, Document, Qualification
from specreg.reference import Profession, ReferenceData

Fact = dict[str, Any]

FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "profession": ("matched", "medical", "name", "profession_id", "at"),
    "qualification": (
        "category", "assigned_on", "days_held", "years_held", "record",
        "record_category", "record_assigned_on", "category_matches", "assigned_on_matches",
        "at", "category_at", "assigned_on_at", "record_at",
    ),
    "document": ("kind", "required_when", "present", "qualification_claimed",
                 "profession_medical", "requirement", "basis", "at"),
    "supplied_document": ("kind", "index", "open_ended", "days_left", "valid_until", "at"),
    "license": ("kind", "open_ended", "days_left", "valid_until", "at"),
    "employment": ("index", "number", "same_profession", "current", "at"),
    "employment_record": ("entries", "current_entries", "at"),
    "court_decision": (
        "kind", "index", "act", "act_stated", "in_force_on", "ends_on", "days_in_force", "open_ended",
        "days_to_end", "specialty_given", "specialty", "specialty_generic", "specialty_same_profession",
        "specialty_covers_profession", "profession_medical", "at",
    ),
    "residence": ("status", "departure_known", "departed_on", "days_since_departure",
                  "country", "at"),
    "verification": ("source", "checked", "relevant", "at"),
}

# Fact fields that hold a date (ISO in the fact): messages write them as their language does.
DATE_FIELDS = frozenset({
    "assigned_on", "record_assigned_on", "valid_until", "in_force_on", "ends_on", "departed_on",
})


def derive_facts(application: Application, as_of: date, reference: ReferenceData) -> list[Fact]:
    """All facts of one application as of a day."""
    profession = reference.professions.match(application.specialist.profession)
    medical = bool(profession and profession.medical)
    facts: list[Fact] = [
        {
            "t": "profession", "matched": profession is not None, "medical": medical,
            "name": application.specialist.profession,
            "profession_id": profession.id if profession else None,
            "at": "/specialist/profession",
        }
    ]
    qualification = application.specialist.qualification
    if qualification is not None:
        facts.append(_qualification_fact(qualification, application, as_of))
    facts += _catalog_facts(application, reference, medical)
    facts += [_document_fact(i, doc, as_of) for i, doc in enumerate(application.documents)]
    facts.append(_license_fact(application, as_of))
    facts += _employment_facts(application, reference, as_of)
    facts += _court_facts(application, as_of, reference, profession)
    facts += _residence_facts(application, as_of)
    facts += _verification_facts(application)
    return [_without_nulls(fact) if None in fact.values() else fact for fact in facts]


def anniversary(start: date, years: int) -> date:
    """``start`` plus whole calendar years; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def completed_years(start: date, as_of: date) -> int:
    """Whole years from ``start`` to ``as_of``: n such that start + n years <= as_of."""
    years = as_of.year - start.year
    return years - 1 if anniversary(start, years) > as_of else years


def _qualification_fact(claim: Qualification, application: Application, as_of: date) -> Fact:
    record = application.verifications.qualification_record
    fact: Fact = {
        "t": "qualification", "category": claim.category,
        "assigned_on": claim.assigned_on.isoformat(),
        "days_held": (as_of - claim.assigned_on).days,
        "years_held": completed_years(claim.assigned_on, as_of),
        "record": "not_checked" if record is None else record.status,
        "at": "/specialist/qualification",
        "category_at": "/specialist/qualification/category",
        "assigned_on_at": "/specialist/qualification/assigned_on",
        "record_at": "/verifications/qualification_record",
    }
    if record is not None and record.status == "found":
        fact["record_category"] = record.category
        fact["record_assigned_on"] = _iso(record.assigned_on)
        fact["category_matches"] = record.category == claim.category
        fact["assigned_on_matches"] = record.assigned_on == claim.assigned_on
    return fact


def _catalog_facts(application: Application, reference: ReferenceData, medical: bool) -> list[Fact]:
    supplied = {document.kind for document in application.documents}
    claimed = application.specialist.qualification is not None
    return [
        {
            "t": "document", "kind": kind.code, "required_when": kind.required_when,
            "present": kind.code in supplied, "qualification_claimed": claimed,
            "profession_medical": medical, "requirement": kind.requirement, "basis": kind.basis,
            "at": "/documents",
        }
        for kind in reference.documents.kinds
    ]


def _document_fact(index: int, document: Document, as_of: date) -> Fact:
    return {
        "t": "supplied_document", "kind": document.kind, "index": index,
        **_validity(document.valid_until, as_of),
        "at": f"/documents/{index}/valid_until",
    }


def _license_fact(application: Application, as_of: date) -> Fact:
    return {
        "t": "license", "kind": "license",
        **_validity(application.applicant.license.valid_until, as_of),
        "at": "/applicant/license/valid_until",
    }


def _validity(valid_until: date | None, as_of: date) -> Fact:
    if valid_until is None:
        return {"open_ended": True}
    return {
        "open_ended": False, "days_left": (valid_until - as_of).days,
        "valid_until": valid_until.isoformat(),
    }


def _employment_facts(application: Application, reference: ReferenceData, as_of: date) -> list[Fact]:
    """One fact per entry, and one for the record as a whole (p.7: is any entry open on as_of)."""
    same = reference.professions.same_profession
    entries = application.specialist.employment
    facts: list[Fact] = [
        {
            "t": "employment", "index": i, "number": i + 1,
            "same_profession": same(entry.position, entry.staff_position),
            "current": entry.ended_on is None or entry.ended_on >= as_of,
            "at": [
                f"/specialist/employment/{i}/position",
                f"/specialist/employment/{i}/staff_position",
            ],
        }
        for i, entry in enumerate(entries)
    ]
    facts.append({
        "t": "employment_record", "entries": len(entries),
        "current_entries": sum(1 for fact in facts if fact["current"]),
        "at": "/specialist/employment",
    })
    return facts


def _court_facts(
    application: Application, as_of: date, reference: ReferenceData, profession: Profession | None
) -> list[Fact]:
    decisions = application.verifications.court_decisions or ()
    declared = application.specialist.profession
    return [
        _court_fact(i, decision, as_of, reference, declared, profession)
        for i, decision in enumerate(decisions)
    ]


def _court_fact(
    index: int, decision: CourtDecision, as_of: date, reference: ReferenceData,
    declared: str, profession: Profession | None,
) -> Fact:
    """A decision measured against as_of and read against the declared profession (p.9 sp.3 ¶3)."""
    specialty = decision.specialty
    classifier = reference.professions
    return {
        "t": "court_decision", "kind": decision.kind, "index": index,
        "act": decision.act, "act_stated": decision.act is not None,
        "in_force_on": decision.in_force_on.isoformat(), "ends_on": _iso(decision.ends_on),
        "days_in_force": (as_of - decision.in_force_on).days,
        "open_ended": decision.ends_on is None,
        "days_to_end": None if decision.ends_on is None else (decision.ends_on - as_of).days,
        "specialty_given": specialty is not None,
        "specialty": specialty,
        "specialty_generic": bool(specialty and classifier.means_medical_activity(specialty)),
        "specialty_same_profession": bool(specialty and classifier.same_profession(specialty, declared)),
        "specialty_covers_profession": bool(specialty and classifier.covers(specialty, profession)),
        "profession_medical": bool(profession and profession.medical),
        "at": f"/verifications/court_decisions/{index}",
    }


def _residence_facts(application: Application, as_of: date) -> list[Fact]:
    residence = application.verifications.residence
    if residence is None:
        return []
    departed = residence.departed_on
    return [{
        "t": "residence", "status": residence.status, "departure_known": departed is not None,
        "departed_on": _iso(departed),
        "days_since_departure": None if departed is None else (as_of - departed).days,
        "country": residence.country, "at": "/verifications/residence",
    }]


def _verification_facts(application: Application) -> list[Fact]:
    """One fact per verification source: was it checked, and could its ground apply."""
    verifications = application.verifications
    claimed = application.specialist.qualification is not None
    sources = (
        ("court_decisions", verifications.court_decisions, True),
        ("residence", verifications.residence, True),
        ("qualification_record", verifications.qualification_record, claimed),
    )
    return [
        {
            "t": "verification", "source": source, "checked": value is not None,
            "relevant": relevant, "at": f"/verifications/{source}",
        }
        for source, value, relevant in sources
    ]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _without_nulls(fact: Fact) -> Fact:
    """The engine compares absent fields safely; a null would be compared as a value.

    Most facts hold no null: ``derive_facts`` asks ``None in fact.values()`` (one
    pass in C) and rebuilds only the facts that do.
    """
    return {key: value for key, value in fact.items() if value is not None}
