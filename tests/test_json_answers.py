"""Answers are encoded by orjson (web/json_answers.py) into the bytes the standard encoder wrote.

The portal's clients parse the JSON, but a change of encoder must not change an
answer: every fixture answer over HTTP is the compact, UTF-8, in-order encoding
the standard library gives, and what orjson refuses still answers.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from payloads import valid_application
from specreg.compact_json import compact_json
from specreg.workbench.cases import load_cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = [case for path in sorted(FIXTURES.glob("*.yaml")) for case in load_cases(path)
         if isinstance(case.payload, dict)]


def standard(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_fixture_answer_is_the_standard_encoding(client, language):
    screened = 0
    for case in CASES:
        query = {"as_of": case.as_of or "2026-03-20", "explain": "full"}
        answer = client.post("/api/v1/screenings", query_string=query, json=case.payload,
                             headers={"Accept-Language": language})
        if answer.status_code == 200:
            screened += 1
            assert answer.data == standard(answer.get_json()) + b"\n", case.name
        else:  # a problem document: the standard encoder, as always
            assert answer.data == json.dumps(answer.get_json(), ensure_ascii=False).encode(), case.name
    assert screened > 100


def test_an_answer_keeps_cyrillic_and_kazakh_letters_as_utf8(screen):
    answer = screen(valid_application(), **{"Accept-Language": "kk"})
    assert answer.status_code == 200
    text = answer.data.decode("utf-8")
    assert "\\u" not in text
    assert any(letter in text for letter in "әғқңөұүһі")


def test_what_orjson_refuses_goes_to_the_standard_encoder():
    big = {"count": 2**70, "list": [1, "ә"]}  # beyond orjson's 64-bit integers
    assert compact_json(big) == standard(big)
    assert compact_json({"day": date(2026, 12, 1)}, default=date.isoformat) == b'{"day":"2026-12-01"}'
    with pytest.raises(TypeError):
        compact_json({"day": object()})


def test_a_problem_document_is_still_problem_json(client):
    answer = client.post("/api/v1/screenings", data=b"{", content_type="application/json")
    assert answer.status_code == 400
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["status"] == 400
