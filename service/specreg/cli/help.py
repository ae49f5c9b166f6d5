"""The commands' help (``-h``) in the reader's language.

English help is the code's own (the docstrings and ``help=`` of the
options). In kk or ru, the description, every option's help and click's own
words (``Usage:``, ``Options``, ``Commands``, ``default``, ``required``) come
from the ``help`` part of ``rules/messages/cli.yaml``; an entry it lacks
stays English, and lint reports a text without kk or ru. The language is
``--lang`` among the arguments, else LANG's, as for every human output.
"""

from __future__ import annotations

import inspect
import os
import re
from typing import Any

import click

from specreg.workbench.texts import DEFAULT_LANGUAGE, Texts, locale_language

ARGV_LANGUAGE = "specreg.argv_language"


def help_language(context: click.Context) -> str:
    root = context.find_root()
    return (root.meta.get(ARGV_LANGUAGE) or locale_language(os.environ.get("LANG"))
            or DEFAULT_LANGUAGE)


class LocalisedHelp:
    """Mixed into a click command: its help is written in the reader's language."""

    name: str | None
    help: str | None

    def _texts(self, context: click.Context) -> Texts | None:
        language = help_language(context)
        return None if language == DEFAULT_LANGUAGE else Texts.load(language)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        texts = self._texts(ctx)
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = f"{texts('usage_prefix')} " if texts else None
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        texts = self._texts(ctx)
        about = texts.help(self.name or "", "about") if texts else None
        if about is None:
            return super().format_help_text(ctx, formatter)  # type: ignore[misc]
        formatter.write_paragraph()
        with formatter.indentation():
            for number, paragraph in enumerate(about.split("\n\n")):
                if number:
                    formatter.write_paragraph()
                formatter.write_text(paragraph)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        texts = self._texts(ctx)
        if texts is None:  # click's English: the options only (a group adds its commands itself)
            return click.Command.format_options(self, ctx, formatter)  # type: ignore[arg-type]
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if isinstance(param, click.Argument):
                continue
            record = _record(param, ctx, texts, self.name or "")
            if record is not None:
                rows.append(record)
        if rows:
            with formatter.section(texts.help("common", "options") or "Options"):
                formatter.write_dl(rows)


def _record(param: click.Parameter, context: click.Context, texts: Texts, command: str) -> Any:
    """The option's help line, its text from the catalog and click's own words translated."""
    opts = set(getattr(param, "opts", ()))
    key = "help" if "--help" in opts else "version" if "--version" in opts else None
    translated = texts.help("common", key) if key else texts.help(command, param.name or "")
    saved = getattr(param, "help", None)
    try:
        if translated is not None:
            param.help = translated  # type: ignore[attr-defined]
        record = param.get_help_record(context)
    finally:
        param.help = saved  # type: ignore[attr-defined]
    if record is None:
        return None
    names, text = record
    text = re.sub(r"\[default: ", f"[{texts.help('common', 'default')}: ", text)
    text = text.replace("[required]", f"[{texts.help('common', 'required')}]")
    return names, text


class LocalisedCommand(LocalisedHelp, click.Command):
    """A sub-command of ``specreg``."""


class LocalisedGroupHelp(LocalisedHelp, click.Group):
    """The group's help: its commands listed with their descriptions in the reader's language."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        LocalisedHelp.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        texts = self._texts(ctx)
        if texts is None:
            return super().format_commands(ctx, formatter)
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        commands = [(name, command) for name, command in commands if command and not command.hidden]
        if not commands:
            return None
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        rows = []
        for name, command in commands:
            about = texts.help(name, "about")
            short = _short(about, limit) if about else command.get_short_help_str(limit)
            rows.append((name, short))
        with formatter.section(texts.help("common", "commands") or "Commands"):
            formatter.write_dl(rows)
        return None


def _short(about: str, limit: int) -> str:
    """The description's first sentence, cut at a word to ``limit`` characters, as click does."""
    first = " ".join(inspect.cleandoc(about).split("\n\n")[0].split())
    sentence = first.split(". ")[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 3].rsplit(" ", 1)[0]
    return cut + "..."
