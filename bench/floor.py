"""screening_vs_schema_floor: a whole screening over validating the same payload.

Numerator: ``Screener.screen`` of the reference application, in process, as
the HTTP route calls it (validation and normalisation, loading, facts, rule
engine, decision, deadline). Denominator, as the issue defines it: the JSON
Schema validation alone of the same payload by the ``jsonschema`` package,
with the validator object ``PayloadValidator`` builds (its formats, patterns
and inlined references; ``schema_errors``, the whole walk). Goal <= 2.

Since the service settles valid payloads with the compiled schema
(jsonschema-rs, :mod:`specreg.compiled_schema`) and walks with ``jsonschema``
only the invalid ones, the screening no longer contains the denominator: the
notes also print the compiled check alone and the ratio over it, so the
figure is read for what it is (a screening against the cost of validating in
pure Python, not "everything after validation" any more).
"""

from __future__ import annotations

from figure import Figure
from timing import each_alone, side_by_side
from workload import Reference

from specreg.screening import Screener


def measure(screener: Screener, ref: Reference) -> Figure:
    payload, day = ref.payload, ref.as_of
    normalised = screener.validator.normalise(payload)
    compiled = screener.validator.compiled_schema
    validate = lambda: screener.validator.schema_errors(normalised)  # noqa: E731  (jsonschema's walk)
    assert not validate() and compiled.is_valid(normalised), "the reference application must be valid"
    screen = lambda: screener.screen(payload, day)  # noqa: E731
    screening, floor = side_by_side(screen, validate)
    hot_screening, hot_floor = each_alone(screen, validate)
    _, compiled_check = side_by_side(screen, lambda: compiled.is_valid(normalised))
    return Figure("screening_vs_schema_floor", screening.best / floor.best, "<=", 2.0, [
        f"reference application: fixture case {ref.name!r}, as_of {day.isoformat()}",
        f"Screener.screen: {screening}",
        f"schema validation alone (jsonschema package): {floor}",
        f"(each in a hot loop of its own instead of in turns: {hot_screening.best * 1e6:.0f} us "
        f"over {hot_floor.best * 1e6:.0f} us, ratio {hot_screening.best / hot_floor.best:.2f})",
        f"the check the screening runs, the compiled schema (jsonschema-rs, our format functions): "
        f"{compiled_check}; screening over it: {screening.best / compiled_check.best:.1f}",
    ])
