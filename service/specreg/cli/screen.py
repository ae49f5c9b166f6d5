"""``specreg screen``: screen an application file from the terminal.

``specreg screen FILE [--as-of DAY] [--lang kk|ru|en] [--ruleset VERSION]``
prints the same JSON the HTTP API answers. Exit status: 0 screened, 2 the file breaks the
contract or names a previous refusal or registration (p.10; the problem
document is printed), 1 the file cannot be read.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from specreg.cli.options import as_of_day
from specreg.jsonbody import BadRequestBody, declared_language, parse_json
from specreg.problems import invalid_application_body, problem_body
from specreg.reference import LANGUAGES, DataFileError
from specreg.registry import RegistryForm, entry_for
from specreg.response import dump_decision
from specreg.resubmission import ResubmissionConflict, screen_resubmission
from specreg.screening import InvalidApplication, NoRuleSetInForce, Screener, UnknownRuleSet


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--as-of", "as_of", callback=as_of_day,
              help="The day to answer for (default: today in Almaty).")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Message language (default: the application's).")
@click.option("--rules", "rules", type=click.Path(file_okay=False, path_type=Path), help="Rule directory.")
@click.option("--ruleset", "version", help="A rule set version by name (default: the one in force).")
def screen(file: Path, as_of: date | None, lang: str | None, rules: Path | None,
           version: str | None) -> None:
    """Screen one application (a JSON file, or - for standard input)."""
    try:
        body = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        screener = Screener.from_directory(rules)
        form = RegistryForm.load(rules)
    except (OSError, DataFileError) as error:
        raise click.ClickException(str(error)) from error
    try:
        payload = parse_json(body)
        language = lang or declared_language(payload)
        screening, resubmission = screen_resubmission(screener, payload, as_of, version)
    except BadRequestBody as error:
        _emit(problem_body(error.kind, lang or "ru", **error.params), status=2)
    except InvalidApplication as invalid:
        language = lang or declared_language(payload)
        _emit(invalid_application_body(invalid.errors, language, invalid.unlisted), 2)
    except NoRuleSetInForce as missing:
        _emit(problem_body("no-ruleset-in-force", lang or "ru", as_of=missing.as_of.isoformat()), 2)
    except UnknownRuleSet as unknown:
        _emit(problem_body("unknown-ruleset", lang or "ru", known=", ".join(unknown.known)), 2)
    except ResubmissionConflict as conflict:
        _emit(problem_body(conflict.kind, language), 2)
    entry = entry_for(screening, form, screener.reference)
    _emit(dump_decision(screening.decision, language, entry, resubmission), status=0)


def _emit(document: dict, status: int) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    sys.exit(status)
