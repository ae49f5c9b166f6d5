"""Options shared by the sub-commands, so that every command reads them the same way.

Metavars say what a value is (``YYYY-MM-DD``, ``VERSION``, ``DIR``, ``FILE``);
``--rules DIR`` names the rule directory everywhere; ``-`` is standard input
wherever a file is read. The language of the human output is ``--lang``, else
the one ``LANG`` names (read once by the ``specreg`` group), else English.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from specreg.jsonbody import parse_as_of
from specreg.paths import DEFAULT_RULES_DIR
from specreg.workbench.texts import DEFAULT_LANGUAGE, Texts

LOCALE_KEY = "specreg.locale_language"


def as_of_day(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    """``--as-of``: an existing date written YYYY-MM-DD, as the API's ``as_of`` is."""
    if value is None:
        return None
    day = parse_as_of(value)
    if day is None:
        raise click.BadParameter("an existing date written YYYY-MM-DD")
    return day


def as_of_option(help_text: str = "The day to answer for (default: today in Almaty).") -> Any:
    return click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=as_of_day, help=help_text)


def rules_option(help_text: str = "The rule directory (default: $SPECREG_RULES_DIR, else rules/).") -> Any:
    return click.option("--rules", "rules", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
                        default=DEFAULT_RULES_DIR, envvar="SPECREG_RULES_DIR", show_envvar=False,
                        help=help_text)


def ruleset_option(help_text: str = "A rule set version by name (default: the one in force).") -> Any:
    return click.option("--ruleset", "version", metavar="VERSION", help=help_text)


def input_file(name: str, metavar: str = "FILE", **kwargs: Any) -> Any:
    """A file argument that may be ``-``; it is opened by the command (exit 5 if it cannot be)."""
    return click.argument(name, metavar=metavar,
                          type=click.Path(dir_okay=False, path_type=Path, allow_dash=True), **kwargs)


def chosen_language(lang: str | None) -> str | None:
    """``--lang``, else LANG's language; None when the reader chose none."""
    context = click.get_current_context(silent=True)
    from_locale = context.find_root().meta.get(LOCALE_KEY) if context else None
    return lang or from_locale


def human_language(lang: str | None) -> str:
    """``--lang``, else LANG's language, else English."""
    return chosen_language(lang) or DEFAULT_LANGUAGE


def human_texts(lang: str | None) -> Texts:
    """The catalog (of the rule directory in force) in the reader's language."""
    return Texts.load(human_language(lang))
