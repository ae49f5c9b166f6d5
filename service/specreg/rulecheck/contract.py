"""The nine grounds of p.9 as the contract with the portal fixes them.

They live in ``schemas/contract_grounds.json``, beside the payload schema and
outside the rule directory, because no rule directory, not even a candidate,
may change them: lint holds every rule set to this list and coverage reports
the grounds no case exercises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from specreg.paths import SCHEMAS_DIR


@dataclass(frozen=True)
class ContractGround:
    """A ground code with the outcome and the place in p.9 the contract gives it."""

    code: str
    outcome: str
    point: int
    subpoint: int
    indent: int

    @property
    def paragraph(self) -> str:
        return f"p.{self.point} sp.{self.subpoint} ¶{self.indent}"


@cache
def contract_grounds() -> tuple[ContractGround, ...]:
    """The nine grounds, in the order of the contract's table."""
    path = SCHEMAS_DIR / "contract_grounds.json"
    entries = json.loads(path.read_text(encoding="utf-8"))["grounds"]
    return tuple(ContractGround(**entry) for entry in entries)
