"""``make bench``: the five figures of the production service, side by side in one run.

Each figure prints its notes, then one line ``ratio NAME VALUE (goal OP
TARGET)``; a summary follows. Exit status 1 when a goal is missed. The
figures run one after another, never in parallel, so none disturbs another's
measurement. ``--only NAME`` runs one figure (while working on it).
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
from figure import Figure
from workload import Reference, reference

from specreg.paths import DEFAULT_RULES_DIR
from specreg.screening import Screener

RSS_SCREENINGS, RSS_MARK = 100_000, 10_000


def rss_growth(_: Reference) -> Figure:
    script = Path(__file__).with_name("rss.py")
    out = subprocess.run([sys.executable, str(script), str(RSS_SCREENINGS), str(RSS_MARK)],
                         stdout=subprocess.PIPE, text=True, check=True, timeout=1800).stdout
    found = json.loads(out)
    early, late = found[f"rss_at_{RSS_MARK}"], found[f"rss_at_{RSS_SCREENINGS}"]
    return Figure("rss_growth_100k", late / early, "<=", 1.10, [
        f"one process, {RSS_SCREENINGS} screenings of varied applications in {found['seconds']:.0f} s: "
        f"RSS {early / 2**20:.1f} MiB after {RSS_MARK}, {late / 2**20:.1f} MiB after {RSS_SCREENINGS}",
    ])


def figures(screener: Screener) -> dict[str, Callable[[Reference], Figure]]:
    return {
        "screening_vs_schema_floor": lambda ref: floor.measure(screener, ref),
        "rule_stage_vs_zen": lambda ref: peer.measure(screener, ref),
        "http_vs_bare_flask": http_load.measure,
        "batch_2proc_speedup": batch_speedup.measure,
        "rss_growth_100k": rss_growth,
    }


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.platform()}; "
            f"{os.cpu_count()} cores; Python {platform.python_version()}; load average {load}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only this figure (repeatable)")
    args = parser.parse_args()
    print(f"# specreg bench: {machine()}", flush=True)
    ref = reference()
    table = figures(Screener.from_directory(DEFAULT_RULES_DIR))
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
