"""rss_growth_100k: resident memory after 100k screenings over after 10k, in one process.

Run as its own process (``python bench/rss.py``) so that nothing else the
bench did shows in its memory. One ``Screener`` screens varied valid
applications, each parsed afresh from its own line of bytes (so every
screening gets new objects, as a served request does); the resident set size
is read from ``/proc/self/statm`` after the 10,000th and the 100,000th.
Goal <= 1.10.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import reference, varied_lines

from specreg.jsonbody import parse_json
from specreg.paths import DEFAULT_RULES_DIR
from specreg.screening import Screener


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main(total: int = 100_000, mark: int = 10_000) -> None:
    screener, as_of = Screener.from_directory(DEFAULT_RULES_DIR), reference().as_of
    found: dict[str, float] = {}
    start = time.perf_counter()
    for number, line in enumerate(varied_lines(total), start=1):
        screener.screen(parse_json(line), as_of)
        if number in (mark, total):
            found[f"rss_at_{number}"] = resident_bytes()
        if number % 10_000 == 0:
            print(f"  rss: {number} screenings, {time.perf_counter() - start:.0f} s, "
                  f"{resident_bytes() / 2**20:.1f} MiB", file=sys.stderr, flush=True)
    found["seconds"] = time.perf_counter() - start
    print(json.dumps(found))


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
