"""Timing two functions side by side on a shared, noisy machine.

The two sides take turns call by call (A, B, A, B, ...), so each call runs
after one call of the other side, never in a hot loop of its own: in the
service no stage runs twice in a row, and a function repeated back to back
finds its code and data in the processor's caches, which flatters it (by a
fifth for the schema validation). A burst of load from elsewhere hits both
sides alike. Time is this thread's CPU time (``time.thread_time``), not the
wall clock, so waiting for a core that another process holds does not count.
Calls are grouped in rounds; each side's figure is its best round
(interference only ever adds time), and the median round shows the spread.
:func:`each_alone` times each side in a hot loop of its own, for comparison.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    best: float  # seconds a call, in the fastest round
    median: float

    def __str__(self) -> str:
        return f"best {self.best * 1e6:.1f} us, median {self.median * 1e6:.1f} us a call (CPU)"


def side_by_side(first: Callable[[], object], second: Callable[[], object],
                 rounds: int = 15, calls: int = 40) -> tuple[Timing, Timing]:
    """Per-call CPU times of both functions, called in turns, ``calls`` pairs a round."""
    for _ in range(calls):  # warm lazy set-up on both sides
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        spent_a = spent_b = 0.0
        for _ in range(calls):
            start = time.thread_time()
            first()
            middle = time.thread_time()
            second()
            spent_a += middle - start
            spent_b += time.thread_time() - middle
        a.append(spent_a / calls)
        b.append(spent_b / calls)
    return _timing(a), _timing(b)


def each_alone(first: Callable[[], object], second: Callable[[], object],
               rounds: int = 15, calls: int = 40) -> tuple[Timing, Timing]:
    """The same, but each round runs ``calls`` calls of one side back to back, then of the other."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        a.append(_round(first, calls))
        b.append(_round(second, calls))
    return _timing(a), _timing(b)


def _timing(samples: list[float]) -> Timing:
    return Timing(min(samples), statistics.median(samples))


def _round(function: Callable[[], object], calls: int) -> float:
    start = time.thread_time()
    for _ in range(calls):
        function()
    return (time.thread_time() - start) / calls
