"""The screening pipeline, one stage a module:

payload -> :mod:`validation` (JSON Schema and cross-field checks)
-> :mod:`loading` (typed application) -> :mod:`facts`
-> :mod:`ruleset` (durable-rules, via :mod:`engine`) -> :mod:`decision`
-> :mod:`calendar` (the deadline) -> :class:`decision.Decision`.

A :class:`Screener` holds the :class:`~specreg.rule_directory.RuleDirectory`
(everything read from the rule directory, once) and the payload validator;
screening is then a pure function of the payload and the day it answers for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from specreg.calendar import WorkingCalendar, today_in_almaty
from specreg.decision import Decision, decide
from specreg.engine import Match
from specreg.facts import Fact, derive_facts
from specreg.loading import load_application
from specreg.model import Application
from specreg.reference import ReferenceData
from specreg.rule_directory import RuleDirectory
from specreg.ruleset import RuleSet
from specreg.validation import InputError, PayloadValidator

DECISION_TERM_WORKING_DAYS = 5  # p.9: the administrator decides within five working days


class InvalidApplication(Exception):
    """The payload breaks the contract; every problem is listed, or counted in ``unlisted``
    (unknown properties past the first hundred of one object: :class:`validation.InputErrors`)."""

    def __init__(self, errors: list[InputError], unlisted: int | None = None) -> None:
        self.unlisted = getattr(errors, "unlisted", 0) if unlisted is None else unlisted
        super().__init__(f"{len(errors) + self.unlisted} input error(s)")
        self.errors = errors

    @property
    def count(self) -> int:
        """How many input errors the payload has, listed or not."""
        return len(self.errors) + self.unlisted


class NoRuleSetInForce(Exception):
    """No rule set version is in force on the day asked for."""

    def __init__(self, as_of: date) -> None:
        super().__init__(f"no rule set is in force on {as_of.isoformat()}")
        self.as_of = as_of


class UnknownRuleSet(Exception):
    """A rule set version asked for by name that the rule directory does not hold."""

    def __init__(self, version: str, known: list[str]) -> None:
        super().__init__(f"no rule set version {version!r}")
        self.version, self.known = version, known


@dataclass(frozen=True)
class Screening:
    """One screening with what led to it: the workbench and explain read the middle stages."""

    decision: Decision
    application: Application
    facts: list[Fact]
    matches: list[Match]


@dataclass
class Screener:
    """Everything a screening needs: the rule directory, read and compiled once, and the validator."""

    directory: RuleDirectory
    validator: PayloadValidator

    @classmethod
    def from_directory(cls, path: Path) -> Screener:
        """Read the rule directory at ``path`` whole (a bad file raises DataFileError)."""
        return cls(RuleDirectory.read(path), PayloadValidator())

    @property
    def reference(self) -> ReferenceData:
        return self.directory.reference

    @property
    def rulesets(self) -> tuple[RuleSet, ...]:
        return self.directory.rulesets

    @property
    def calendar(self) -> WorkingCalendar:
        return self.directory.calendar

    @property
    def digest(self) -> str:
        return self.directory.digest

    def ruleset_for(self, as_of: date) -> RuleSet:
        """The version in force on ``as_of``: its window is [effective_from, effective_until).

        Windows should not overlap (``specreg lint`` refuses that); if they do,
        the version that took effect last wins, as a later act supersedes an
        earlier one, and on equal dates the file whose name sorts last.
        """
        in_force = [ruleset for ruleset in self.rulesets if ruleset.in_force_on(as_of)]  # drafts never are
        if not in_force:
            raise NoRuleSetInForce(as_of)
        return in_force[-1]

    def ruleset_named(self, version: str) -> RuleSet:
        """A version picked explicitly, whatever its dates or status (to try a draft, or a version
        before it takes effect)."""
        for ruleset in self.rulesets:
            if ruleset.version == version:
                return ruleset
        raise UnknownRuleSet(version, [ruleset.version for ruleset in self.rulesets])

    def _decision_due(self, received_at: datetime) -> date:
        """p.9's deadline; a receipt at the end of the calendar has none and is an input error."""
        try:
            return self.calendar.decision_due(received_at, DECISION_TERM_WORKING_DAYS)
        except (ValueError, OverflowError) as error:
            raise InvalidApplication([InputError("/received_at", "deadline_out_of_range")]) from error

    def screen(self, payload: Any, as_of: date | None = None, version: str | None = None) -> Screening:
        """The decision on one payload as of a day (default: today in Almaty).

        ``version`` picks a rule set version by name instead of by date.
        """
        day = as_of or today_in_almaty()
        ruleset = self.ruleset_named(version) if version else self.ruleset_for(day)
        return self.screen_admitted(self.admit(payload), day, ruleset)

    def admit(self, payload: Any) -> Application:
        """The typed application, or every input error; rule sets do not enter into it."""
        normalised, errors = self.validator.check(payload)
        if errors:
            raise InvalidApplication(errors)
        return load_application(normalised)

    def screen_admitted(self, application: Application, day: date, ruleset: RuleSet) -> Screening:
        """The decision on an admitted application (impact replay admits once, screens twice)."""
        facts = derive_facts(application, day, self.reference)
        matches = ruleset.evaluate(facts)
        outcome, reasons, warnings = decide(matches, ruleset, self.reference.labels)
        decision = Decision(
            application_id=application.application_id,
            outcome=outcome,
            as_of=day,
            decision_due=self._decision_due(application.received_at),
            reasons=reasons,
            warnings=warnings,
            ruleset=ruleset,
        )
        return Screening(decision, application, facts, matches)
