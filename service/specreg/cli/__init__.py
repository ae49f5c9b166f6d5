"""The ``specreg`` command; each sub-command lives in a module of this package."""

from __future__ import annotations

import click

from specreg.cli.batch import screen_batch
from specreg.cli.registry import registry_export
from specreg.cli.screen import screen
from specreg.cli.workbench import diff, lint, test


@click.group()
def main() -> None:
    """specreg: pre-screening for the registry of specialists (p.9 of the Rules)."""


main.add_command(screen)
main.add_command(screen_batch)
main.add_command(registry_export)
main.add_command(test)
main.add_command(diff)
main.add_command(lint)
