"""``specreg screen-batch``: screen a file of applications, one JSON line each.

``specreg screen-batch FILE -o FILE [--workers N] [--as-of YYYY-MM-DD]
[--lang kk|ru|en] [--rules DIR]`` writes one answer line per input line, in
the same order (:mod:`specreg.batch` describes the lines), with a progress bar
on standard error; ``-`` is standard input or output. ``--lang`` is the
answers' language (default: each application's) and that of the summary line
(default: LANG's). Exit status (:mod:`specreg.cli.exits`): 0 every line
screened, 3 some lines were answered with a problem (each in its place in the
output), 5 a file or the rule directory cannot be used or a worker process died, 2 a
usage error.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import click
from tqdm import tqdm

from specreg.batch import screen_lines
from specreg.calendar import today_in_almaty
from specreg.cli.exits import CannotRun, Exit
from specreg.cli.help import LocalisedCommand
from specreg.cli.options import as_of_option, human_texts, input_file, rules_option
from specreg.data_files import DataFileError
from specreg.i18n import LANGUAGES
from specreg.worker_pool import WorkerDied


@click.command("screen-batch", cls=LocalisedCommand)
@input_file("source")
@click.option("-o", "--output", "target", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
              help="Where the answer lines go (- for standard output).")
@click.option("--workers", metavar="N", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 1,
              show_default="the number of cores", help="Worker processes.")
@as_of_option()
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="The answers' language (default: each application's); also of the summary.")
@rules_option()
def screen_batch(source: Path, target: Path, workers: int, as_of: date | None, lang: str | None,
                 rules: Path) -> None:
    """Screen every application of a JSON Lines FILE (- for standard input), one answer a line."""
    texts = human_texts(lang)
    day = as_of or today_in_almaty()  # one day for the whole batch, even across midnight
    total = None if str(source) == "-" else _count_lines(source)
    done = _Written()
    try:
        with _open_in(source) as lines:
            done.writing = True  # opening the output
            with _open_out(target) as out:
                done.writing = False  # each input line is read as its answer is asked for
                answers = screen_lines(lines, rules, day, lang, workers)
                for line, screened in tqdm(answers, total=total, unit=texts("unit_line"), file=sys.stderr,
                                           disable=None, desc=texts("progress_screening")):
                    done.add(out, line, screened)
                done.writing = True  # closing writes what is still buffered
    except DataFileError as error:
        raise CannotRun(texts("rules_do_not_load", error=texts.data_file_error(error))) from error
    except WorkerDied as error:  # killed (out of memory, a signal): the lines written stand
        raise CannotRun(texts("batch_worker_died", done=done.lines)) from error
    except OSError as error:  # the message names the file that failed: a full disk is not a bad input
        key, path = ("cannot_write", target) if done.writing else ("cannot_read", source)
        raise CannotRun(texts(key, path=path, reason=texts.os_reason(error))) from error
    problems, lines_done = done.problems, done.lines
    if problems:
        output = texts("standard_output") if str(target) == "-" else target
        click.echo(texts("batch_problems", count=problems, total=lines_done, output=output), err=True)
        sys.exit(Exit.PARTIAL)
    click.echo(texts("batch_screened", count=lines_done), err=True)


@dataclass
class _Written:
    """The answer lines written so far, and whether the file call under way is a write."""

    lines: int = 0
    problems: int = 0
    writing: bool = False

    def add(self, out: BinaryIO, line: bytes, screened: bool) -> None:
        self.writing = True
        out.write(line)
        self.writing = False
        self.lines += 1
        self.problems += not screened


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
    """The input; ``-`` is standard input, left open when the batch is done (click's rule)."""
    return click.open_file(str(source), "rb")


def _open_out(target: Path) -> BinaryIO:
    return click.open_file(str(target), "wb")
