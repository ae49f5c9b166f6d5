"""Hostile input through HTTP: each gets a precise answer, never a 5xx.

Every error is ``application/problem+json`` of a known type with the status
the contract names (section 0); every 422 lists the exact pointer and code and
none of its messages repeats a personal value of the payload (IIN, names,
phones, e-mail, address). The streamed-body limit is checked on a real
gunicorn, which is what terminates chunked bodies in production.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import pytest

import hostile_bodies
from gunicorn_process import Gunicorn
from payloads import valid_application
from specreg.validation import PayloadValidator

URL = "/api/v1/screenings?as_of=2026-03-20"
MIB = 1024 * 1024


def personal_values(payload: Any) -> list[str]:
    """The values the contract calls personal data, wherever the payload still holds them."""
    specialist = payload.get("specialist", {}) if isinstance(payload, dict) else {}
    applicant = payload.get("applicant", {}) if isinstance(payload, dict) else {}
    values = [
        specialist.get("iin"), specialist.get("last_name"), specialist.get("first_name"),
        specialist.get("patronymic"), *(specialist.get("contacts") or {}).values(),
        *(specialist.get("address") or {}).values(), *(applicant.get("registration") or {}).values(),
    ]
    return [v for v in values if isinstance(v, str) and len(v) >= 5 and v not in ("phone", "email")]


def post(client, payload: Any, url: str = URL, **headers: str):
    body = json.dumps(payload, ensure_ascii=False).encode()
    return client.post(url, data=body, content_type="application/json", headers=headers)


def problem_of(answer, status: int, kind: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert (body["status"], body["type"]) == (status, f"urn:specreg:problem:{kind}")
    return body


def input_errors(answer, payload: Any) -> set[tuple[str, str]]:
    """The (pointer, code) pairs of a 422, after checking no message leaks personal data."""
    body = problem_of(answer, 422, "invalid-application")
    text = answer.get_data(as_text=True)
    for value in personal_values(payload) + personal_values(valid_application()):
        assert value not in text, "a 422 answer repeats a personal value"
    return {(error["pointer"], error["code"]) for error in body["errors"]}


def set_at(payload: dict[str, Any], where: tuple, value: Any) -> dict[str, Any]:
    node = payload
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    return payload


def errors_with(client, where: tuple, value: Any) -> set[tuple[str, str]]:
    """The input errors of the valid application with one value replaced."""
    payload = set_at(valid_application(), where, value)
    return input_errors(post(client, payload), payload)


def pointer(where: tuple) -> str:
    return "/" + "/".join(where)


def with_change(change) -> dict[str, Any]:
    payload = valid_application()
    change(payload)
    return payload


def outcome_codes(answer) -> set[str]:
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return {reason["code"] for reason in answer.get_json()["reasons"]}


# --- structure ------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 65 + b"1" + b"}" * 65,
    b'{"application_id": ' + b"[" * 70 + b"]" * 70 + b"}",
], ids=["arrays-100000-deep", "objects-65-deep", "deep-inside-a-field"])
def test_nesting_deeper_than_64_levels_is_400(client, body):
    problem_of(client.post(URL, data=body, content_type="application/json"), 400, "too-deep")


def test_nesting_of_64_levels_is_read_and_judged(client):
    body = b'{"a":' * 63 + b"1" + b"}" * 63
    assert ("/a", "unknown_property") in input_errors(
        client.post(URL, data=body, content_type="application/json"), {})


@pytest.mark.parametrize(("where", "size", "code"), [
    (("specialist", "last_name"), 101, "too_long"),
    (("specialist", "last_name"), 500_000, "too_long"),
    (("specialist", "profession"), 201, "too_long"),
    (("application_id",), 65, "too_long"),
    (("applicant", "name"), 300_001, "too_long"),
])
def test_strings_beyond_their_bounds_are_422(client, where, size, code):
    value = "A" * size if where == ("application_id",) else "Ж" * size
    assert (pointer(where), code) in errors_with(client, where, value)


@pytest.mark.parametrize(("path", "count", "code"), [
    (("documents",), 51, "too_many"),
    (("specialist", "education"), 11, "too_many"),
    (("specialist", "employment"), 31, "too_many"),
    (("verifications", "court_decisions"), 51, "too_many"),
    (("specialist", "education"), 0, "too_few"),
])
def test_arrays_beyond_their_bounds_are_422(client, path, count, code):
    samples = {
        "documents": valid_application()["documents"][0],
        "education": valid_application()["specialist"]["education"][0],
        "employment": valid_application()["specialist"]["employment"][0],
        "court_decisions": {"kind": "incapacity", "in_force_on": "2020-01-01", "ends_on": None},
    }
    assert (pointer(path), code) in errors_with(client, path, [samples[path[-1]]] * count)


# --- bytes and characters -----------------------------------------------------------


@pytest.mark.parametrize(("where", "value", "code"), [
    (("specialist", "last_name"), "Жұма\u0000беков", "pattern"),
    (("application_id",), "APP\u0000", "pattern"),
    (("specialist", "iin"), "85050130001\u0000", "pattern"),
    (("specialist", "birth_date"), "1985-05-0\u0000", "format"),
])
def test_nul_bytes_in_identifiers_and_names_are_422(client, where, value, code):
    assert (pointer(where), code) in errors_with(client, where, value)


def test_a_nul_byte_in_a_key_is_an_unknown_property(client):
    payload = with_change(lambda p: p["specialist"].update({"\u0000": 1}))
    assert ("/specialist/\u0000", "unknown_property") in input_errors(post(client, payload), payload)


# Every text field of the contract, and a value with a control character in its middle.
TEXT_FIELDS = [
    ("applicant", "name"), ("applicant", "license", "number"), ("specialist", "profession"),
    ("specialist", "address", "locality"), ("specialist", "address", "registration_address"),
    ("specialist", "education", 0, "institution"), ("specialist", "education", 0, "specialty"),
    ("specialist", "education", 0, "document", "number"), ("specialist", "employment", 0, "organization"),
    ("specialist", "employment", 0, "position"), ("specialist", "employment", 0, "staff_position"),
    ("documents", 0, "number"), ("specialist", "last_name"),
]
CONTROLS = ["\u0000", "\u0007", "\u001b", "\r", "\u000b", "\u007f", "\u0085", "\u009b"]


def json_pointer(where: tuple) -> str:
    return "/" + "/".join(str(token) for token in where)


@pytest.mark.parametrize("where", TEXT_FIELDS, ids=lambda where: "/".join(map(str, where)))
@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_inside_text_are_422_pattern(client, where, control):
    payload = valid_application()
    set_at(payload, where, "Ал" + control + "маты")
    assert input_errors(post(client, payload), payload) == {(json_pointer(where), "pattern")}


@pytest.mark.parametrize("where", [("specialist", "address", "registration_address")])
def test_tab_and_line_feed_are_kept_in_an_address(client, where):
    payload = valid_application()
    set_at(payload, where, "ул. Абая, 10\n\tкв. 5")
    answer = post(client, payload)
    assert answer.status_code == 200, answer.get_data(as_text=True)


@pytest.mark.parametrize("where", [("applicant", "name"), ("specialist", "profession"),
                                   ("documents", 0, "number")])
@pytest.mark.parametrize("control", ["\t", "\n"], ids=["tab", "line-feed"])
def test_tab_and_line_feed_inside_one_line_fields_are_422(client, where, control):
    payload = valid_application()
    set_at(payload, where, "Ал" + control + "маты")
    assert input_errors(post(client, payload), payload) == {(json_pointer(where), "pattern")}


def test_surrounding_whitespace_controls_are_trimmed_from_free_text(client):
    payload = with_change(lambda p: p["specialist"].update(profession="\t психолог\n"))
    assert outcome_codes(post(client, payload)) == set()


def _raw_with(where: tuple, escaped: str) -> bytes:
    """The valid application with one string replaced by raw JSON text (escapes kept as written)."""
    marker = "MARKER-0123456789"
    payload = set_at(valid_application(), where, marker)
    return json.dumps(payload, ensure_ascii=False).replace(marker, escaped).encode()


SURROGATE_PLACES = [
    ("application_id",), ("specialist", "last_name"), ("specialist", "iin"),
    ("specialist", "birth_date"), ("specialist", "profession"), ("language",),
    ("specialist", "address", "registration_address"), ("documents", 0, "kind"),
    ("documents", 0, "number"), ("specialist", "contacts", "email"),
]


@pytest.mark.parametrize("where", SURROGATE_PLACES, ids=lambda where: "/".join(map(str, where)))
@pytest.mark.parametrize("escaped", ["\\ud800", "A\\udfffB", "\\udc00\\ud800"],
                         ids=["high", "low-inside", "reversed-pair"])
def test_a_lone_surrogate_is_422_pattern_at_its_pointer(client, where, escaped):
    answer = client.post(URL, data=_raw_with(where, escaped), content_type="application/json")
    errors = input_errors(answer, valid_application())
    assert (json_pointer(where), "pattern") in errors
    assert {pointer for pointer, _ in errors} == {json_pointer(where)}
    answer.get_data().decode("utf-8")  # the answer itself is UTF-8 throughout


def test_a_lone_surrogate_in_a_key_is_an_unknown_property(client):
    body = json.dumps(valid_application(), ensure_ascii=False).replace(
        '"profession"', '"prof\\ud800ession": "x", "profession"', 1).encode()
    errors = input_errors(client.post(URL, data=body, content_type="application/json"), {})
    assert errors == {("/specialist/prof\ufffdession", "unknown_property")}


def test_a_proper_surrogate_pair_is_a_character_like_any_other(client):
    answer = client.post(URL, data=_raw_with(("specialist", "profession"), "\\ud83d\\ude00"),
                         content_type="application/json")
    assert outcome_codes(answer) == {"profession_mismatch"}


@pytest.mark.parametrize("value", ['{"y": ["\\ud800"]}', '"\\ud800"', '[[["\\udfff"]]]'])
def test_a_lone_surrogate_inside_an_unknown_property_is_that_unknown_property(client, value):
    """What an unknown property holds is never read: the property is refused by its name."""
    body = json.dumps(valid_application()).replace('"language"', f'"x": {value}, "language"', 1)
    errors = input_errors(client.post(URL, data=body.encode(), content_type="application/json"), {})
    assert errors == {("/x", "unknown_property")}


@pytest.mark.parametrize("value", ['["\\ud800"]', '{"\\ud800": "\\udc00"}'])
def test_a_lone_surrogate_inside_a_value_of_the_wrong_type_is_that_type_error(client, value):
    body = json.dumps(valid_application()).replace('"language": "ru"', f'"language": {value}', 1)
    assert '"language": ' + value in body
    errors = input_errors(client.post(URL, data=body.encode(), content_type="application/json"), {})
    assert {pointer for pointer, _ in errors} == {"/language"}


@pytest.mark.parametrize("body", [
    b'{"application_id": "\xff\xfe"}',
    b'{"application_id": "\xc0\xaf"}',  # an overlong "/"
    b'{"application_id": "\xed\xa0\x80"}',  # a UTF-16 surrogate encoded in UTF-8
    b'{"application_id": "APP-\xd0"}',  # cut in the middle of a character
    b"\xef\xbb\xbf{}",  # a byte order mark
], ids=["ff-fe", "overlong", "surrogate", "truncated", "bom"])
def test_bytes_that_are_not_utf8_json_are_400(client, body):
    problem_of(client.post(URL, data=body, content_type="application/json"), 400, "malformed-json")


@pytest.mark.parametrize("body", [
    b'{"application_id": "A", "application_id": "B"}',
    b'{"specialist": {"iin": "850501300011", "iin": "850501300011"}}',
], ids=["top-level", "nested"])
def test_duplicate_keys_are_400(client, body):
    detail = problem_of(client.post(URL, data=body, content_type="application/json"), 400,
                        "malformed-json")["detail"]
    assert "850501300011" not in detail


@pytest.mark.parametrize(("body", "ru", "kk"), [
    (b'{"a": 1,}', "ожидался ключ в двойных кавычках (строка 1, столбец 9)",
     "қос тырнақшадағы кілт күтілді (1-жол, 9-баған)"),
    (b'{"a": 1}\n x', "после значения JSON есть лишние данные (строка 2, столбец 2)",
     "JSON мәнінен кейін артық деректер бар (2-жол, 2-баған)"),
    (b'{"a": NaN}', "NaN и Infinity не входят в JSON", "NaN мен Infinity JSON-ға жатпайды"),
    (b'{"a": 1, "a": 2}', "ключ повторяется в объекте", "объектіде бір кілт қайталанады"),
    (b'{"a": "\x01"}', "управляющий символ в строковом значении (строка 1, столбец 8)",
     "жолдық мәнде басқару таңбасы бар (1-жол, 8-баған)"),
    (b'{"a": "\\q"}', "неверная escape-последовательность в строковом значении (строка 1, столбец 8)",
     "жолдық мәнде қате escape-тізбек (1-жол, 8-баған)"),
    (b'[1 2]', "ожидалась запятая (строка 1, столбец 4)", "үтір күтілді (1-жол, 4-баған)"),
    (b'{"a" 1}', "ожидалось двоеточие (строка 1, столбец 6)", "қос нүкте күтілді (1-жол, 6-баған)"),
    (b'"abc', "строковое значение не закрыто (строка 1, столбец 1)",
     "жолдық мән жабылмаған (1-жол, 1-баған)"),
    (b'', "ожидалось значение (строка 1, столбец 1)", "мән күтілді (1-жол, 1-баған)"),
    (b'{"a": 1' + b"0" * 5000 + b"}", "слишком длинное число", "сан тым ұзын"),
    (b'{"a": "\xff"}', "не в кодировке UTF-8", "UTF-8 кодтауында емес"),
], ids=["trailing-comma", "extra-data", "nan", "duplicate", "control", "escape", "comma", "colon",
        "unterminated", "empty", "long-number", "not-utf8"])
def test_why_a_body_is_not_json_is_said_in_the_readers_language(client, body, ru, kk):
    """The parser's reason in the reader's words, with where for a syntax error: no English left."""
    for language, said, prefix in (("ru", ru, "JSON не прочитан: "), ("kk", kk, "JSON оқылмады: ")):
        answer = client.post(URL, data=body, content_type="application/json",
                             headers={"Accept-Language": language})
        assert problem_of(answer, 400, "malformed-json")["detail"] == f"{prefix}{said}."


@pytest.mark.parametrize(("where", "value"), [
    (("specialist", "iin"), 850501300011),
    (("application_id",), 123),
    (("specialist", "birth_date"), 19850501),
    (("specialist", "last_name"), ["Жұмабеков"]),
    (("specialist", "contacts", "mobile_phone"), 77011234567),
])
def test_other_types_where_strings_belong_are_422(client, where, value):
    assert (pointer(where), "type") in errors_with(client, where, value)


def _with_number(literal: bytes) -> bytes:
    body = json.dumps(valid_application(), ensure_ascii=False).encode()
    return body.replace(b'"experience_months": 60', b'"experience_months": ' + literal)


@pytest.mark.parametrize("literal", [b"9" * 1_000_000, b"-" + b"1" * 1_000_000],
                         ids=["1e6-digits", "negative-1e6-digits"])
def test_a_million_digit_number_is_400(client, literal):
    detail = problem_of(client.post(URL, data=_with_number(literal), content_type="application/json"),
                        400, "malformed-json")["detail"]
    assert "999999" not in detail and len(detail) < 300


@pytest.mark.parametrize(("literal", "codes"), [
    (b"1e999999", {"maximum", "type"}), (b"-1e999999", {"minimum", "type"}), (b"60.5", {"type"}),
    (b"1" + b"0" * 4000, {"maximum"}), (b"true", {"type"}), (b'"60"', {"type"}),
])
def test_numbers_out_of_range_or_kind_are_422(client, literal, codes):
    errors = input_errors(client.post(URL, data=_with_number(literal), content_type="application/json"),
                          valid_application())
    assert {code for pointer, code in errors if pointer == "/specialist/experience_months"} == codes


@pytest.mark.parametrize("literal", [b"60.0", b"6e1", b"0." + b"0" * 900_000 + b"1"])
def test_integral_numbers_written_as_floats_are_screened(client, literal):
    """JSON Schema's integer admits 60.0; this used to pass validation and then fail with a 500."""
    answer = client.post(URL, data=_with_number(literal), content_type="application/json")
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "register"


# --- look-alike letters ------------------------------------------------------------

HOMOGLYPHS = [
    "психoлог",  # Latin o
    "специалист по сoциальной работе",  # Latin o
    "медицинская сеcтра",  # Latin c
    "педагог-дефектoлог",  # Latin o
    "лoгопед",  # Latin o
    "әлеуметтiк жұмыс жөніндегі маман",  # Latin i for Kazakh і
    "пcихолог",  # Latin c
]


@pytest.mark.parametrize("name", HOMOGLYPHS)
def test_a_latin_look_alike_does_not_pass_as_a_classifier_profession(client, name):
    genuine = name.translate(str.maketrans("oci", "осі"))
    assert "profession_mismatch" not in outcome_codes(
        post(client, with_change(lambda p: p["specialist"].update(profession=genuine))))
    answer = post(client, with_change(lambda p: p["specialist"].update(profession=name)))
    assert "profession_mismatch" in outcome_codes(answer)


def test_a_look_alike_staff_position_is_another_profession(client):
    def change(payload):
        payload["specialist"]["employment"][0]["staff_position"] = "специалист по сoциальной работе"
    assert outcome_codes(post(client, with_change(change))) == {"employment_mismatch"}


# --- dates and time zones -------------------------------------------------------------


@pytest.mark.parametrize(("where", "value", "code"), [
    (("specialist", "birth_date"), "0000-00-00", "invalid_date"),
    (("specialist", "birth_date"), "2026-02-30", "invalid_date"),
    (("specialist", "birth_date"), "1985-13-01", "invalid_date"),
    (("specialist", "birth_date"), "85-05-01", "format"),
    (("received_at",), "0000-00-00T00:00:00Z", "invalid_date"),
    (("received_at",), "2026-03-16T10:00:00+24:00", "format"),
    (("received_at",), "2026-03-16T24:00:00Z", "format"),
    (("received_at",), "2026-03-16T10:00:00", "format"),
    (("received_at",), "0001-01-01T00:00:00+14:00", "format"),
    (("received_at",), "9999-12-31T23:59:59-12:00", "format"),
])
def test_impossible_dates_and_times_are_422(client, where, value, code):
    assert (pointer(where), code) in errors_with(client, where, value)


@pytest.mark.parametrize(("received_at", "due"), [
    ("2026-03-16T23:30:00+05:00", "2026-03-26"),  # late evening in Almaty: still the 16th
    ("2026-03-16T19:30:00Z", "2026-03-27"),  # 00:30 on the 17th in Almaty
    ("2026-03-17T03:00:00+14:00", "2026-03-26"),  # the 17th at +14:00 is the 16th in Almaty
    ("2026-03-16T23:00:00-12:00", "2026-03-27"),  # the 16th at -12:00 is the 17th in Almaty
    ("2026-03-15T23:59:59-12:00", "2026-03-26"),
    ("2026-03-16T10:00:00-00:00", "2026-03-26"),
])
def test_offsets_at_the_edges_give_the_receipt_day_in_almaty(client, received_at, due):
    answer = post(client, with_change(lambda p: p.update(received_at=received_at)))
    assert answer.status_code == 200 and answer.get_json()["decision_due"] == due


# --- headers and the query ----------------------------------------------------------


@pytest.mark.parametrize(("header", "language"), [
    ("en;q=0.1," * 5000, "en"),
    ("en;q=abc, kk;q=2, ru;q=-1", "kk"),
    ("*;q=0", "kk"),
    ("*", "kk"),
    ("қаз, рус;q=0.9", "kk"),
    ("kk;q=0, ru;q=0, en;q=0", "kk"),
    ("x" * 8000, "kk"),
    (";;;,,,q=1;q=0.5", "kk"),
    ("EN-gb;q=0.9, ru-RU;q=0.8", "en"),
])
def test_odd_accept_language_headers_fall_back_without_error(client, header, language):
    payload = with_change(lambda p: p.update(language="kk"))
    answer = post(client, payload, **{"Accept-Language": header})
    assert answer.status_code == 200 and answer.get_json()["language"] == language
    invalid = with_change(lambda p: p.update(language="kk", application_id=""))
    errors = post(client, invalid, **{"Accept-Language": header})
    assert ("/application_id", "too_short") in input_errors(errors, invalid)


@pytest.mark.parametrize("query", [
    "as_of=２０２６-03-20",
    "as_of=2026-03-2%D9%A0",
    "as_of=2026-03-20%00",
    "as_of=%FF%FE",
    "as_of=",
    "as_of=2026-3-20",
    "as_of=20260320",
    "as_of=2026-02-29",
])
def test_odd_as_of_values_are_400(client, query):
    problem_of(post(client, valid_application(), f"/api/v1/screenings?{query}"), 400, "bad-as-of")


def test_as_of_before_any_rule_set_is_400(client):
    problem_of(post(client, valid_application(), "/api/v1/screenings?as_of=0001-01-01"), 400,
               "no-ruleset-in-force")


@pytest.mark.parametrize("content_type", [
    "multipart/form-data; boundary=x", "application/json; charset=utf-16", "text/plain",
    "application/x-www-form-urlencoded", "application/json; charset=latin-1", "",
])
def test_other_content_types_are_415(client, content_type):
    body = json.dumps(valid_application(), ensure_ascii=False)
    data = body.encode("utf-16") if "utf-16" in content_type else body.encode()
    answer = client.post(URL, data=data, headers={"Content-Type": content_type} if content_type else {})
    problem_of(answer, 415, "unsupported-media-type")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "GET"])
def test_other_methods_are_405(client, method):
    answer = client.open(URL, method=method, data=b"{}", content_type="application/json")
    problem_of(answer, 405, "http-error")
    assert set(answer.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_head_and_options(client):
    head = client.head(URL)
    assert (head.status_code, head.data) == (405, b"")
    options = client.options(URL)
    assert options.status_code == 200 and {"POST", "OPTIONS"} <= set(options.headers["Allow"].split(", "))
    healthz = client.head("/healthz")
    assert (healthz.status_code, healthz.data) == (200, b"")


def test_a_declared_body_over_1_mib_is_413(client):
    answer = client.post(URL, data=b" " * (MIB + 1), content_type="application/json")
    problem_of(answer, 413, "too-large")


# --- on a real gunicorn: chunked bodies ------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Gunicorn(Path(tmp_path_factory.mktemp("hostile")), WORKERS="1", THREADS="2") as running:
        yield running


def _chunked(server, pieces) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("POST", URL, body=iter(pieces), encode_chunked=True,
                           headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


def test_a_chunked_body_over_1_mib_is_413(server):
    """Werkzeug stopped reading at the limit and the JSON parser then saw a cut body: 400 before."""
    status, body = _chunked(server, [b" " * 65536] * 16 + [b"{}"])
    assert (status, body["type"]) == (413, "urn:specreg:problem:too-large")


def test_a_chunked_body_of_exactly_1_mib_is_read(server):
    payload = json.dumps(valid_application(), ensure_ascii=False).encode()
    padded = payload + b" " * (MIB - len(payload))
    status, body = _chunked(server, [padded[i:i + 65536] for i in range(0, MIB, 65536)])
    assert status == 200, body
    assert body["application_id"] == "APP-2026.03-000123"


# --- bounded work: bodies built to be costly -------------------------------------------


@pytest.mark.parametrize("name", sorted(hostile_bodies.BODIES))
def test_a_costly_body_under_1_mib_is_a_small_4xx(client, name):
    """Each is answered as a contract breach (or a too-deep 400) whose answer stays small.

    Their CPU is measured by ``make bench`` (worst_body_cpu_ms), never asserted here.
    """
    body = hostile_bodies.bodies()[name]
    answer = client.post(URL, data=body, content_type="application/json")
    assert answer.status_code in (400, 422), answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/problem+json"
    assert len(answer.get_data()) < 64 * 1024
    document = answer.get_json()
    if answer.status_code == 422:
        assert 1 <= len(document["errors"]) <= 100
        assert document.get("errors_omitted", 0) + len(document["errors"]) >= len(document["errors"])


def test_150000_empty_documents_are_one_too_many_error():
    """The array over its maxItems is refused by that keyword alone: none of its items is walked."""
    payload = valid_application()
    payload["documents"] = [{}] * 150_000
    errors = PayloadValidator().errors(payload)
    assert [(e.pointer, e.code) for e in errors] == [("/documents", "too_many")]


def test_a_422_lists_100_errors_and_counts_the_rest(client):
    payload = valid_application()
    payload["specialist"].update({f"extra_{index:05d}": 0 for index in range(5000)})
    payload["specialist"]["iin"] = "x"
    answer = post(client, payload)
    body = problem_of(answer, 422, "invalid-application")
    assert len(body["errors"]) == 100
    assert body["errors_omitted"] == 5002 - 100  # with the IIN's pattern and too_short
    assert "5002" in body["detail"]
    pointers = [error["pointer"] for error in body["errors"]]
    assert pointers == [f"/specialist/extra_{index:05d}" for index in range(100)]


def test_unknown_keys_past_the_first_hundred_keep_pointer_order(client):
    """Numeric keys sort as numbers and before names, as every pointer token does."""
    payload = valid_application()
    payload.update({str(index): 0 for index in range(300, 0, -1)})
    payload.update({f"z{index}": 0 for index in range(300)})
    payload["application_id"] = "bad id"
    body = problem_of(post(client, payload), 422, "invalid-application")
    assert [error["pointer"] for error in body["errors"]] == [f"/{index}" for index in range(1, 101)]
    assert body["errors_omitted"] == 601 - 100


def test_a_422_with_few_errors_has_no_omitted_count(client):
    payload = with_change(lambda p: p.update(application_id=""))
    assert "errors_omitted" not in problem_of(post(client, payload), 422, "invalid-application")


@pytest.mark.parametrize("text", [
    '{"application_id": "' + "[" * 80 + '"}',
    '{"application_id": "\\\\\\"' + "{" * 80 + '"}',
    '{"a\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[": 1}',
], ids=["brackets-in-a-string", "after-an-escaped-quote", "in-a-key"])
def test_brackets_inside_strings_are_no_nesting(client, text):
    answer = client.post(URL, data=text.encode(), content_type="application/json")
    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
