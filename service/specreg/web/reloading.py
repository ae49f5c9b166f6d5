"""The screener in force, and replacing it while the service serves.

A reload builds a new :class:`~specreg.screening.Screener` beside the one
serving (lint every file, then read the whole rule directory into a new
:class:`~specreg.rule_directory.RuleDirectory`: rule sets, reference data,
calendar, message catalogs, registry form, page texts; compile and warm) and
then puts it in force with one attribute assignment, which readers see whole or not at all:
a request takes ``holder.current`` once and keeps that screener to its end,
so requests in flight finish on the old rules and the next ones start on the
new. A directory that fails to load leaves the old screener serving.

The old compiled rule sets are never closed. durable-rules' C core counts no
references, and a request (or a streamed batch, for any length of time) may
still evaluate on the old screener after the swap: freeing it then would be a
use-after-free that kills the worker, and no grace period is long enough for
every stream. Keeping them costs about 0.3 MB a reload in each worker;
gunicorn's ``MAX_REQUESTS`` recycles workers and frees it all. Compiling a
rule set again under the same name is safe: the C core gives each compile its
own handle (tried: 3000 compiles of one name in one process, each evaluating
its own rules), so :mod:`specreg.ruleset` names need no suffix.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from specreg.data_files import DataFileError
from specreg.messages import ProblemCatalog
from specreg.rule_directory import RuleDirectory, RuleFiles
from specreg.rulecheck.lint import LintFailed, require_clean
from specreg.screening import DECISION_TERM_WORKING_DAYS, Screener
from specreg.web.metrics import record_reload

EXTENSION = "specreg.rules"
log = logging.getLogger("specreg.reloading")


class RulesNotReady(Exception):
    """No screener has been put in force yet."""


@dataclass(frozen=True)
class LoadError:
    """Why a rule directory cannot be used: the file (relative to the directory) and line."""

    file: str | None
    line: int | None
    message: str  # the linter's or loader's own words (English)
    check: str = "load"  # the lint check (a stable code), or "load"


class ReloadFailed(Exception):
    """The rule directory failed to load; the screener in force stays."""

    def __init__(self, errors: list[LoadError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class ScreenerHolder:
    """Holds the screener in force for one process; see the module's docstring."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.current: Screener | None = None
        self.notify_peers: Callable[[], None] | None = None  # set under gunicorn: reload the siblings
        self._reloading = threading.Lock()
        self._waiting = False  # a background reload is queued and has not read the files yet

    @property
    def ready(self) -> bool:
        """A screener is in force and every rule set in it is compiled (compiling warms it)."""
        screener = self.current
        return screener is not None and all(r.compiled is not None for r in screener.rulesets)

    def screener(self) -> Screener:
        screener = self.current
        if screener is None:
            raise RulesNotReady()
        return screener

    def directory(self) -> RuleDirectory:
        """The rule directory in force (its rule sets, catalogs, form, page texts)."""
        return self.screener().directory

    def problems(self) -> ProblemCatalog:
        """The problem catalog in force; before the first load (a 503), the directory's own file."""
        screener = self.current
        if screener is not None:
            return screener.directory.problems
        return ProblemCatalog(RuleFiles(self.path).data("messages/problems.yaml", "problems.schema.json"))

    @property
    def digest(self) -> str | None:
        """The digest of the rule directory in force: equal in every worker that serves the same rules."""
        screener = self.current
        return None if screener is None else screener.digest

    def load(self) -> Screener:
        """Build from the directory and put in force; at start-up a failure propagates and stops it."""
        require_clean(self.path)  # lint first: never serve what fails it
        fresh = warm(Screener.from_directory(self.path))
        self.current = fresh  # the one assignment readers see
        return fresh

    def reload(self, trigger: str) -> Screener:
        """Load beside the screener in force, one reload at a time; on failure keep it."""
        with self._reloading:
            return self._reload_now(trigger)

    def reload_soon(self, trigger: str) -> threading.Thread | None:
        """Reload on another thread (a signal handler must not wait for a reload its own thread
        may be running). A reload already queued will read the files as they are now: join it."""
        if self._waiting:
            return None
        self._waiting = True

        def run() -> None:
            with self._reloading:
                self._waiting = False
                with contextlib.suppress(ReloadFailed):  # logged and counted; the old rules serve on
                    self._reload_now(trigger)

        thread = threading.Thread(target=run, name="specreg-reload", daemon=True)
        thread.start()
        return thread

    def _reload_now(self, trigger: str) -> Screener:
        try:
            fresh = self.load()
        except Exception as error:  # any check that fails keeps the old rules serving
            failed = ReloadFailed(self._load_errors(error))
            log.error("rule reload failed", extra={"trigger": trigger, "errors": _plain(failed)})
            record_reload("failure")
            raise failed from error
        record_reload("success")
        log.info("rules reloaded", extra={"trigger": trigger, "digest": fresh.digest,
                                          "rulesets": [f"{r.id}@{r.version}" for r in fresh.rulesets]})
        return fresh

    def _load_errors(self, error: Exception) -> list[LoadError]:
        """Where each error is and which check it fails, never what the file says there.

        The answer and the log line go to whoever can call the admin route or read the
        logs; a file of the directory may hold anything (a link once made a rule file of
        any JSON file, and its content came back in the 422). ``specreg lint DIR``, run by
        whoever edits the files, shows the values.
        """
        if isinstance(error, LintFailed):
            return [LoadError(self._relative(Path(f.file)), f.line, _without_content(f.check), f.check)
                    for f in error.errors]
        return [self._load_error(error)]

    def _load_error(self, error: Exception) -> LoadError:
        if isinstance(error, DataFileError):
            return LoadError(self._relative(error.file), error.line, _without_content(error.check),
                             error.check)
        return LoadError(None, None, f"cannot be loaded ({type(error).__name__})", "other")

    def _relative(self, path: Path) -> str:
        """The file relative to the rule directory (a link is named, never followed)."""
        base = Path(os.path.abspath(self.path))
        absolute = Path(os.path.abspath(path))
        return str(absolute.relative_to(base)) if absolute.is_relative_to(base) else absolute.name


def _without_content(check: str) -> str:
    return f"fails the {check!r} check; `specreg lint` on the directory shows what it found"


def warm(screener: Screener) -> Screener:
    """Pay the first screening's one-off costs now, not in a request: compiling already ran each
    rule set once; the holiday calendar imports its country module and computes years lazily."""
    screener.calendar.decision_due(datetime.now(UTC), DECISION_TERM_WORKING_DAYS)
    return screener


def _plain(failed: ReloadFailed) -> list[dict[str, object]]:
    return [{"file": e.file, "line": e.line, "message": e.message} for e in failed.errors]


def init_app(app: Flask, path: Path) -> ScreenerHolder:
    """Load the rules for ``app`` (a broken directory stops start-up) and reload them on SIGHUP."""
    holder = ScreenerHolder(path)
    holder.load()
    app.extensions[EXTENSION] = holder
    install_sighup(holder)
    return holder


def holder_of(app: Flask) -> ScreenerHolder:
    return app.extensions[EXTENSION]


def install_sighup(holder: ScreenerHolder) -> bool:
    """SIGHUP reloads the rules; only the main thread may install a handler (False elsewhere)."""
    try:
        signal.signal(signal.SIGHUP, lambda _signum, _frame: holder.reload_soon("SIGHUP"))
    except ValueError:
        return False
    return True
