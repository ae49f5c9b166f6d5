"""Resubmission after a return (p.10 of the Rules).

A returned application may be revised and filed again. The portal then names
the previous screening of the same application in the payload's optional
``previous`` (``{application_id, outcome, reasons: [codes]}``), and the answer
carries ``resubmission``: which earlier grounds are resolved, which are still
outstanding and which are new, each list in the rule set's order of grounds.

What cannot be a resubmission:
- ``previous.application_id`` other than ``application_id``: an input error
  (422, code ``previous_application_mismatch``), listed with every other one;
- a previous ``refuse``: 409 ``resubmission-after-refusal``; the Rules allow
  revision only after a return, and a refusal is final;
- a previous ``register``: 409 ``resubmission-after-registration``; a
  registered application has nothing left to revise.
The payload is validated first: a payload that breaks the contract is a 422
whatever ``previous`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from specreg.decision import Decision
from specreg.model import PreviousScreening
from specreg.screening import InvalidApplication, Screener, Screening
from specreg.validation import InputError

# The problem kind (rules/messages/problems.yaml) for each previous outcome that allows no resubmission.
CONFLICTS = {
    "refuse": "resubmission-after-refusal",
    "register": "resubmission-after-registration",
}


class ResubmissionConflict(Exception):
    """The previous screening's outcome allows no resubmission; ``kind`` names the 409 problem."""

    def __init__(self, outcome: str) -> None:
        super().__init__(f"no resubmission after {outcome}")
        self.kind = CONFLICTS[outcome]


@dataclass(frozen=True)
class Resubmission:
    """The earlier grounds against the grounds that hold now (codes)."""

    resolved: tuple[str, ...]
    outstanding: tuple[str, ...]
    new: tuple[str, ...]


def screen_resubmission(
    screener: Screener, payload: Any, as_of: date | None = None, version: str | None = None
) -> tuple[Screening, Resubmission | None]:
    """Screen a payload and, when it names a previous screening, compare the two.

    Raises InvalidApplication with every input error (a mismatched
    ``previous.application_id`` among them) and ResubmissionConflict for a
    previous refusal or registration.
    """
    mismatch = previous_mismatch(payload)
    try:
        screening = screener.screen(payload, as_of, version)
    except InvalidApplication as invalid:
        if not mismatch:
            raise
        raise InvalidApplication(_in_pointer_order([*invalid.errors, *mismatch]), invalid.unlisted) from None
    if mismatch:
        raise InvalidApplication(mismatch)
    previous = screening.application.previous
    if previous is None:
        return screening, None
    if previous.outcome in CONFLICTS:
        raise ResubmissionConflict(previous.outcome)
    return screening, compare(previous, screening.decision)


def previous_mismatch(payload: Any) -> list[InputError]:
    """``previous.application_id`` must name this application (when both are strings)."""
    previous = payload.get("previous") if isinstance(payload, dict) else None
    named = previous.get("application_id") if isinstance(previous, dict) else None
    own = payload.get("application_id") if isinstance(payload, dict) else None
    if isinstance(named, str) and isinstance(own, str) and named != own:
        return [InputError("/previous/application_id", "previous_application_mismatch",
                           {"other": "/application_id"})]
    return []


def compare(previous: PreviousScreening, decision: Decision) -> Resubmission:
    """Resolved, outstanding and new grounds, in the rule set's order of grounds."""
    before = set(previous.reasons)
    now = {reason.ground.code for reason in decision.reasons}
    order = list(decision.ruleset.grounds)
    return Resubmission(
        resolved=_ordered(before - now, order),
        outstanding=_ordered(before & now, order),
        new=_ordered(now - before, order),
    )


def _ordered(codes: set[str], order: list[str]) -> tuple[str, ...]:
    """Codes in ``order``; a code the rule set does not know (an older version's) goes last."""
    return tuple(sorted(codes, key=lambda code: (order.index(code) if code in order else len(order), code)))


def _in_pointer_order(errors: list[InputError]) -> list[InputError]:
    """Errors by pointer, array indices compared as numbers, as the validator lists them."""
    def key(error: InputError) -> tuple:
        tokens = error.pointer.split("/")[1:]
        return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in tokens), error.code
    return sorted(errors, key=key)
