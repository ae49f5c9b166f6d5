"""http_vs_bare_flask and http_overhead, from one set of ``wrk`` rounds.

The service runs as ``make run`` serves it (:mod:`specreg.web.front`: nginx in
front of the screening pool); the bare Flask echo runs under gunicorn with
the service's settings (``gunicorn_bare.conf.py`` copies ``gunicorn.conf.py``
value for value: same worker count and class). Both get the same load from
``wrk`` on loopback (one thread, ``CONNECTIONS`` connections, the reference
application as the body of every POST). Rounds alternate between the two;
each side's figure is its best round. Each round is bounded in time and in
count (``post.lua`` stops after ``MAX_REQUESTS`` answers). Errors are socket
errors plus non-2xx answers, summed over every round.

* ``http_vs_bare_flask``: requests a second, ours over the echo's (>= 0.35, 0 errors).
* ``http_overhead``: the screening workers' CPU a request, over the in-process
  CPU of the same answer (body bytes to answer bytes through
  ``specreg.answering.answer``, the one function the route, batch and CLI share)
  plus the echo worker's CPU a request (<= 1.25): what serving a screening
  costs beyond the screening and a bare Flask request. The in-process figure
  is taken right after each pair of rounds and compared with that pair (this
  machine's speed drifts within a run); the best pair is the figure, every
  pair is printed. nginx's own CPU a request is printed beside it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from figure import Figure
from workload import REPO, Reference

from specreg.answering import Question, answer
from specreg.compact_json import compact_json
from specreg.paths import DEFAULT_RULES_DIR
from specreg.screening import Screener

BENCH = Path(__file__).resolve().parent
CONNECTIONS = 4
MAX_REQUESTS = 50_000
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True)
class Round:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float  # the workers' CPU time (user + system) a request


def _workers_cpu(master: int) -> float:
    """Seconds of CPU the master's children (the workers) have used so far."""
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # exited meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(config: Path, app: str, workdir: Path, ready_path: str, *extra: str):
    """A gunicorn on a free loopback port, stopped (SIGTERM, then waited for) on exit."""
    port = _free_port()
    metrics = tempfile.mkdtemp(prefix="specreg-bench-metrics-")
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": metrics}
    env.pop("SPECREG_DECISION_LOG", None)
    log = (workdir / f"{config.stem}.log").open("wb")
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn_bin), "--config", str(config), *extra, app], cwd=REPO, env=env,
                               stdout=log, stderr=log)
    try:
        _wait_ready(f"http://127.0.0.1:{port}{ready_path}", process)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        shutil.rmtree(metrics, ignore_errors=True)


def _wait_ready(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 60 s")


def wrk(url: str, body: Path, seconds: float, master: int) -> Round:
    env = {**os.environ, "BENCH_BODY": str(body), "BENCH_MAX_REQUESTS": str(MAX_REQUESTS)}
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "10s", "--latency",
               "-s", str(BENCH / "post.lua"), url]
    cpu_before = _workers_cpu(master)
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True,
                         timeout=seconds + 60).stdout
    cpu = _workers_cpu(master) - cpu_before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return Round(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_latency(out, "50%"), p99_ms=_latency(out, "99%"),
        errors=sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", out)))
        + int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1]),
        cpu_ms=cpu * 1e3 / max(requests, 1),
    )


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out).groups()
    return float(value) * _UNITS[unit]


@contextmanager
def front(workdir: Path):
    """``make run``'s server on a free port: yields its URL, the screening pool's master and nginx's."""
    port = _free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port)}
    env.pop("SPECREG_DECISION_LOG", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = (workdir / "front.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "specreg.web.front"], cwd=REPO, env=env,
                               stdout=log, stderr=log)
    try:
        _wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                  text=True).stdout.split()
        screening = next(int(pid) for pid in children
                         if b"screening.sock" in Path(f"/proc/{pid}/environ").read_bytes())
        nginx = next(int(pid) for pid in children
                     if Path(f"/proc/{pid}/comm").read_text().startswith("nginx"))
        yield f"http://127.0.0.1:{port}", screening, nginx
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def in_process_cpu_ms(screener: Screener, ref: Reference, rounds: int = 15, calls: int = 40) -> float:
    """Best round's CPU a call of body bytes -> answer bytes, in this process, through
    ``specreg.answering.answer`` (the function the route, the batch and the CLI share) and the
    route's encoder (:func:`specreg.compact_json.compact_json`)."""

    def once() -> bytes:
        return compact_json(answer(screener, Question(ref.body, ref.as_of)).body)

    for _ in range(calls):
        once()
    best = float("inf")
    for _ in range(rounds):
        started = time.thread_time()
        for _ in range(calls):
            once()
        best = min(best, (time.thread_time() - started) / calls)
    return best * 1e3


_MEASURED: dict[str, Figure] = {}


def figure(name: str, ref: Reference, quick: bool = False) -> Figure:
    """One of the two figures; the rounds behind both run once."""
    if name not in _MEASURED:
        _MEASURED.update(measure(ref, rounds=1 if quick else 3, seconds=2.0 if quick else 5.0))
    return _MEASURED[name]


def measure(ref: Reference, rounds: int = 3, seconds: float = 5.0) -> dict[str, Figure]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs it: apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="specreg-bench-") as tmp:
        workdir = Path(tmp)
        body = workdir / "body.json"
        body.write_bytes(ref.body)
        with front(workdir) as ours, \
                gunicorn(BENCH / "gunicorn_bare.conf.py", "bare_app:app", workdir, "/echo-ready",
                         "--pythonpath", str(BENCH)) as bare:
            routes = {"specreg": (f"{ours[0]}/api/v1/screenings?as_of={ref.as_of.isoformat()}", ours[1]),
                      "bare": (f"{bare[0]}/echo", bare[1])}
            results: dict[str, list[Round]] = {"specreg": [], "bare": []}
            nginx_ms: list[float] = []
            for url, master in routes.values():
                wrk(url, body, 2, master)  # warm-up, not counted
            screener = Screener.from_directory(DEFAULT_RULES_DIR)
            inside: list[float] = []
            for _ in range(rounds):
                for side, (url, master) in routes.items():
                    nginx_before = _workers_cpu(ours[2])
                    results[side].append(wrk(url, body, seconds, master))
                    if side == "specreg":
                        served = results[side][-1]
                        spent = _workers_cpu(ours[2]) - nginx_before
                        nginx_ms.append(spent * 1e3 / max(served.rps * seconds, 1))
                # the in-process answer right after the round it is compared with: this machine's
                # speed drifts by half within an hour, so figures taken apart are not comparable
                inside.append(in_process_cpu_ms(screener, ref, rounds=5))
    best = {side: max(found, key=lambda r: r.rps) for side, found in results.items()}
    errors = {side: sum(r.errors for r in found) for side, found in results.items()}
    paired = [(ours_round.cpu_ms / (inside_ms + bare_round.cpu_ms), ours_round, bare_round, inside_ms)
              for ours_round, bare_round, inside_ms in zip(results["specreg"], results["bare"], inside,
                                                           strict=True)]
    ratio, ours_round, bare_round, inside_ms = min(paired, key=lambda entry: entry[0])
    overhead = Figure("http_overhead", ratio, "<=", 1.25, [
        f"best round: a screening worker's CPU a request {ours_round.cpu_ms:.3f} ms, over the in-process "
        f"answer {inside_ms:.3f} ms (measured right after that round) plus the bare echo worker's "
        f"{bare_round.cpu_ms:.3f} ms",
        "every round: " + ", ".join(f"{entry[0]:.2f}" for entry in paired),
        f"nginx's CPU a screening request (not in the figure): {min(nginx_ms):.3f} ms",
    ])
    figure = Figure("http_vs_bare_flask", best["specreg"].rps / best["bare"].rps, ">=", 0.35, [
        f"specreg as make run serves it (nginx, then the screening pool), the echo under gunicorn with "
        f"gunicorn.conf.py's settings ({os.cpu_count()} cores), wrk -t1 -c{CONNECTIONS}, "
        f"{rounds} alternating rounds of {seconds:g} s a side, best round shown",
        *(f"{side}: {r.rps:.1f} req/s, p50 {r.p50_ms:.2f} ms, p99 {r.p99_ms:.2f} ms, "
          f"errors {errors[side]} (all rounds: {', '.join(f'{x.rps:.0f}' for x in results[side])} req/s)"
          for side, r in best.items()),
        "workers' CPU a request (best round): " + ", ".join(
            f"{side} {min(x.cpu_ms for x in found):.2f} ms" for side, found in results.items())
        + f"; at 0.6 specreg may spend {min(x.cpu_ms for x in results['bare']) / 0.6:.2f} ms",
    ])
    if errors["specreg"] or errors["bare"]:
        figure.blockers.append(f"errors: specreg {errors['specreg']}, bare {errors['bare']} (goal: 0)")
    return {"http_vs_bare_flask": figure, "http_overhead": overhead}
