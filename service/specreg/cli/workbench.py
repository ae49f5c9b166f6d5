"""The rule workbench from the terminal: ``specreg test``, ``specreg diff``, ``specreg lint``.

Exit status (the table of every command, :mod:`specreg.cli.exits`):

* 0: all is well (every case passed; no change between the rule sets; no
  lint error);
* 1: the check found something (a case failed, or ``test``'s rule coverage
  is under ``--fail-under``; ``diff``: some case changed; ``lint``: an error
  in the rule directory);
* 2: a usage error (bad option, an unknown rule set version, a bad ``-k``);
* 5: the command could not run (an unreadable fixture or JSONL file, a rule
  directory that does not load).

Human output is in ``--lang``, else LANG's language, else English; ``--json``
output keeps the bare codes.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import click
from tqdm import tqdm

from specreg.calendar import today_in_almaty
from specreg.cli.exits import BadUsage, CannotRun, Exit
from specreg.cli.help import LocalisedCommand
from specreg.cli.options import as_of_option, chosen_language, human_texts
from specreg.data_files import DataFileError
from specreg.i18n import LANGUAGES
from specreg.paths import DEFAULT_FIXTURES_DIR, DEFAULT_RULES_DIR
from specreg.rulecheck import lint as linting
from specreg.screening import Screener, UnknownRuleSet
from specreg.workbench import replay
from specreg.workbench.cases import CaseFileError, collect_cases
from specreg.workbench.coverage import measure
from specreg.workbench.impact_report import impact_lines, write_impact_json
from specreg.workbench.junit import write_junit
from specreg.workbench.report import coverage_lines, result_lines, summary_line
from specreg.workbench.runner import CaseResult, run_case, run_cases
from specreg.workbench.selection import BadKeywordExpression, keyword_filter
from specreg.workbench.sources import count_items, items_of
from specreg.workbench.texts import Texts
from specreg.worker_pool import WorkerDied

_DIR = click.Path(file_okay=False, path_type=Path)
_PATH = click.Path(path_type=Path, allow_dash=True)
_lang = click.option("--lang", type=click.Choice(LANGUAGES),
                     help="The language of the report (default: LANG's, else en).")


@click.command("test", cls=LocalisedCommand)
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=_PATH)
@click.option("--rules", metavar="DIR", type=_DIR, default=DEFAULT_RULES_DIR, envvar="SPECREG_RULES_DIR",
              help="The rule directory to test (default: $SPECREG_RULES_DIR, else rules/).")
@click.option("--ruleset", "version", metavar="VERSION",
              help="Screen every case under this rule set version (a draft, say); the coverage then "
                   "counts its rules only.")
@click.option("-k", "keyword", metavar="EXPR",
              help="Only cases whose name, file or tags match, e.g. 'term and not invalid'.")
@click.option("--junit", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write JUnit XML here.")
@click.option("--fail-under", metavar="PCT", type=click.FloatRange(0, 100),
              help="Exit 1 when rule coverage is under PCT per cent.")
@_lang
def test(paths: tuple[Path, ...], rules: Path, version: str | None, keyword: str | None,
         junit: Path | None, fail_under: float | None, lang: str | None) -> None:
    """Run fixture cases (files or directories, - for standard input; default: fixtures/)
    and report each case and the rule coverage."""
    texts = human_texts(lang)
    with tempfile.TemporaryDirectory(prefix="specreg-test-") as spool:
        cases = _cases([_spooled(path, Path(spool)) for path in paths], keyword, texts)
    client = _client(rules, texts)
    known = [r.version for r in client.rulesets]
    if version and version not in known:
        raise BadUsage(texts("unknown_version", version=version, known=", ".join(known)))
    rulesets = [client.ruleset_named(version)] if version else list(client.rulesets)
    started = time.perf_counter()
    results = list(run_cases(client, cases, version))
    shown = _in_readers_language(client, results, version, chosen_language(lang))
    for line in result_lines(shown, texts):
        click.echo(line)
    click.echo(summary_line(results, time.perf_counter() - started, texts))
    coverage = measure(results, rulesets)  # a version's coverage counts its rules only
    for line in coverage_lines(coverage, texts, fail_under):
        click.echo(line)
    if junit:
        write_junit(results, junit)
    under = fail_under is not None and coverage.percent < fail_under
    sys.exit(Exit.FOUND if under or any(not result.passed for result in results) else Exit.DONE)


def _in_readers_language(client, results: list[CaseResult], version: str | None,
                         language: str | None) -> list[CaseResult]:
    """The failing cases screened again in the reader's language, for their reasons' messages.

    A case is judged in its own language (its ``accept_language``); what a person reads
    under a failure is in theirs. Passing cases show no message, so only failures rerun.
    """
    if language is None:
        return results
    again = []
    for result in results:
        if result.passed or result.case.accept_language == language:
            again.append(result)
            continue
        translated = run_case(client, dataclasses.replace(result.case, accept_language=language), version)
        again.append(dataclasses.replace(result, body=translated.body))
    return again


def _spooled(path: Path, spool: Path) -> Path:
    """``-``: the fixture file on standard input, in a file (cases name their file), beside
    the shipped base applications (a case names its base, found next to its file)."""
    if str(path) != "-":
        return path
    target = spool / "stdin.yaml"
    target.write_bytes(sys.stdin.buffer.read())
    (spool / "bases").symlink_to(DEFAULT_FIXTURES_DIR / "bases", target_is_directory=True)
    return target


def _cases(paths: list[Path], keyword: str | None, texts: Texts) -> list:
    try:
        chosen = keyword_filter(keyword) if keyword else None
    except BadKeywordExpression as error:
        raise BadUsage(texts("bad_keyword", error=error)) from error
    for path in paths:
        if not path.exists():
            raise CannotRun(texts("cannot_read", path=path, reason=texts("os_not_found")))
    try:
        cases = collect_cases(paths or [DEFAULT_FIXTURES_DIR])
    except CaseFileError as error:
        raise CannotRun(texts("fixtures_unreadable", error=error)) from error
    return [case for case in cases if chosen is None or chosen(case)]


def _client(rules: Path, texts: Texts) -> Screener:
    try:
        return Screener.from_directory(rules)
    except DataFileError as error:
        raise CannotRun(texts("rules_do_not_load", error=texts.data_file_error(error))) from error


@click.command("diff", cls=LocalisedCommand)
@click.argument("cases", nargs=-1, metavar="[CASES]...", type=_PATH)
@click.option("--base", "base_dir", metavar="DIR", type=_DIR, required=True,
              help="The rule directory in force.")
@click.option("--candidate", "candidate_dir", metavar="DIR", type=_DIR, required=True,
              help="The changed rule directory.")
@click.option("--base-ruleset", metavar="VERSION",
              help="Hold the base to this rule set version (default: by date).")
@click.option("--candidate-ruleset", metavar="VERSION",
              help="Hold the candidate to this rule set version (default: by date).")
@as_of_option("The day for cases that name none (default: today in Almaty).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of text.")
@click.option("--workers", metavar="N", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes screening in parallel (for large JSONL files).")
@_lang
def diff(cases: tuple[Path, ...], base_dir: Path, candidate_dir: Path, base_ruleset: str | None,
         candidate_ruleset: str | None, as_of: date | None, as_json: bool, workers: int,
         lang: str | None) -> None:
    """Screen the same cases (fixture files, directories, or JSONL of applications, - for
    standard input; default: fixtures/) under two rule directories and report what changed."""
    texts = human_texts(lang)
    paths = list(cases) or [DEFAULT_FIXTURES_DIR]
    for path in paths:
        if str(path) != "-" and not path.exists():
            raise CannotRun(texts("cannot_read", path=path, reason=texts("os_not_found")))
    base = replay.SideSpec(base_dir, base_ruleset)
    candidate = replay.SideSpec(candidate_dir, candidate_ruleset)
    sides = [_side(base, "--base", texts), _side(candidate, "--candidate", texts)]
    day = as_of or today_in_almaty()
    language = chosen_language(lang)
    try:
        total = count_items(paths)
        with tqdm(total=total, unit=texts("unit_case"), desc=texts("progress_comparing"), file=sys.stderr,
                  disable=None, mininterval=0.5) as bar:
            items = items_of(paths, sys.stdin)
            if language is not None and not as_json:  # messages in the reader's language
                items = (dataclasses.replace(item, accept_language=language) for item in items)
            if workers > 1:
                impact = replay.replay_parallel(items, base, candidate, day, workers, bar.update)
            else:
                impact = replay.replay(items, *sides, day, bar.update)
    except (CaseFileError, OSError, UnicodeDecodeError) as error:
        raise CannotRun(texts("fixtures_unreadable", error=error)) from error
    except WorkerDied as error:  # killed (out of memory, a signal): half a comparison is no report
        raise CannotRun(texts("diff_worker_died")) from error
    if as_json:
        write_impact_json(impact, sys.stdout, str(base_dir), str(candidate_dir))
    else:
        for line in impact_lines(impact, str(base_dir), str(candidate_dir), texts):
            click.echo(line)
    changed = impact.changed
    impact.close()
    sys.exit(Exit.FOUND if changed else Exit.DONE)


def _side(spec: replay.SideSpec, option: str, texts: Texts) -> replay.Side:
    """Build a side here, first: a broken directory or unknown version stops before any work."""
    try:
        side = spec.build()
        if spec.version:
            side.screener.ruleset_named(spec.version)
    except DataFileError as error:
        raise CannotRun(texts("side_rules_do_not_load", option=option,
                                   error=texts.data_file_error(error))) from error
    except UnknownRuleSet as error:
        raise BadUsage(texts("side_unknown_version", option=option, version=spec.version,
                             known=", ".join(error.known))) from error
    return side


@click.command("lint", cls=LocalisedCommand)
@click.argument("directory", required=False, metavar="[DIR]", type=_DIR)
@click.option("--rules", metavar="DIR", type=_DIR,
              help="The rule directory to check (default: the one in force).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of text.")
@_lang
def lint(directory: Path | None, rules: Path | None, as_json: bool, lang: str | None) -> None:
    """Check a rule directory (--rules DIR; default: the one in force) before it is deployed.

    The positional DIR is the older spelling of --rules DIR, kept for scripts (deprecated).
    """
    texts = human_texts(lang)
    if directory is not None:
        click.echo(texts("deprecated_lint_directory"), err=True)
    directory = rules or directory or DEFAULT_RULES_DIR
    if not directory.is_dir():
        raise CannotRun(texts("cannot_read", path=directory, reason=texts("os_not_found")))
    findings = linting.lint_directory(directory)
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings = len(findings) - errors
    if as_json:
        click.echo(json.dumps({"directory": str(directory), "errors": errors, "warnings": warnings,
                               "findings": [f.as_json() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(click.style(texts.finding(finding),
                                   fg="red" if finding.severity == "error" else "yellow"))
        files = linting.checked_files(directory)
        verdict = (texts("lint_verdict", directory=directory, errors=errors, warnings=warnings, files=files)
                   if findings else texts("lint_clean", directory=directory, files=files))
        click.echo(click.style(verdict, bold=True, fg="red" if errors else "green"))
    sys.exit(Exit.FOUND if errors else Exit.DONE)
