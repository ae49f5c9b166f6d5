"""One figure of the bench and the line it prints."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

_OPS = {"<=": operator.le, ">=": operator.ge}


@dataclass
class Figure:
    name: str
    value: float
    op: str
    target: float
    notes: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)  # conditions of the goal besides the ratio

    @property
    def met(self) -> bool:
        return _OPS[self.op](self.value, self.target) and not self.blockers

    def line(self) -> str:
        return f"ratio {self.name} {self.value:.2f} (goal {self.op} {self.target})"
