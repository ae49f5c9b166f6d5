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
import resource
import tempfile
import time
from pathlib import Path

from figure import Figure
from workload import Reference, varied_lines

from specreg.batch import screen_lines
from specreg.paths import DEFAULT_RULES_DIR


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the pool's workers)."""
    return sum(usage.ru_utime + usage.ru_stime for usage in
               (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def _run(source: Path, target: Path, ref: Reference, workers: int) -> tuple[float, float, str]:
    """Wall time, cores used on average (CPU time over wall time), and the output's digest."""
    start, cpu = time.perf_counter(), _cpu_seconds()
    with source.open("rb") as lines, target.open("wb") as out:
        for line, _ in screen_lines(lines, DEFAULT_RULES_DIR, ref.as_of, None, workers):
            out.write(line)
    elapsed = time.perf_counter() - start
    return elapsed, (_cpu_seconds() - cpu) / elapsed, hashlib.sha256(target.read_bytes()).hexdigest()


def measure(ref: Reference, lines: int = 6000, rounds: int = 2) -> Figure:
    with tempfile.TemporaryDirectory(prefix="specreg-bench-") as tmp:
        source, target = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_bytes(b"\n".join(varied_lines(lines)) + b"\n")
        runs: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
        digests = set()
        for _ in range(rounds):
            for workers in (1, 2):
                elapsed, cores, digest = _run(source, target, ref, workers)
                runs[workers].append((elapsed, cores))
                digests.add(digest)
    (one, one_cores), (two, two_cores) = min(runs[1]), min(runs[2])
    figure = Figure("batch_2proc_speedup", one / two, ">=", 1.8, [
        f"{lines} lines; 1 process: {one:.2f} s ({lines / one:.0f} lines/s); "
        f"2 processes: {two:.2f} s ({lines / two:.0f} lines/s)",
        f"cores used on average (CPU time over wall time): {one_cores:.2f} with 1 process, "
        f"{two_cores:.2f} with 2 (below ~1.9, other work held a core: the figure says little then)",
    ])
    if len(digests) != 1:
        figure.blockers.append("the 1- and 2-process outputs differ")
    return figure
