"""screening_vs_schema_floor: a whole screening over validating the same payload.

Numerator: ``Screener.screen`` of the reference application, in process, as
the HTTP route calls it (validation and normalisation, loading, facts, rule
engine, decision, deadline). Denominator: the JSON Schema validation alone of
the same payload, by the very validator object the screener uses
(``PayloadValidator``'s compiled jsonschema validator, ``iter_errors`` run to
the end). Goal <= 2: everything after validation costs no more than it does.
"""

from __future__ import annotations

from figure import Figure
from timing import each_alone, side_by_side
from workload import Reference

from specreg.screening import Screener


def measure(screener: Screener, ref: Reference) -> Figure:
    payload, day = ref.payload, ref.as_of
    normalised = screener.validator.normalise(payload)
    validator = screener.validator._validator  # the compiled validator PayloadValidator.check runs
    assert not list(validator.iter_errors(normalised)), "the reference application must be valid"
    screen = lambda: screener.screen(payload, day)  # noqa: E731
    validate = lambda: list(validator.iter_errors(normalised))  # noqa: E731
    screening, floor = side_by_side(screen, validate)
    hot_screening, hot_floor = each_alone(screen, validate)
    return Figure("screening_vs_schema_floor", screening.best / floor.best, "<=", 2.0, [
        f"reference application: fixture case {ref.name!r}, as_of {day.isoformat()}",
        f"Screener.screen: {screening}",
        f"schema validation alone: {floor}",
        f"(each in a hot loop of its own instead of in turns: {hot_screening.best * 1e6:.0f} us "
        f"over {hot_floor.best * 1e6:.0f} us, ratio {hot_screening.best / hot_floor.best:.2f})",
    ])
