"""Usage errors in the reader's language.

click writes its usage errors in English (``Error: No such option: --x``).
The ``specreg`` group runs its commands with click's standalone mode off and
says a usage error itself, in ``--lang`` or LANG's language, from what the
exception carries (the option's name, the parameter and its type), with the
same exit status, 2. A standard output that cannot be written (a full disk;
a closed pipe click answers itself) is said in the same language, with exit
status 5, not a traceback. Other errors and exits are passed on as click would.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from specreg.cli.exits import Exit
from specreg.cli.help import ARGV_LANGUAGE, LocalisedGroupHelp
from specreg.workbench.texts import DEFAULT_LANGUAGE, Texts, locale_language


class LocalisedGroup(LocalisedGroupHelp):
    """A group whose usage errors and help speak the reader's language."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        explicit = _explicit_language(args)  # before parsing: -h is answered while parsing
        context = super().make_context(info_name, list(args), parent, **extra)
        context.meta[ARGV_LANGUAGE] = explicit
        return context

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            returned = super().main(argv, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            _show(error, _language(argv))
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except (click.Abort, KeyboardInterrupt):  # Ctrl-C: said in the reader's language, not click's English
            click.echo(Texts.load(_language(argv))("interrupted"), err=True)
            sys.exit(Exit.INTERRUPTED)
        except OSError as error:  # the commands report their own files; this is standard output's
            if not _raised_writing_standard_output(error):
                raise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second failure at exit
            texts = Texts.load(_language(argv))
            click.echo(texts("cannot_write", path=texts("standard_output"), reason=texts.os_reason(error)),
                       err=True)
            sys.exit(Exit.CANNOT_RUN)
        sys.exit(returned if isinstance(returned, int) else 0)


def _raised_writing_standard_output(error: OSError) -> bool:
    """Whether the error was raised where standard output was being written: the innermost of
    its frames that holds a file holds file descriptor 1 (``click.echo``'s ``file``, the JSON
    writer's ``out``). A bug elsewhere keeps its traceback."""
    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in reversed(frames):
        descriptors = {_descriptor(value) for value in frame.f_locals.values()} - {None}
        if descriptors:
            return 1 in descriptors
    return False


def _descriptor(value: object) -> int | None:
    """The file descriptor of a file object, else None."""
    if not callable(getattr(value, "fileno", None)) or not callable(getattr(value, "write", None)):
        return None
    with contextlib.suppress(OSError, ValueError):  # closed, or a file object without a descriptor
        return value.fileno()  # type: ignore[attr-defined]
    return None


def _explicit_language(argv: list[str]) -> str | None:
    """``--lang VALUE`` or ``--lang=VALUE`` among the arguments."""
    for index, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else None)
        if value in ("kk", "ru", "en"):
            return value
    return None


def _language(argv: list[str]) -> str:
    """``--lang`` among the arguments, else LANG's, else English."""
    return _explicit_language(argv) or locale_language(os.environ.get("LANG")) or DEFAULT_LANGUAGE


def _show(error: click.UsageError, language: str) -> None:
    texts = Texts.load(language)
    context = error.ctx
    if context is not None:
        usage = context.get_usage()
        click.echo(usage.replace("Usage:", texts("usage_prefix"), 1), err=True)
        command = context.command_path
        click.echo(texts("usage_help", command=command), err=True)
        click.echo(err=True)
    click.echo(texts("usage_error", message=_message(error, texts)), err=True)


def _message(error: click.UsageError, texts: Texts) -> str:
    if isinstance(error, click.NoSuchOption):
        said = texts("no_such_option", name=error.option_name)
        if error.possibilities:
            said = texts("did_you_mean", message=said, possibilities=", ".join(sorted(error.possibilities)))
        return said
    if isinstance(error, click.MissingParameter):
        return texts("missing_parameter", name=_name(error.param) or error.param_hint or "?")
    if isinstance(error, click.BadParameter):
        name = _name(error.param) or str(error.param_hint or "?")
        allowed = _allowed(error.param, texts)
        if allowed:
            return texts("bad_value", name=name, allowed=allowed)
        return texts("bad_value_plain", name=name)
    if error.message.startswith(("Got unexpected extra argument", "Got unexpected extra arguments")):
        return texts("extra_arguments", arguments=error.message.split("(", 1)[-1].rstrip(")"))
    return error.message


def _name(param: click.Parameter | None) -> str | None:
    if param is None:
        return None
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return param.human_readable_name


def _allowed(param: click.Parameter | None, texts: Texts) -> str | None:
    """What the parameter takes, as its metavar or type says it."""
    if param is None:
        return None
    if param.name == "as_of":
        return texts("bad_date")
    kind = param.type
    if isinstance(kind, click.Choice):
        return ", ".join(str(choice) for choice in kind.choices)
    if isinstance(kind, click.IntRange) and kind.min is not None and kind.max is None:
        return texts("whole_number_from", min=kind.min)
    if isinstance(kind, (click.IntRange, click.FloatRange)) and kind.min is not None and kind.max is not None:
        return texts("number_between", min=f"{kind.min:g}", max=f"{kind.max:g}")
    if isinstance(param, click.Option) and param.metavar:
        return param.metavar
    return None
