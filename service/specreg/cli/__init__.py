"""The ``specreg`` command; each sub-command lives in a module of this package."""

from __future__ import annotations

import click

from specreg.cli.screen import screen


@click.group()
def main() -> None:
    """specreg: pre-screening for the registry of specialists (p.9 of the Rules)."""


main.add_command(screen)
