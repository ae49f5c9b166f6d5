"""screening_vs_compiled_check: a whole screening over the compiled schema check it really runs.

Numerator: ``Screener.screen`` of the reference application, in process, as
the HTTP route calls it (normalisation, validation, loading, facts, rule
engine, decision, deadline). Denominator: the compiled schema check
(jsonschema-rs with our format functions, :mod:`specreg.compiled_schema`) of
the same normalised payload, the validation a valid payload goes through.
Goal <= 4.0.

The old figure, ``screening_vs_schema_floor`` (the ``jsonschema`` package's
whole walk, which valid payloads no longer take), is printed as a note.
"""

from __future__ import annotations

from figure import Figure
from timing import each_alone, side_by_side
from workload import Reference

from specreg.screening import Screener


def measure(screener: Screener, ref: Reference, rounds: int = 15) -> Figure:
    payload, day = ref.payload, ref.as_of
    normalised = screener.validator.normalise(payload)
    compiled = screener.validator.compiled_schema
    check = lambda: compiled.is_valid(normalised)  # noqa: E731  (what a valid payload is validated by)
    walk = lambda: screener.validator.schema_errors(normalised)  # noqa: E731  (jsonschema's walk)
    assert check() and not walk(), "the reference application must be valid"
    screen = lambda: screener.screen(payload, day)  # noqa: E731
    screening, compiled_check = side_by_side(screen, check, rounds=rounds)
    hot_screening, hot_check = each_alone(screen, check, rounds=rounds)
    _, floor = side_by_side(screen, walk, rounds=max(3, rounds // 3))
    return Figure("screening_vs_compiled_check", screening.best / compiled_check.best, "<=", 4.0, [
        f"reference application: fixture case {ref.name!r}, as_of {day.isoformat()}",
        f"Screener.screen: {screening}",
        f"compiled schema check alone (jsonschema-rs, our format functions): {compiled_check}",
        f"(each in a hot loop of its own instead of in turns: {hot_screening.best * 1e6:.0f} us "
        f"over {hot_check.best * 1e6:.0f} us, ratio {hot_screening.best / hot_check.best:.2f})",
        f"note, the retired screening_vs_schema_floor: the jsonschema package's whole walk {floor}; "
        f"screening over it {screening.best / floor.best:.2f}",
    ])
