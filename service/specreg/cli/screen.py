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

from specreg.answering import Question, answer
from specreg.cli.exits import CannotRun, Exit
from specreg.cli.help import LocalisedCommand
from specreg.cli.options import as_of_option, human_texts, input_file, rules_option, ruleset_option
from specreg.data_files import DataFileError
from specreg.i18n import LANGUAGES
from specreg.screening import Screener


@click.command(cls=LocalisedCommand)
@input_file("file")
@as_of_option()
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="The answer's language (default: the application's); also of error lines.")
@rules_option()
@ruleset_option()
def screen(file: Path, as_of: date | None, lang: str | None, rules: Path,
           version: str | None) -> None:
    """Screen one application (a JSON FILE, or - for standard input) and print the answer."""
    body = _read(file, lang)
    try:
        screener = Screener.from_directory(rules)
    except DataFileError as error:
        texts = human_texts(lang)
        raise CannotRun(texts("rules_do_not_load", error=texts.data_file_error(error))) from error
    given = answer(screener, Question(body, as_of, version, lang))
    _emit(given.body, _status(given.status, given.body))


def _status(status: int, body: dict) -> Exit:
    """The exit status of an answer: the table of :mod:`specreg.cli.exits`."""
    if status == 200:
        return Exit.DONE if body["outcome"] == "register" else Exit.FOUND
    if body.get("type", "").endswith(":unknown-ruleset"):
        return Exit.USAGE
    return Exit.NOT_SCREENED


def _read(file: Path, lang: str | None) -> bytes:
    try:
        return sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as error:
        texts = human_texts(lang)
        raise CannotRun(texts("cannot_read", path=file, reason=texts.os_reason(error))) from error


def _emit(document: dict, status: int) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    sys.exit(status)
