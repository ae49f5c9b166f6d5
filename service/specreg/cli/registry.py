"""``specreg registry-export``: the registry as a CSV or XLSX table.

``specreg registry-export IN.jsonl -o FILE [--format csv|xlsx] [--lang kk|ru] [--public]``

Each input line is ``{"registered_on": "YYYY-MM-DD", "application": {...}}``
(the format is in :mod:`specreg.export`). Lines that do not become rows are
reported on standard error by number, with a summary at the end. Exit status:
0 every line exported (or, with ``--public``, withheld for want of consent),
3 the table was written but some lines were skipped, 1 the input, the rule
directory or the output could not be used, 2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from specreg.data_files import DataFileError
from specreg.export import FORMATS, WRITERS, registry_table, summary
from specreg.paths import DEFAULT_RULES_DIR
from specreg.registry import FORM_LANGUAGES
from specreg.screening import Screener

EXIT_LINES_SKIPPED = 3


def _format(output: Path, chosen: str | None) -> str:
    """The chosen format, else the one the output's suffix names."""
    if chosen:
        return chosen
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise click.UsageError("give --format csv|xlsx, or an output file ending in .csv or .xlsx")
    return suffix


@click.command("registry-export")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The table to write.")
@click.option("--format", "chosen", type=click.Choice(FORMATS),
              help="csv or xlsx (default: from the output's suffix).")
@click.option("--lang", type=click.Choice(FORM_LANGUAGES), default="ru", show_default=True,
              help="The language of the table and of the notes.")
@click.option("--public", is_flag=True,
              help="p.5: only entries both the organisation and the specialist consented to "
                   "publish, without contact data and the registration address.")
@click.option("--rules", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_RULES_DIR,
              envvar="SPECREG_RULES_DIR", help="Rule directory (default: $SPECREG_RULES_DIR or rules/).")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: only on a terminal).")
def registry_export(source: Path, output: Path, chosen: str | None, lang: str, public: bool,
                    rules: Path, progress: bool | None) -> None:
    """Export registered applications as the registry table (the appendix form).

    SOURCE is JSON Lines, one registered application a line:
    {"registered_on": "YYYY-MM-DD", "application": {...the screening payload...}}.
    Only a line that screens register on its registered_on day becomes a row.
    """
    fmt = _format(output, chosen)
    try:
        screener = Screener.from_directory(rules)
        form = screener.directory.registry_form
        table, result = registry_table(source, screener, form, lang, public, progress=progress)
        WRITERS[fmt](table, output)
    except (OSError, DataFileError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary(result, form, lang), err=True)
    sys.exit(EXIT_LINES_SKIPPED if result.skipped else 0)
