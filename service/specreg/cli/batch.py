"""``specreg screen-batch``: screen a file of applications, one JSON line each.

``specreg screen-batch IN.jsonl -o OUT.jsonl [--workers N] [--as-of DAY]
[--lang kk|ru|en]`` writes one answer line per input line, in the same order
(:mod:`specreg.batch` describes the lines), with a progress bar on standard
error. Exit status: 0 every line screened, 2 some lines were answered with a
problem (each in its place in OUT), 1 a file or the rule directory cannot be
read.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import BinaryIO

import click
from tqdm import tqdm

from specreg.batch import screen_lines
from specreg.calendar import today_in_almaty
from specreg.cli.options import as_of_day
from specreg.data_files import DataFileError
from specreg.i18n import LANGUAGES
from specreg.paths import DEFAULT_RULES_DIR


@click.command("screen-batch")
@click.argument("source", metavar="IN.jsonl",
                type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("-o", "--output", "target", required=True, metavar="OUT.jsonl",
              type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
              help="Where the answer lines go (- for standard output).")
@click.option("--workers", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 1,
              show_default="the number of cores", help="Worker processes.")
@click.option("--as-of", "as_of", callback=as_of_day,
              help="The day to answer for (default: today in Almaty).")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Message language (default: each application's).")
@click.option("--rules", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RULES_DIR,
              envvar="SPECREG_RULES_DIR", help="Rule directory (default: $SPECREG_RULES_DIR or rules/).")
def screen_batch(source: Path, target: Path, workers: int, as_of: date | None, lang: str | None,
                 rules: Path) -> None:
    """Screen every application of a JSON-lines file (- for standard input)."""
    day = as_of or today_in_almaty()  # one day for the whole batch, even across midnight
    total = None if str(source) == "-" else _count_lines(source)
    problems = 0
    try:
        with _open_in(source) as lines, _open_out(target) as out:
            answers = screen_lines(lines, rules, day, lang, workers)
            for text, screened in tqdm(answers, total=total, unit="line", file=sys.stderr,
                                       disable=None, desc="screening"):
                out.write(text.encode("utf-8") + b"\n")
                problems += not screened
    except (OSError, DataFileError) as error:
        raise click.ClickException(str(error)) from error
    if problems:
        click.echo(f"{problems} line(s) answered with a problem; see OUT.", err=True)
        sys.exit(2)


def _count_lines(path: Path) -> int | None:
    """Lines in the file, for the progress bar (a last line without a line break counts)."""
    try:
        with path.open("rb") as handle:
            count, last = 0, b""
            for block in iter(lambda: handle.read(1 << 20), b""):
                count += block.count(b"\n")
                last = block
            return count + (1 if last and not last.endswith(b"\n") else 0)
    except OSError:
        return None  # reported when the file is opened for reading


def _open_in(source: Path) -> BinaryIO:
    if str(source) == "-":
        return os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    return source.open("rb")


def _open_out(target: Path) -> BinaryIO:
    if str(target) == "-":
        return os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    return target.open("wb")
