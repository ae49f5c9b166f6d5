"""The rule workbench from the terminal: ``specreg test``, ``specreg diff``, ``specreg lint``.

Exit status, the same scheme for the three commands:

* 0: all is well (every case passed; no change between the rule sets; no
  lint error);
* 1: the check found something (a case failed; ``diff``: some case changed;
  ``lint``: an error in the rule directory);
* 2: the command could not run (bad option, unreadable fixture file, a rule
  directory that does not load, an unknown rule set version);
* 3: ``test`` only: every case passed but rule coverage is under
  ``--fail-under``.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import click
from tqdm import tqdm

from specreg.calendar import today_in_almaty
from specreg.cases import CaseFileError, collect_cases
from specreg.cli.options import as_of_day
from specreg.data_files import DataFileError
from specreg.paths import DEFAULT_FIXTURES_DIR, DEFAULT_RULES_DIR
from specreg.screening import Screener, UnknownRuleSet
from specreg.workbench import lint as linting
from specreg.workbench import replay
from specreg.workbench.coverage import measure
from specreg.workbench.impact_report import impact_lines, write_impact_json
from specreg.workbench.junit import write_junit
from specreg.workbench.report import coverage_lines, result_lines, summary_line
from specreg.workbench.runner import run_cases
from specreg.workbench.selection import BadKeywordExpression, keyword_filter
from specreg.workbench.sources import count_items, items_of

EXIT_FOUND, EXIT_CANNOT_RUN, EXIT_UNDER_COVERAGE = 1, 2, 3
_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


class CannotRun(click.ClickException):
    """The command could not run at all (exit 2, like a usage error)."""

    exit_code = EXIT_CANNOT_RUN


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--rules", type=_DIR, default=DEFAULT_RULES_DIR, envvar="SPECREG_RULES_DIR",
              help="The rule directory to test (default: $SPECREG_RULES_DIR or rules/).")
@click.option("--ruleset", "version", help="Screen every case under this rule set version (a draft, say); "
              "coverage then counts that version's rules only.")
@click.option("-k", "keyword", help="Only cases whose name, file or tags match, e.g. 'term and not invalid'.")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), help="Also write JUnit XML here.")
@click.option("--fail-under", type=click.FloatRange(0, 100), help="Exit 3 when rule coverage is under PCT.")
def test(paths: tuple[Path, ...], rules: Path, version: str | None, keyword: str | None,
         junit: Path | None, fail_under: float | None) -> None:
    """Run fixture cases (default: fixtures/) and report each case and the rule coverage."""
    cases = _cases(paths, keyword)
    screener = _screener(rules)
    try:
        rulesets = [screener.ruleset_named(version)] if version else list(screener.rulesets)
    except UnknownRuleSet as error:
        raise CannotRun(f"the rule directory holds no rule set version {version!r}") from error
    started = time.perf_counter()
    results = list(run_cases(screener, cases, version))
    for line in result_lines(results):
        click.echo(line)
    click.echo(summary_line(results, time.perf_counter() - started))
    coverage = measure(results, rulesets)
    for line in coverage_lines(coverage, fail_under):
        click.echo(line)
    if junit:
        write_junit(results, junit)
    if any(not result.passed for result in results):
        sys.exit(EXIT_FOUND)
    if fail_under is not None and coverage.percent < fail_under:
        sys.exit(EXIT_UNDER_COVERAGE)


def _cases(paths: tuple[Path, ...], keyword: str | None) -> list:
    try:
        cases = collect_cases(list(paths) or [DEFAULT_FIXTURES_DIR])
        chosen = keyword_filter(keyword) if keyword else None
    except (CaseFileError, BadKeywordExpression) as error:
        raise CannotRun(str(error)) from error
    return [case for case in cases if chosen is None or chosen(case)]


def _screener(rules: Path) -> Screener:
    try:
        return Screener.from_directory(rules)
    except DataFileError as error:
        raise CannotRun(f"the rule directory does not load: {error}") from error



@click.command("diff")
@click.argument("cases", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option("--base", "base_dir", type=_DIR, required=True, help="The rule directory in force.")
@click.option("--candidate", "candidate_dir", type=_DIR, required=True, help="The changed rule directory.")
@click.option("--base-ruleset", help="Hold the base to this rule set version (default: by date).")
@click.option("--candidate-ruleset", help="Hold the candidate to this rule set version (default: by date).")
@click.option("--as-of", "as_of", callback=as_of_day,
              help="The day for cases that name none (default: today).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of text.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes screening in parallel (for large JSONL files).")
def diff(cases: tuple[Path, ...], base_dir: Path, candidate_dir: Path, base_ruleset: str | None,
         candidate_ruleset: str | None, as_of: date | None, as_json: bool, workers: int) -> None:
    """Screen the same cases (fixture files, directories, or JSONL of applications; default:
    fixtures/) under two rule directories and report what changed."""
    paths = list(cases) or [DEFAULT_FIXTURES_DIR]
    base = replay.SideSpec(base_dir, base_ruleset)
    candidate = replay.SideSpec(candidate_dir, candidate_ruleset)
    sides = [_side(base, "--base"), _side(candidate, "--candidate")]
    day = as_of or today_in_almaty()
    try:
        total = count_items(paths)
        with tqdm(total=total, unit="case", file=sys.stderr, disable=None, mininterval=0.5) as bar:
            items = items_of(paths, sys.stdin)
            if workers > 1:
                impact = replay.replay_parallel(items, base, candidate, day, workers, bar.update)
            else:
                impact = replay.replay(items, *sides, day, bar.update)
    except (CaseFileError, OSError, UnicodeDecodeError) as error:
        raise CannotRun(str(error)) from error
    if as_json:
        write_impact_json(impact, sys.stdout, str(base_dir), str(candidate_dir))
    else:
        for line in impact_lines(impact, str(base_dir), str(candidate_dir)):
            click.echo(line)
    changed = impact.changed
    impact.close()
    sys.exit(EXIT_FOUND if changed else 0)


def _side(spec: replay.SideSpec, option: str) -> replay.Side:
    """Build a side here, first: a broken directory or unknown version stops before any work."""
    try:
        side = spec.build()
        if spec.version:
            side.screener.ruleset_named(spec.version)
    except DataFileError as error:
        raise CannotRun(f"{option}: the rule directory does not load: {error}") from error
    except UnknownRuleSet as error:
        raise CannotRun(f"{option}: {error}; the versions are {', '.join(error.known)}") from error
    return side


@click.command("lint")
@click.argument("directory", required=False, type=_DIR)
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of text.")
def lint(directory: Path | None, as_json: bool) -> None:
    """Check a rule directory (default: the one in force) before it is deployed."""
    directory = directory or DEFAULT_RULES_DIR
    findings = linting.lint_directory(directory)
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings = len(findings) - errors
    if as_json:
        click.echo(json.dumps({"directory": str(directory), "errors": errors, "warnings": warnings,
                               "findings": [f.as_json() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(click.style(str(finding), fg="red" if finding.severity == "error" else "yellow"))
        files = linting.checked_files(directory)
        verdict = f"{errors} error(s), {warnings} warning(s)" if findings else "no problems found"
        click.echo(click.style(f"{directory}: {verdict} ({files} files checked)", bold=True,
                               fg="red" if errors else "green"))
    sys.exit(EXIT_FOUND if errors else 0)
