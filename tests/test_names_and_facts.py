"""Name normalisation and the date arithmetic of facts, against known values."""

from __future__ import annotations

from datetime import date

import pytest

from specreg.facts import anniversary, completed_years
from specreg.names import normalise_name
from specreg.paths import DEFAULT_RULES_DIR
from specreg.reference import ReferenceData
from specreg.rule_directory import RuleFiles


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("  Специалист   по социальной\tработе ", "специалист по социальной работе"),
        ("ПСИХОЛОГ", "психолог"),
        ("Учёт", "учет"),
        ("педагог–дефектолог", "педагог-дефектолог"),  # en dash
        ("педагог—дефектолог", "педагог-дефектолог"),  # em dash
        ("«Кәсіп»", '"кәсіп"'),
        ("ӘЛЕУМЕТТІК", "әлеуметтік"),
        ("е\u0308", "е"),  # e + combining diaeresis is ё after NFC, then е
    ],
)
def test_normalise_name(written, normal):
    assert normalise_name(written) == normal


@pytest.fixture(scope="module")
def classifier():
    return ReferenceData.from_files(RuleFiles(DEFAULT_RULES_DIR)).professions


def test_kazakh_and_russian_names_are_one_profession(classifier):
    assert classifier.match("Әлеуметтік жұмыс жөніндегі маман").id == "social_work_specialist"
    assert classifier.same_profession("әлеуметтік жұмыс жөніндегі маман", "Специалист по социальной работе")


def test_latin_homoglyph_does_not_match(classifier):
    assert classifier.match("психолог".replace("о", "o", 1)) is None  # Latin o


def test_names_outside_the_classifier_are_the_same_only_when_equal(classifier):
    assert classifier.same_profession("Водитель", " водитель ")
    assert not classifier.same_profession("водитель", "психолог")
    assert not classifier.same_profession("водитель", "сторож")


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [(date(2024, 2, 29), 3, date(2027, 2, 28)), (date(2024, 2, 29), 4, date(2028, 2, 29)),
     (date(2023, 6, 15), 3, date(2026, 6, 15))],
)
def test_anniversary(start, years, expected):
    assert anniversary(start, years) == expected


@pytest.mark.parametrize(
    ("start", "as_of", "years"),
    [
        (date(2023, 6, 15), date(2026, 6, 14), 2),
        (date(2023, 6, 15), date(2026, 6, 15), 3),
        (date(2024, 2, 29), date(2027, 2, 27), 2),
        (date(2024, 2, 29), date(2027, 2, 28), 3),
        (date(2024, 2, 29), date(2028, 2, 28), 3),
        (date(2024, 2, 29), date(2028, 2, 29), 4),
        (date(2026, 12, 1), date(2026, 11, 30), -1),
    ],
)
def test_completed_years(start, as_of, years):
    assert completed_years(start, as_of) == years
