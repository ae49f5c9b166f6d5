"""The ``specreg`` command; each sub-command lives in a module of this package.

Conventions of every sub-command (docs/cli.md): ``-h``/``--help``, one table
of exit statuses (:mod:`specreg.cli.exits`), ``--rules DIR``, ``-`` for
standard input wherever a file is read, and human output in ``--lang`` or the
language ``LANG`` names (kk_KZ.UTF-8, ru_RU.UTF-8; anything else: English).
The group reads ``LANG`` once, here at the entry point, as the app factory
reads the service's environment; its usage errors are said in that language
too (:mod:`specreg.cli.usage`).
"""

from __future__ import annotations

import os

import click

from specreg.cli.batch import screen_batch
from specreg.cli.options import LOCALE_KEY
from specreg.cli.registry import registry_export
from specreg.cli.screen import screen
from specreg.cli.usage import LocalisedGroup
from specreg.cli.workbench import diff, lint, test
from specreg.workbench.texts import locale_language


@click.group(name="specreg", cls=LocalisedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="specreg", prog_name="specreg")
@click.pass_context
def main(context: click.Context) -> None:
    """specreg: pre-screening for the registry of specialists (p.9 of the Rules).

    Exit statuses of every command: 0 done; 1 found something (a return or
    refuse, a failed case, a change, a lint error); 2 usage; 3 partial (some
    lines); 4 not screened (a problem document); 5 cannot run (a file or the
    rule directory); 130 interrupted (Ctrl-C). Human output: --lang, else LANG.
    """
    context.meta[LOCALE_KEY] = locale_language(os.environ.get("LANG"))


main.add_command(screen)
main.add_command(screen_batch)
main.add_command(registry_export)
main.add_command(test)
main.add_command(diff)
main.add_command(lint)
