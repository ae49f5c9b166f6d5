"""batch_2proc_speedup: the batch with two worker processes over one.

Both runs screen the same NDJSON file of varied valid applications through
``specreg.batch.screen_lines`` (what ``specreg screen-batch`` runs: the rule
directory read once, then the lines in order, each answer written to a file)
in this process; only the worker count differs. The timed span includes
reading the rule directory, starting the pool and collecting the answers in
order; it leaves out the interpreter's start-up, which is the same for both.
Runs alternate; each side's figure is its best run. The two output files must
be identical. Goal >= 1.8.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from figure import Figure
from workload import Reference, varied_lines

from specreg.batch import screen_lines


def _run(source: Path, target: Path, ref: Reference, workers: int) -> tuple[float, str]:
    start = time.perf_counter()
    with source.open("rb") as lines, target.open("wb") as out:
        for text, _ in screen_lines(lines, None, ref.as_of, None, workers):
            out.write(text.encode("utf-8") + b"\n")
    elapsed = time.perf_counter() - start
    return elapsed, hashlib.sha256(target.read_bytes()).hexdigest()


def measure(ref: Reference, lines: int = 4000, rounds: int = 2) -> Figure:
    with tempfile.TemporaryDirectory(prefix="specreg-bench-") as tmp:
        source, target = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_bytes(b"\n".join(varied_lines(lines)) + b"\n")
        times: dict[int, list[float]] = {1: [], 2: []}
        digests = set()
        for _ in range(rounds):
            for workers in (1, 2):
                elapsed, digest = _run(source, target, ref, workers)
                times[workers].append(elapsed)
                digests.add(digest)
    one, two = min(times[1]), min(times[2])
    figure = Figure("batch_2proc_speedup", one / two, ">=", 1.8, [
        f"{lines} lines; 1 process: {one:.2f} s ({lines / one:.0f} lines/s); "
        f"2 processes: {two:.2f} s ({lines / two:.0f} lines/s)",
    ])
    if len(digests) != 1:
        figure.blockers.append("the 1- and 2-process outputs differ")
    return figure
