"""Property tests (hypothesis): generated applications through the real HTTP stack.

The generators build VALID applications from the contract alone: IINs and BINs
get their check digit from the algorithm restated here (not from
``specreg.identifiers``), the IIN's birth date and century digit agree with
``birth_date``, every date pair is in order, mobile numbers are ones
``phonenumbers`` knows as Kazakh mobiles, and professions are drawn from the
classifier file or made up. What must hold for any of them:

* a valid application is screened (200), and the same answer comes twice;
* a mutated application (a key dropped, a value of another type, a huge or
  odd string) never gets a 5xx, only 200 or a problem document;
* adding an in-force social work ban never lowers the outcome
  (register < return < refuse) and keeps every ground that held;
* fixing every cause of every ground always gives ``register``;
* the service's IIN/BIN check agrees with the algorithm stated here.

``HYPOTHESIS_PROFILE=long`` (``make fuzz``) runs many more examples.
"""

from __future__ import annotations

import copy
import json
import os
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from payloads import valid_application
from specreg.identifiers import bin_check_digit_valid, iin_check_digit_valid

settings.register_profile(
    "specreg", max_examples=50, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("long", parent=settings.get_profile("specreg"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "specreg"))

RULES = Path(__file__).resolve().parents[1] / "rules"
URL = "/api/v1/screenings?as_of={}"
RANK = {"register": 0, "return": 1, "refuse": 2}
REQUIRED_KINDS = ("identity_document", "education_document", "employment_record",
                  "no_criminal_record_certificate")
DOCUMENT_KINDS = (*REQUIRED_KINDS, "qualification_certificate", "medical_specialist_certificate",
                  "medical_certificate", "other")
COURT_KINDS = ("social_work_ban", "medical_activity_ban", "incapacity", "limited_capacity")
CATEGORIES = ("second", "first", "highest")
REGIONS = tuple(yaml.safe_load((RULES / "reference" / "regions.yaml").read_text("utf-8"))["regions"])
_CLASSIFIER = yaml.safe_load((RULES / "reference" / "professions.yaml").read_text("utf-8"))["professions"]
CLASSIFIER_NAMES = tuple(
    name for entry in _CLASSIFIER for name in (entry["ru"], entry["kk"], *entry.get("synonyms", []))
)
PLAIN_PROFESSIONS = tuple(entry["ru"] for entry in _CLASSIFIER if not entry["medical"])
MEDICAL_NAMES = frozenset(
    name for entry in _CLASSIFIER if entry["medical"]
    for name in (entry["ru"], entry["kk"], *entry.get("synonyms", []))
)
# Mobile operators' ranges of Kazakhstan (+7 70x, 747, 77x); phonenumbers has the final say.
MOBILE_PREFIXES = ("700", "701", "702", "705", "706", "707", "708", "747", "771", "775", "776",
                   "777", "778")
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERS = CYRILLIC + KAZAKH + LATIN
TEXT_ALPHABET = LETTERS + "0123456789 .,;:-«»()№/\"'"


# --- the identification number algorithm, restated from the contract --------


def independent_check_digit(first_eleven: str) -> int | None:
    """Contract section 1: weights 1..11, mod 11; if 10, weights 3..11,1,2; if 10 again, none."""
    digits = [int(c) for c in first_eleven]
    first = sum((position + 1) * digit for position, digit in enumerate(digits)) % 11
    if first != 10:
        return first
    second = sum(((position + 2) % 11 + 1) * digit for position, digit in enumerate(digits)) % 11
    return None if second == 10 else second


def independently_valid(number: str) -> bool:
    """12 ASCII digits whose last one is the check digit of the first eleven."""
    if len(number) != 12 or not all(c in "0123456789" for c in number):
        return False
    return independent_check_digit(number[:11]) == int(number[11])


def century_digit(born: date, male: bool) -> str:
    """Digit 7 of an IIN: 1-2 for the 1800s, 3-4 for the 1900s, 5-6 for the 2000s; odd male."""
    base = {18: 1, 19: 3, 20: 5}[born.year // 100]
    return str(base if male else base + 1)


# --- strategies ---------------------------------------------------------------


def with_check_digit(first_eleven: str) -> str | None:
    check = independent_check_digit(first_eleven)
    return None if check is None else first_eleven + str(check)


def digits(count: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=count, max_size=count)


@st.composite
def iins(draw, born: date) -> str:
    """An IIN encoding ``born``, with a valid check digit."""
    while True:
        prefix = born.strftime("%y%m%d") + century_digit(born, draw(st.booleans())) + draw(digits(4))
        number = with_check_digit(prefix)
        if number is not None:
            return number


bins = digits(11).map(with_check_digit).filter(lambda number: number is not None)


def is_kz_mobile(number: str) -> bool:
    parsed = phonenumbers.parse(number, None)
    return (phonenumbers.is_valid_number(parsed) and phonenumbers.region_code_for_number(parsed) == "KZ"
            and phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE)


mobiles = st.builds(lambda prefix, rest: f"+7{prefix}{rest}", st.sampled_from(MOBILE_PREFIXES),
                    digits(7)).filter(is_kz_mobile)
emails = st.from_regex(r"[a-z0-9]{1,12}(\.[a-z0-9]{1,6})?@[a-z]{1,12}\.(kz|com|org)", fullmatch=True)


def texts(max_size: int) -> st.SearchStrategy[str]:
    """Free text that is not blank after trimming."""
    return st.text(TEXT_ALPHABET, min_size=1, max_size=max_size).filter(lambda s: s.strip())


names = st.builds(
    lambda first, rest: first + rest,
    st.text(LETTERS, min_size=1, max_size=25),
    st.sampled_from(["", "-", " ", "'"]).flatmap(
        lambda sep: st.just("") if not sep else st.text(LETTERS, min_size=1, max_size=20).map(
            lambda more: sep + more)),
)
# Any character but a surrogate and a control character (Cc: C0, DEL, C1), which are input errors.
any_unicode = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    lambda s: unicodedata.normalize("NFC", s).strip())
professions = st.one_of(st.sampled_from(CLASSIFIER_NAMES), texts(80), any_unicode)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
as_of_days = st.dates(min_value=date(2025, 1, 25), max_value=date(2027, 12, 31))
ordered_dates = st.tuples(dates, dates).map(sorted)
codes = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)


@st.composite
def received_ats(draw) -> str:
    """RFC 3339 with Z or an offset from -12:00 to +14:00 in quarter hours."""
    moment = draw(st.datetimes(min_value=datetime(2024, 6, 1), max_value=datetime(2027, 6, 30)))
    quarters = draw(st.integers(-48, 56))
    if quarters == 0 and draw(st.booleans()):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    sign, minutes = ("-" if quarters < 0 else "+"), abs(quarters) * 15
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def end_or_null(draw, start: date) -> str | None:
    if draw(st.booleans()):
        return None
    return draw(st.dates(min_value=start, max_value=date(2032, 12, 31))).isoformat()


@st.composite
def documents(draw) -> dict[str, Any]:
    issued = draw(dates)
    return {"kind": draw(st.sampled_from(DOCUMENT_KINDS)), "number": draw(codes),
            "issued_on": issued.isoformat(), "valid_until": draw(end_or_null(issued))}


def complete_set(kinds: tuple[str, ...] = REQUIRED_KINDS) -> list[dict[str, Any]]:
    """The documents everyone needs, without an end date."""
    return [{"kind": kind, "number": "N-1", "issued_on": "2020-01-01", "valid_until": None}
            for kind in kinds]


@st.composite
def educations(draw) -> dict[str, Any]:
    started = draw(dates)
    document = {"kind": draw(st.sampled_from(["diploma", "certificate"])), "number": draw(codes),
                "issued_on": draw(dates).isoformat()}
    if draw(st.booleans()):
        document["series"] = draw(codes)
    return {
        "level": draw(st.sampled_from(["technical_vocational", "post_secondary", "higher",
                                       "postgraduate"])),
        "institution": draw(texts(120)), "specialty": draw(texts(120)),
        "started_on": started.isoformat(), "finished_on": draw(end_or_null(started)),
        "document": document,
    }


@st.composite
def jobs(draw) -> dict[str, Any]:
    started = draw(dates)
    position = draw(professions)
    staff = position if draw(st.booleans()) else draw(professions)
    return {"organization": draw(texts(120)), "bin": draw(bins), "position": position,
            "staff_position": staff, "started_on": started.isoformat(),
            "ended_on": draw(end_or_null(started))}


@st.composite
def court_decisions(draw) -> dict[str, Any]:
    start = draw(dates)
    decision = {"kind": draw(st.sampled_from(COURT_KINDS)), "in_force_on": start.isoformat(),
                "ends_on": draw(end_or_null(start))}
    for key in ("specialty", "court"):
        if draw(st.booleans()):
            decision[key] = draw(st.one_of(professions, texts(100)))
    if draw(st.booleans()):
        decision["case_number"] = draw(codes)
    return decision


@st.composite
def residences(draw) -> dict[str, Any]:
    residence = {"status": draw(st.sampled_from(["resident", "left_for_permanent_residence"]))}
    if draw(st.booleans()):
        residence["departed_on"] = draw(dates).isoformat()
    if draw(st.booleans()):
        residence["country"] = draw(st.from_regex(r"[A-Z]{2}", fullmatch=True))
    return residence


@st.composite
def qualifications(draw) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A claimed category (or None) and what the portal found about it (or not checked)."""
    claim = None
    if draw(st.booleans()):
        claim = {"category": draw(st.sampled_from(CATEGORIES)), "assigned_on": draw(dates).isoformat(),
                 "commission": {"authority": draw(texts(100))}}
        if draw(st.booleans()):
            claim["order_number"] = draw(codes)
    kind = draw(st.sampled_from(["absent", "not_found", "found", "found_same"]))
    if kind == "absent":
        return claim, None
    if kind == "not_found":
        return claim, {"status": "not_found"}
    if kind == "found_same" and claim is not None:
        return claim, {"status": "found", "category": claim["category"],
                       "assigned_on": claim["assigned_on"]}
    return claim, {"status": "found", "category": draw(st.sampled_from(CATEGORIES)),
                   "assigned_on": draw(dates).isoformat()}


@st.composite
def applications(draw) -> dict[str, Any]:
    """A payload that meets every requirement of contract section 1."""
    born = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2007, 12, 31)))
    individual = draw(st.booleans())
    channel = draw(st.sampled_from(["phone", "email"]))
    registration: dict[str, Any] = {"channel": channel}
    registration["phone" if channel == "phone" else "email"] = draw(mobiles if channel == "phone"
                                                                   else emails)
    license_issued = draw(dates)
    contacts = draw(st.sampled_from([("mobile_phone",), ("email",), ("mobile_phone", "email")]))
    claim, record = draw(qualifications())
    verifications: dict[str, Any] = {}
    if draw(st.booleans()):
        verifications["court_decisions"] = draw(st.lists(court_decisions(), max_size=3))
    if draw(st.booleans()):
        verifications["residence"] = draw(residences())
    if record is not None:
        verifications["qualification_record"] = record
    if draw(st.booleans()):
        verifications["checked_at"] = draw(received_ats())
    specialist = {
        "iin": draw(iins(born)), "last_name": draw(names), "first_name": draw(names),
        "birth_date": born.isoformat(),
        "contacts": {key: draw(mobiles if key == "mobile_phone" else emails) for key in contacts},
        "address": {"region": draw(st.sampled_from(REGIONS)), "locality": draw(texts(100)),
                    "registration_address": draw(texts(200))},
        "profession": draw(professions),
        "experience_months": draw(st.integers(0, 840)),
        "education": draw(st.lists(educations(), min_size=1, max_size=3)),
        "employment": draw(st.lists(jobs(), max_size=3)),
        "qualification": claim,
        "consent_to_publish": draw(st.booleans()),
    }
    if draw(st.booleans()):
        specialist["patronymic"] = draw(st.one_of(st.none(), names))
    applicant = {
        "kind": "individual" if individual else "organization", "name": draw(texts(200)),
        "bin": draw(iins(born)) if individual else draw(bins),
        "license": {"number": draw(codes), "issued_on": license_issued.isoformat(),
                    "valid_until": draw(end_or_null(license_issued))},
        "registration": registration,
    }
    if draw(st.booleans()):
        applicant["consent_to_publish"] = draw(st.booleans())
    return {
        "application_id": draw(st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True)),
        "received_at": draw(received_ats()), "language": draw(st.sampled_from(["kk", "ru"])),
        "applicant": applicant, "specialist": specialist,
        "documents": (complete_set() if draw(st.booleans()) else [])
        + draw(st.lists(documents(), max_size=8)),
        "verifications": verifications,
    }


# --- the HTTP side ------------------------------------------------------------


@pytest.fixture(scope="module")
def http(app):
    return app.test_client()


def post(http, payload: Any, as_of: date, **headers: str):
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return http.post(URL.format(as_of.isoformat()), data=body, content_type="application/json",
                     headers=headers)


def screened(http, payload: dict[str, Any], as_of: date) -> dict[str, Any]:
    answer = post(http, payload, as_of)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


@given(applications(), as_of_days)
def test_a_valid_application_is_screened_and_the_same_answer_comes_twice(http, payload, as_of):
    first, second = screened(http, payload, as_of), screened(http, payload, as_of)
    assert first == second
    assert first["application_id"] == payload["application_id"]
    outcomes = {reason["outcome"] for reason in first["reasons"]}
    expected = "refuse" if "refuse" in outcomes else "return" if outcomes else "register"
    assert first["outcome"] == expected
    event(f"outcome {expected}")
    assert len({reason["code"] for reason in first["reasons"]}) == len(first["reasons"])


@given(applications(), as_of_days, st.data())
def test_an_in_force_social_work_ban_never_lowers_the_outcome(http, payload, as_of, data):
    before = screened(http, payload, as_of)
    in_force = data.draw(st.dates(min_value=date(2000, 1, 1), max_value=as_of))
    ends = data.draw(st.one_of(st.none(), st.dates(min_value=as_of, max_value=date(2035, 1, 1))))
    decisions = payload["verifications"].setdefault("court_decisions", [])
    decisions.insert(data.draw(st.integers(0, len(decisions))), {
        "kind": "social_work_ban", "in_force_on": in_force.isoformat(),
        "ends_on": None if ends is None else ends.isoformat()})
    after = screened(http, payload, as_of)
    assert RANK[after["outcome"]] >= RANK[before["outcome"]]
    assert after["outcome"] == "refuse"
    assert {r["code"] for r in before["reasons"]} <= {r["code"] for r in after["reasons"]}
    assert "social_work_ban" in {r["code"] for r in after["reasons"]}


def clean(payload: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The canonical fix of every cause of every ground of p.9, leaving the rest as it was."""
    fixed = copy.deepcopy(payload)
    specialist, verifications = fixed["specialist"], fixed["verifications"]
    if specialist["profession"] not in CLASSIFIER_NAMES:
        specialist["profession"] = PLAIN_PROFESSIONS[len(specialist["profession"]) % len(PLAIN_PROFESSIONS)]
    for job in specialist["employment"]:
        job["staff_position"] = job["position"]
    claim = specialist.get("qualification")
    if claim is not None:
        claim["assigned_on"] = (as_of - timedelta(days=400)).isoformat()
        verifications["qualification_record"] = {"status": "found", "category": claim["category"],
                                                 "assigned_on": claim["assigned_on"]}
    fixed["applicant"]["license"]["valid_until"] = None
    day = as_of.isoformat()
    kept = [d for d in fixed["documents"] if d["valid_until"] is None or d["valid_until"] >= day]
    needed = [*REQUIRED_KINDS, *(["qualification_certificate"] if claim else []),
              *(["medical_specialist_certificate"] if specialist["profession"] in MEDICAL_NAMES else [])]
    present = {d["kind"] for d in kept}
    kept += complete_set(tuple(kind for kind in needed if kind not in present))
    fixed["documents"] = kept
    if "court_decisions" in verifications:
        verifications["court_decisions"] = [d for d in verifications["court_decisions"]
                                            if not _in_force(d, as_of)]
    if verifications.get("residence", {}).get("status") == "left_for_permanent_residence":
        verifications["residence"]["status"] = "resident"
    return fixed


def _in_force(decision: dict[str, Any], as_of: date) -> bool:
    day = as_of.isoformat()
    return decision["in_force_on"] <= day and (decision["ends_on"] is None or decision["ends_on"] >= day)


@given(applications(), as_of_days)
def test_fixing_every_cause_gives_register(http, payload, as_of):
    answer = screened(http, clean(payload, as_of), as_of)
    assert (answer["outcome"], answer["reasons"]) == ("register", [])


@given(st.one_of(digits(12), digits(11).map(with_check_digit).filter(bool),
                 st.text(min_size=0, max_size=14)))
def test_identifier_check_agrees_with_the_algorithm_as_stated(number):
    expected = independently_valid(number)
    assert iin_check_digit_valid(number) is expected
    assert bin_check_digit_valid(number) is expected


@given(st.one_of(digits(12), digits(11).map(with_check_digit).filter(bool)))
def test_the_api_reports_a_bad_check_digit_exactly_when_the_algorithm_says_so(http, number):
    payload = valid_application()
    payload["applicant"]["bin"] = number
    answer = post(http, payload, date(2026, 3, 20))
    flagged = answer.status_code == 422 and any(
        error["pointer"] == "/applicant/bin" for error in answer.get_json()["errors"])
    assert flagged is not independently_valid(number)
    assert answer.status_code in (200, 422)


# --- mutations ----------------------------------------------------------------


def locations(node: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, the root included."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += locations(value, (*path, index))
    return found


hostile_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40), any_unicode,
    st.integers(1, 300_000).map(lambda n: "ж" * n),
    st.sampled_from(["0000-00-00", "2026-02-30", "9999-12-31T23:59:59-12:00", "\u0000", "\ufeff",
                     "+77011234567\u0000", "NaN", "", " ", "\u202e", "𝔭𝔰𝔦𝔥𝔬𝔩𝔬𝔤"]),
    st.lists(st.integers(), max_size=5), st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
)


@st.composite
def mutated(draw) -> Any:
    """A valid application with one to three hostile edits."""
    payload: Any = draw(applications())
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(locations(payload)))
        payload = _mutate(payload, path, draw(st.sampled_from(["delete", "replace", "add", "repeat"])),
                          draw(hostile_values), draw)
    return payload


def _mutate(payload: Any, path: tuple, how: str, value: Any, draw) -> Any:
    if not path:
        return value if how == "replace" else payload
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "replace":
        parent[last] = value
    elif how == "add" and isinstance(parent[last], dict):
        parent[last][draw(st.text(max_size=20))] = value
    elif how == "repeat" and isinstance(parent[last], list) and parent[last]:
        parent[last] = parent[last] * draw(st.integers(2, 60))
    return payload


@given(mutated(), as_of_days)
def test_a_mutated_application_never_gets_a_5xx(http, payload, as_of):
    answer = post(http, payload, as_of)
    assert answer.status_code < 500, answer.get_data(as_text=True)[:500]
    if answer.status_code == 200:
        assert answer.get_json()["outcome"] in RANK
    else:
        assert answer.mimetype == "application/problem+json"
        assert answer.get_json()["status"] == answer.status_code
        text = answer.get_data(as_text=True)
        assert not [value for value in identifying_values(payload) if value in text]


def identifying_values(payload: Any) -> list[str]:
    """The IIN, phones and e-mails still in a (mutated) payload: an error answer repeats none."""
    specialist = payload.get("specialist") if isinstance(payload, dict) else None
    if not isinstance(specialist, dict):
        return []
    contacts = specialist.get("contacts") if isinstance(specialist.get("contacts"), dict) else {}
    values = [specialist.get("iin"), *contacts.values()]
    return [value for value in values if isinstance(value, str) and len(value) >= 8]
