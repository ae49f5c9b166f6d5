"""worst_body_cpu_ms: the costliest body under 1 MiB that we know, screened in process.

Every body of ``tests/hostile_bodies.py`` (valid JSON built to cost the most
in one stage: 150,000 empty documents, 100,000 unknown keys, a megabyte of
nested arrays, of escaped lone surrogates, of combining marks ...) is taken
from its bytes to the bytes of its answer through ``specreg.answering.answer``
(the parse, the screening and the problem document that the route, the batch
and the command line share), in this thread's CPU time, best of a few
rounds. The figure is the worst body's; the notes list the three worst and
their answers' sizes, which must stay under 1 MiB.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from figure import Figure

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import hostile_bodies
from specreg.answering import Question, answer
from specreg.paths import DEFAULT_RULES_DIR
from specreg.screening import Screener

GOAL_MS = 500.0
ANSWER_LIMIT = 1024 * 1024


def measure(rounds: int = 5) -> Figure:
    screener = Screener.from_directory(DEFAULT_RULES_DIR)
    day = date(2026, 3, 20)
    costs: list[tuple[float, str, int, str]] = []
    for name, body in hostile_bodies.bodies().items():
        best, size, shown = float("inf"), 0, ""
        for _ in range(rounds):
            started = time.thread_time()
            given = answer(screener, Question(body, day))  # the route's, the batch's, the CLI's answer
            encoded = json.dumps(given.body, ensure_ascii=False).encode()
            best = min(best, time.thread_time() - started)
            size, shown = len(encoded), encoded[:120].decode(errors="replace")
        costs.append((best * 1e3, name, size, shown))
    costs.sort(reverse=True)
    worst_ms, worst, _, _ = costs[0]
    figure = Figure("worst_body_cpu_ms", worst_ms, "<=", GOAL_MS, [
        f"{len(costs)} hostile bodies under 1 MiB (tests/hostile_bodies.py), bytes to answer bytes, "
        f"best of {rounds}; worst: {worst}",
        *(f"{name}: {ms:.1f} ms, answer {size} bytes" for ms, name, size, _ in costs[:3]),
    ])
    oversized = [name for _, name, size, _ in costs if size >= ANSWER_LIMIT]
    if oversized:
        figure.blockers.append(f"answers of 1 MiB or more: {', '.join(oversized)}")
    return figure
