"""``specreg registry-export``: the registry as a CSV or XLSX table.

``specreg registry-export FILE -o FILE [--format csv|xlsx] [--lang kk|ru] [--public] [--rules DIR]``

Each input line is ``{"registered_on": "YYYY-MM-DD", "application": {...}}``
(the format is in :mod:`specreg.registry.export`); ``-`` reads standard input. Lines
that do not become rows are reported on standard error by number, with a
summary at the end, in the table's language (``--lang``, else LANG's if it is
kk or ru, else ru). Exit status (:mod:`specreg.cli.exits`): 0 every line
exported (or, with ``--public``, withheld for want of consent), 3 the table
was written but some lines were skipped, 5 the input, the rule directory or
the output could not be used, 2 a usage error.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import click

from specreg.cli.exits import BadUsage, CannotRun, Exit
from specreg.cli.help import LocalisedCommand
from specreg.cli.options import human_language, human_texts, input_file, rules_option
from specreg.data_files import DataFileError
from specreg.registry import FORM_LANGUAGES
from specreg.registry.export import FORMATS, WRITERS, registry_table, summary
from specreg.screening import Screener


def _format(output: Path, chosen: str | None, lang: str) -> str:
    """The chosen format, else the one the output's suffix names."""
    if chosen:
        return chosen
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise BadUsage(human_texts(lang)("format_needed"))
    return suffix


@click.command("registry-export", cls=LocalisedCommand)
@input_file("source")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path), help="The table to write.")
@click.option("--format", "chosen", type=click.Choice(FORMATS),
              help="csv or xlsx (default: from the output's suffix).")
@click.option("--lang", type=click.Choice(FORM_LANGUAGES),
              help="The language of the table and of the notes (default: LANG's if kk or ru, else ru).")
@click.option("--public", is_flag=True,
              help="p.5: only entries both the organisation and the specialist consented to "
                   "publish, without contact data and the registration address.")
@rules_option()
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: only on a terminal).")
def registry_export(source: Path, output: Path, chosen: str | None, lang: str | None, public: bool,
                    rules: Path, progress: bool | None) -> None:
    """Export registered applications (a JSON Lines FILE, - for standard input) as the registry table.

    Each line is {"registered_on": "YYYY-MM-DD", "application": {...the screening payload...}}.
    Only a line that screens register on its registered_on day becomes a row.
    """
    language = lang or (human_language(None) if human_language(None) in FORM_LANGUAGES else "ru")
    texts = human_texts(language)
    fmt = _format(output, chosen, language)
    with tempfile.TemporaryDirectory(prefix="specreg-export-") as spool:
        path = _spooled(Path(spool)) if str(source) == "-" else source
        if not path.is_file():
            raise CannotRun(texts("cannot_read", path=source, reason=texts("os_not_found")))
        try:
            screener = Screener.from_directory(rules)
            form = screener.directory.registry_form
        except DataFileError as error:
            raise CannotRun(texts("rules_do_not_load", error=texts.data_file_error(error))) from error
        try:
            table, result = registry_table(path, screener, form, language, public, progress=progress)
        except OSError as error:
            raise CannotRun(texts("cannot_read", path=source, reason=texts.os_reason(error))) from error
    try:
        WRITERS[fmt](table, output)
    except OSError as error:
        raise CannotRun(texts("cannot_write", path=output, reason=texts.os_reason(error))) from error
    click.echo(summary(result, form, language), err=True)
    sys.exit(Exit.PARTIAL if result.skipped else Exit.DONE)


def _spooled(spool: Path) -> Path:
    """Standard input in a file: the export reads its input by line number from a path."""
    path = spool / "stdin.jsonl"
    with path.open("wb") as handle:
        shutil.copyfileobj(sys.stdin.buffer, handle)
    return path
