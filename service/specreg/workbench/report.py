"""Text for people: the table of a test run and its coverage.

Lines are styled with ``click.style``; ``click.echo`` drops the colours when
the output is not a terminal, so a log or a pipe gets plain text.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from specreg.workbench.coverage import Coverage
from specreg.workbench.runner import CaseResult

_MAX_NAME = 64


def result_lines(results: list[CaseResult]) -> Iterator[str]:
    """One row per case; under a failing row, expected against got and the reasons' messages."""
    width = min(_MAX_NAME, max((len(r.case.name) for r in results), default=4))
    file_width = max((len(r.case.source.stem) for r in results), default=4)
    yield click.style(f"{'':4}  {'case':<{width}}  {'file':<{file_width}}  {'outcome':<8}  codes", bold=True)
    for result in results:
        yield _row(result, width, file_width)
        if not result.passed:
            yield from _failure(result)


def summary_line(results: list[CaseResult], seconds: float) -> str:
    failed = sum(1 for result in results if not result.passed)
    text = f"{len(results)} cases: {len(results) - failed} passed, {failed} failed ({seconds:.1f} s)"
    return click.style(text, fg="red" if failed else "green", bold=True)


def coverage_lines(coverage: Coverage, fail_under: float | None = None) -> Iterator[str]:
    """Rule coverage in one line, then what was never fired and which grounds no case showed."""
    covered = len(coverage.rules) - len(coverage.never_fired)
    colour = "green" if not coverage.never_fired else "yellow"
    if fail_under is not None and coverage.percent < fail_under:
        colour = "red"
    yield click.style(
        f"rule coverage: {covered} of {len(coverage.rules)} rules fired in at least one case "
        f"({coverage.percent:.1f}%)", fg=colour, bold=True,
    )
    for rule in coverage.never_fired:
        yield f"  never fired: {rule.rule_id} ({rule.code}, rule set {rule.version})"
    exercised = len(coverage.grounds) - len(coverage.grounds_not_exercised)
    yield f"ground coverage: {exercised} of {len(coverage.grounds)} grounds of p.9 exercised"
    for code in coverage.grounds_not_exercised:
        yield click.style(f"  no case exercises: {code}", fg="yellow")
    if fail_under is not None and coverage.percent < fail_under:
        yield click.style(f"rule coverage {coverage.percent:.1f}% is under --fail-under {fail_under:g}%",
                          fg="red", bold=True)


def _row(result: CaseResult, width: int, file_width: int) -> str:
    mark = click.style("pass", fg="green") if result.passed else click.style("FAIL", fg="red", bold=True)
    name = result.case.name if len(result.case.name) <= width else result.case.name[: width - 1] + "…"
    codes = ", ".join(result.codes) or "-"
    return f"{mark}  {name:<{width}}  {result.case.source.stem:<{file_width}}  {result.outcome:<8}  {codes}"


def _failure(result: CaseResult) -> Iterator[str]:
    expect = result.case.expect
    want = expect.get("outcome", expect.get("status", 200))
    yield f"      expected: {want} {expect.get('codes', '')}".rstrip()
    yield f"      got:      {result.outcome} {result.codes if result.status == 200 else ''}".rstrip()
    for problem in result.problems:
        yield click.style(f"      - {problem}", fg="red")
    for message in result.messages:
        yield f"      reason {message}"
