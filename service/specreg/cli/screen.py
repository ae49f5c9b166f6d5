"""``specreg screen``: screen an application file from the terminal.

``specreg screen FILE [--as-of YYYY-MM-DD] [--lang kk|ru|en] [--ruleset VERSION] [--rules DIR]``
prints the same JSON the HTTP API answers (``-`` reads standard input). The
answer's language is ``--lang``, else the application's own, as for the API;
the language of an error line is ``--lang``, else LANG's. Exit status
(:mod:`specreg.cli.exits`): 0 register, 1 return or refuse, 4 the
application was answered with a problem document (bad JSON, a contract
breach, a previous refusal or registration, no rule set in force; printed),
2 an unknown ``--ruleset`` (its problem document is printed) or another
usage error, 5 the file or the rule directory cannot be read.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from specreg.cli.exits import CannotRun, Exit
from specreg.cli.help import LocalisedCommand
from specreg.cli.options import as_of_option, human_texts, input_file, rules_option, ruleset_option
from specreg.jsonbody import BadRequestBody, declared_language, parse_json
from specreg.problems import problem_body
from specreg.reference import LANGUAGES, DataFileError
from specreg.registry import RegistryForm, entry_for
from specreg.response import dump_decision
from specreg.resubmission import ResubmissionConflict, screen_resubmission
from specreg.screening import InvalidApplication, NoRuleSetInForce, Screener, UnknownRuleSet
from specreg.validation import localise


@click.command(cls=LocalisedCommand)
@input_file("file")
@as_of_option()
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="The answer's language (default: the application's); also of error lines.")
@rules_option()
@ruleset_option()
def screen(file: Path, as_of: date | None, lang: str | None, rules: Path | None,
           version: str | None) -> None:
    """Screen one application (a JSON FILE, or - for standard input) and print the answer."""
    body = _read(file, lang)
    try:
        screener = Screener.from_directory(rules)
        form = RegistryForm.load(rules)
    except DataFileError as error:
        raise CannotRun(human_texts(lang)("rules_do_not_load", error=error)) from error
    try:
        payload = parse_json(body)
        language = lang or declared_language(payload)
        screening, resubmission = screen_resubmission(screener, payload, as_of, version)
    except BadRequestBody as error:
        _emit(problem_body(error.kind, lang or "ru", **error.params), Exit.NOT_SCREENED)
    except InvalidApplication as invalid:
        language = lang or declared_language(payload)
        errors = [{"pointer": e.pointer, "code": e.code, "message": localise(e, language)}
                  for e in invalid.errors]
        document = problem_body("invalid-application", language, count=len(errors)) | {"errors": errors}
        _emit(document, Exit.NOT_SCREENED)
    except NoRuleSetInForce as missing:
        _emit(problem_body("no-ruleset-in-force", lang or "ru", as_of=missing.as_of.isoformat()),
              Exit.NOT_SCREENED)
    except UnknownRuleSet as unknown:
        _emit(problem_body("unknown-ruleset", lang or "ru", known=", ".join(unknown.known)), Exit.USAGE)
    except ResubmissionConflict as conflict:
        _emit(problem_body(conflict.kind, language), Exit.NOT_SCREENED)
    entry = entry_for(screening, form, screener.reference)
    outcome = screening.decision.outcome
    _emit(dump_decision(screening.decision, language, entry, resubmission),
          Exit.DONE if outcome == "register" else Exit.FOUND)


def _read(file: Path, lang: str | None) -> bytes:
    try:
        return sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as error:
        texts = human_texts(lang)
        raise CannotRun(texts("cannot_read", path=file, reason=texts.os_reason(error))) from error


def _emit(document: dict, status: int) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    sys.exit(status)
