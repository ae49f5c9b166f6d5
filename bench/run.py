"""``make bench``: the figures of the production service, side by side in one run.

Each figure prints its notes, then one line ``ratio NAME VALUE (goal OP
TARGET)``; a summary follows. Exit status 1 when a goal is missed. The
figures run one after another, never in parallel, so none disturbs another's
measurement. ``--only NAME`` runs one figure (while working on it);
``--quick`` runs every figure with few rounds and small workloads, to check
that they work (its values are not results).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import batch_speedup
import floor
import http_load
import peer
import worst_body
from figure import Figure
from workload import Reference, reference

from specreg.paths import DEFAULT_RULES_DIR
from specreg.screening import Screener

RSS_SCREENINGS, RSS_MARK = 100_000, 10_000


def rss_growth(_: Reference, quick: bool = False) -> Figure:
    script = Path(__file__).with_name("rss.py")
    total, mark = (RSS_SCREENINGS // 20, RSS_MARK // 20) if quick else (RSS_SCREENINGS, RSS_MARK)
    found = _rss_run(script, total, mark)
    early, late = found[f"rss_at_{mark}"], found[f"rss_at_{total}"]
    return Figure("rss_growth_100k", late / early, "<=", 1.10, [
        f"one process, {total} screenings of varied applications in {found['seconds']:.0f} s: "
        f"RSS {early / 2**20:.1f} MiB after {mark}, {late / 2**20:.1f} MiB after {total}",
    ])


def _rss_run(script: Path, total: int, mark: int) -> dict:
    out = subprocess.run([sys.executable, str(script), str(total), str(mark)],
                         stdout=subprocess.PIPE, text=True, check=True, timeout=1800).stdout
    return json.loads(out)


def figures(screener: Screener, quick: bool) -> dict[str, Callable[[Reference], Figure]]:
    return {
        "screening_vs_compiled_check": lambda ref: floor.measure(screener, ref, rounds=3 if quick else 15),
        "rule_stage_vs_zen": lambda ref: peer.measure(screener, ref),
        "http_overhead": lambda ref: http_load.figure("http_overhead", ref, quick),
        "http_vs_bare_flask": lambda ref: http_load.figure("http_vs_bare_flask", ref, quick),
        "batch_2proc_speedup": lambda ref: (batch_speedup.measure(ref, lines=600, rounds=1) if quick
                                            else batch_speedup.measure(ref)),
        "rss_growth_100k": lambda ref: rss_growth(ref, quick),
        "worst_body_cpu_ms": lambda _: worst_body.measure(rounds=1 if quick else 5),
    }


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.platform()}; "
            f"{os.cpu_count()} cores; Python {platform.python_version()}; load average {load}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only this figure (repeatable)")
    parser.add_argument("--quick", action="store_true", help="few rounds: check the figures work")
    args = parser.parse_args()
    print(f"# specreg bench{' (quick: not results)' if args.quick else ''}: {machine()}", flush=True)
    ref = reference()
    table = figures(Screener.from_directory(DEFAULT_RULES_DIR), args.quick)
    results = []
    for name, measure in table.items():
        if args.only and name not in args.only:
            continue
        started = time.monotonic()
        figure = measure(ref)
        for note in [*figure.notes, *figure.blockers]:
            print(f"  {note}")
        print(figure.line() + ("" if figure.met else "  MISSED"),
              f"  [{time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.1f}]", flush=True)
        results.append(figure)
    missed = [figure.name for figure in results if not figure.met]
    print(f"# {len(results) - len(missed)} of {len(results)} goals met"
          + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
