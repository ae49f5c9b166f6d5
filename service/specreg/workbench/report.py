"""Text for people: the table of a test run and its coverage, in the reader's language.

Every word comes from ``rules/messages/cli.yaml`` through :class:`specreg.workbench.texts.Texts`;
a code appears with its label, a day as the language writes it. Lines are
styled with ``click.style``; ``click.echo`` drops the colours when the output
is not a terminal, so a log or a pipe gets plain text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from specreg.workbench.cases import Difference
from specreg.workbench.coverage import Coverage
from specreg.workbench.runner import CaseResult
from specreg.workbench.texts import Texts

_MAX_NAME = 64


def result_lines(results: list[CaseResult], texts: Texts) -> Iterator[str]:
    """One row per case; under a failing row, expected against got and the reasons' messages."""
    width = min(_MAX_NAME, max((len(r.case.name) for r in results), default=4))
    file_width = max((len(r.case.source.stem) for r in results), default=4)
    mark_width = max(len(texts("pass")), len(texts("fail")))
    head = (f"{'':{mark_width}}  {texts('column_case'):<{width}}  {texts('column_file'):<{file_width}}  "
            f"{texts('column_outcome'):<8}  {texts('column_codes')}")
    yield click.style(head, bold=True)
    for result in results:
        yield _row(result, width, file_width, mark_width, texts)
        if not result.passed:
            yield from _failure(result, texts)


def summary_line(results: list[CaseResult], seconds: float, texts: Texts) -> str:
    failed = sum(1 for result in results if not result.passed)
    text = texts("test_summary", total=len(results), passed=len(results) - failed, failed=failed,
                 seconds=f"{seconds:.1f}")
    return click.style(text, fg="red" if failed else "green", bold=True)


def coverage_lines(coverage: Coverage, texts: Texts, fail_under: float | None = None) -> Iterator[str]:
    """Rule coverage in one line, then what was never fired and which grounds no case showed."""
    covered = len(coverage.rules) - len(coverage.never_fired)
    colour = "green" if not coverage.never_fired else "yellow"
    under = fail_under is not None and coverage.percent < fail_under
    if under:
        colour = "red"
    yield click.style(texts("rule_coverage", covered=covered, total=len(coverage.rules),
                            percent=f"{coverage.percent:.1f}"), fg=colour, bold=True)
    for rule in coverage.never_fired:
        yield texts("never_fired", rule=rule.rule_id, code=texts.label(rule.code), version=rule.version)
    exercised = len(coverage.grounds) - len(coverage.grounds_not_exercised)
    yield texts("ground_coverage", exercised=exercised, total=len(coverage.grounds))
    for code in coverage.grounds_not_exercised:
        yield click.style(texts("no_case_exercises", code=texts.label(code)), fg="yellow")
    if under:
        text = texts("under_fail_under", percent=f"{coverage.percent:.1f}", limit=f"{fail_under:g}")
        yield click.style(text, fg="red", bold=True)


def difference_text(difference: Difference, texts: Texts) -> str:
    """One difference in the reader's words: ``итог: ожидалось return (вернуть ...), получено ...``."""
    expected, got = (_value(difference.key, value, texts) for value in (difference.expected, difference.got))
    if difference.code is not None:
        return texts("difference_of", field=texts.name(difference.key), code=texts.label(difference.code),
                     expected=expected, got=got)
    return texts("difference", field=texts.name(difference.key), expected=expected, got=got)


def _value(key: str, value: Any, texts: Texts) -> str:
    if key in ("outcome", "codes"):
        return texts.codes(value) if isinstance(value, list) else texts.label(value)
    if key in ("decision_due", "as_of"):
        return texts.day(value)
    if key == "warnings" and isinstance(value, list):
        return texts.codes([w["code"] if isinstance(w, dict) else w for w in value])
    return str(value)


def _row(result: CaseResult, width: int, file_width: int, mark_width: int, texts: Texts) -> str:
    word = texts("pass") if result.passed else texts("fail")
    mark = click.style(f"{word:<{mark_width}}", fg="green" if result.passed else "red",
                       bold=not result.passed)
    name = result.case.name if len(result.case.name) <= width else result.case.name[: width - 1] + "…"
    codes = texts.codes(result.codes) if result.codes else "-"
    return (f"{mark}  {name:<{width}}  {result.case.source.stem:<{file_width}}  "
            f"{texts.label(result.outcome):<8}  {codes}")


def _failure(result: CaseResult, texts: Texts) -> Iterator[str]:
    expect = result.case.expect
    want = expect.get("outcome", expect.get("status", 200))
    want_codes = texts.codes(expect["codes"]) if "codes" in expect else ""
    got_codes = texts.codes(result.codes) if result.status == 200 else ""
    yield f"      {texts('expected')} {texts.label(want)} {want_codes}".rstrip()
    yield f"      {texts('got')} {texts.label(result.outcome)} {got_codes}".rstrip()
    for problem in result.problems:
        yield click.style(f"      - {difference_text(problem, texts)}", fg="red")
    for reason in result.reasons:
        yield f"      {texts('reason')} {texts.label(reason['code'])}: {reason['message']}"
