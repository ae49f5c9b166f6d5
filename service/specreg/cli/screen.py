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

from specreg.answering import Question, answer
from specreg.cli.options import as_of_day
from specreg.data_files import DataFileError
from specreg.i18n import LANGUAGES
from specreg.paths import DEFAULT_RULES_DIR
from specreg.screening import Screener


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--as-of", "as_of", callback=as_of_day,
              help="The day to answer for (default: today in Almaty).")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Message language (default: the application's).")
@click.option("--rules", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RULES_DIR,
              envvar="SPECREG_RULES_DIR", help="Rule directory (default: $SPECREG_RULES_DIR or rules/).")
@click.option("--ruleset", "version", help="A rule set version by name (default: the one in force).")
def screen(file: Path, as_of: date | None, lang: str | None, rules: Path, version: str | None) -> None:
    """Screen one application (a JSON file, or - for standard input)."""
    try:
        body = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        screener = Screener.from_directory(rules)
    except (OSError, DataFileError) as error:
        raise click.ClickException(str(error)) from error
    given = answer(screener, Question(body, as_of, version, lang))
    click.echo(json.dumps(given.body, ensure_ascii=False, indent=2))
    sys.exit(0 if given.status == 200 else 2)
