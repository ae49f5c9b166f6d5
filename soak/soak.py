"""Soak: a bounded load on a real gunicorn, checked answer by answer (``make soak``).

Starts the server as ``make run`` does (nginx in front of gunicorn) on a free loopback
port, then keeps ``SOAK_CONNECTIONS`` (default 32) keep-alive connections busy
for ``SOAK_SECONDS`` (default 60) with the fixture cases of ``fixtures/``:
registering, returning, refusing and invalid applications, each compared with
the answer its case expects (``specreg.workbench.cases.differences``). Prints the errors
(a transport failure, an unexpected status, a wrong answer), p50/p99 latency
and the workers' RSS after warm-up and at the end. Exits non-zero unless there
was no error and RSS grew by less than ``SOAK_MAX_RSS_GROWTH`` (default 10%).

Other settings: ``WORKERS`` (default 2) for the screening pool; gunicorn's ``MAX_REQUESTS`` is forced to 0 so no worker is recycled
and a leak has nowhere to hide.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from specreg.workbench.cases import Case, collect_cases, differences
from specreg.paths import DEFAULT_FIXTURES_DIR

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only, whatever the environment says


@dataclass
class Tally:
    """What the clients saw; each client thread appends under the lock."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, case: Case, seconds: float, status: int | None, problems: list[str]) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.outcomes[_kind(case)] += 1
            if problems:
                self.errors["transport" if status is None else "unexpected answer"] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{case.source.name}:{case.name}: {'; '.join(problems)}")


def _kind(case: Case) -> str:
    status = case.expect.get("status", 200)
    return case.expect.get("outcome", "?") if status == 200 else f"invalid ({status})"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """What ``make run`` serves: nginx in front of the screening and batch pools (specreg.web.front)."""
    env = {**os.environ, "HOST": HOST, "PORT": str(port), "WORKERS": os.environ.get("WORKERS", "2"),
           "MAX_REQUESTS": "0", "SPECREG_LOG_LEVEL": "warning"}
    return subprocess.Popen([sys.executable, "-m", "specreg.web.front"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(server: subprocess.Popen, port: int, workers: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} before it was ready")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200 and len(worker_pids(server.pid)) == workers:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn was not ready in time")


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def worker_pids(front: int) -> list[int]:
    """The screening pool's workers: children of the gunicorn master bound to screening.sock."""
    for child in _children(front):
        if b"screening.sock" in Path(f"/proc/{child}/environ").read_bytes():
            return _children(child)
    return []


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def prepared(cases: list[Case]) -> list[tuple[Case, bytes, dict[str, str]]]:
    """Each case's request, encoded once."""
    return [
        (case, json.dumps(case.payload, ensure_ascii=False).encode(),
         {"Content-Type": "application/json", **case.headers})
        for case in cases
    ]


def client(port: int, requests: list, start: int, until: float, tally: Tally) -> None:
    """One keep-alive connection sending the cases round-robin until ``until``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    index = start
    while time.monotonic() < until:
        case, body, headers = requests[index % len(requests)]
        index += 1
        began = time.perf_counter()
        try:
            connection.request("POST", f"/api/v1/screenings{case.query}", body=body, headers=headers)
            answer = connection.getresponse()
            status, raw = answer.status, answer.read()
            problems = differences(case, status, json.loads(raw))
        except (OSError, http.client.HTTPException, ValueError) as error:
            connection.close()
            status, problems = None, [f"{type(error).__name__}: {error}"]
        tally.record(case, time.perf_counter() - began, status, problems)
    connection.close()


def load(port: int, requests: list, seconds: float, connections: int) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, requests, n * 7, until, tally), daemon=True)
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(tally: Tally, seconds: float, rss_start: dict[int, int], rss_end: dict[int, int]) -> bool:
    """Print the figures; True when every goal is met."""
    count = len(tally.latencies)
    growth_limit = float(os.environ.get("SOAK_MAX_RSS_GROWTH", "0.10"))
    start, end = sum(rss_start.values()), sum(rss_end.values())
    growth = (end - start) / start if start else 0.0
    errors = sum(tally.errors.values())
    print(f"requests: {count} in {seconds:.0f} s ({count / seconds:.0f}/s); mix: {dict(tally.outcomes)}")
    print(f"errors: {errors} {dict(tally.errors) if errors else ''}")
    for example in tally.examples:
        print(f"  {example}")
    print(f"latency: p50 {percentile(tally.latencies, 0.50) * 1000:.1f} ms, "
          f"p99 {percentile(tally.latencies, 0.99) * 1000:.1f} ms")
    print(f"worker RSS: start {start / 1024:.1f} MiB {_by_pid(rss_start)}, "
          f"end {end / 1024:.1f} MiB {_by_pid(rss_end)}, growth {growth:+.1%} (goal < {growth_limit:.0%})")
    same_workers = set(rss_start) == set(rss_end)
    if not same_workers:
        print("a worker was replaced during the run")
    return errors == 0 and growth < growth_limit and same_workers and count > 0


def _by_pid(rss: dict[int, int]) -> str:
    return "(" + ", ".join(f"{pid}: {kib / 1024:.1f}" for pid, kib in sorted(rss.items())) + ")"


def main() -> int:
    seconds = float(os.environ.get("SOAK_SECONDS", "60"))
    connections = int(os.environ.get("SOAK_CONNECTIONS", "32"))
    workers = int(os.environ.get("WORKERS", "2"))
    requests = prepared(collect_cases([DEFAULT_FIXTURES_DIR]))
    port = free_port()
    server = start_server(port)
    try:
        wait_ready(server, port, workers)
        warm_up = max(5.0, seconds / 10)  # first requests fill caches: RSS is measured after them
        print(f"soak: {len(requests)} fixture cases, {connections} connections, {seconds:.0f} s "
              f"after {warm_up:.0f} s of warm-up, {workers} workers on {HOST}:{port}")
        warm = load(port, requests, warm_up, connections)
        pids = worker_pids(server.pid)
        rss_start = {pid: rss_kib(pid) for pid in pids}
        began = time.monotonic()
        tally = load(port, requests, seconds, connections)
        elapsed = time.monotonic() - began
        rss_end = {pid: rss_kib(pid) for pid in worker_pids(server.pid)}
        tally.errors.update(warm.errors)
        tally.examples[:0] = warm.examples
        passed = report(tally, elapsed, rss_start, rss_end)
    finally:
        server.terminate()
        server.wait(timeout=60)
    print("soak: PASS" if passed else "soak: FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
