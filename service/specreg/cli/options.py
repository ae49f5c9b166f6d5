"""Options shared by the sub-commands, so they read a day the same way."""

from __future__ import annotations

from datetime import date

import click

from specreg.jsonbody import parse_as_of


def as_of_day(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    """``--as-of``: an existing date written YYYY-MM-DD, as the API's ``as_of`` is."""
    if value is None:
        return None
    day = parse_as_of(value)
    if day is None:
        raise click.BadParameter("an existing date written YYYY-MM-DD")
    return day
