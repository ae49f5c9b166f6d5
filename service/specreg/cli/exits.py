"""The exit statuses of every ``specreg`` command: one table (docs/cli.md prints it).

======  ===========  ==============================================================
status  name         when
======  ===========  ==============================================================
0       DONE         the command did what was asked and found nothing: ``screen``
                     answered ``register``; every case passed; nothing changed; no
                     lint error; every line screened or exported
1       FOUND        what the command is for found something: ``screen`` answered
                     ``return`` or ``refuse``; ``test``: a case failed or coverage
                     is under ``--fail-under``; ``diff``: a case changed; ``lint``:
                     an error
2       USAGE        click's usage error: an unknown option, a bad value (a day
                     that is not YYYY-MM-DD), a missing argument, an unknown rule
                     set version
3       PARTIAL      done, but not for every line: ``screen-batch``: some lines were
                     answered with a problem; ``registry-export``: some lines were
                     skipped
4       NOT_SCREENED ``screen``: the application was answered with a problem
                     document instead (bad JSON, a contract breach, a resubmission
                     conflict, no rule set in force); the document is printed
5       CANNOT_RUN   an input file, the rule directory or the output cannot be read,
                     loaded or written; a worker process of ``screen-batch`` died
======  ===========  ==============================================================

``tests/test_cli_conventions.py`` runs every command into each status it can give.
"""

from __future__ import annotations

from enum import IntEnum

import click


class Exit(IntEnum):
    DONE = 0
    FOUND = 1
    USAGE = 2
    PARTIAL = 3
    NOT_SCREENED = 4
    CANNOT_RUN = 5
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as a shell reports a process it interrupted


class CannotRun(click.ClickException):
    """An input, the rule directory or the output cannot be used (exit 5); the message is localised."""

    exit_code = Exit.CANNOT_RUN

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


class BadUsage(click.UsageError):
    """A value click accepted but the command cannot use, such as an unknown version (exit 2)."""

    exit_code = Exit.USAGE
