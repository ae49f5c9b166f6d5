"""A real gunicorn, started as ``make run`` starts it (gunicorn.conf.py), on a free loopback port."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules"


def copy_rules(target: Path) -> Path:
    """A rule directory the test may edit."""
    shutil.copytree(RULES, target)
    return target


TERM = re.compile(r"(category_term_years:\n\s+value: )\d+")


def with_term(text: str, years: int) -> str:
    """A rule set file's text with another category term (the typed parameter's value)."""
    changed, count = TERM.subn(rf"\g<1>{years}", text)
    assert count == 1, "the rule set file no longer declares category_term_years as expected"
    return changed


def set_term(rules: Path, years: int) -> None:
    """Edit the shipped rule set of a copied rule directory: a category term of ``years``."""
    target = rules / "rulesets" / "rules-2025.yaml"
    target.write_text(with_term(target.read_text(encoding="utf-8"), years), encoding="utf-8")


def add_version(rules: Path, version: str, effective_from: str, term_years: int | None = None) -> Path:
    """End 2025.1 on ``effective_from`` and add ``version`` from that day (optionally another term)."""
    current = rules / "rulesets" / "rules-2025.yaml"
    text = current.read_text(encoding="utf-8")
    current.write_text(text.replace('effective_from: "2025-01-25"',
                                    f'effective_from: "2025-01-25"\neffective_until: "{effective_from}"'),
                       encoding="utf-8")
    later = (text.replace('version: "2025.1"', f'version: "{version}"')
             .replace('effective_from: "2025-01-25"', f'effective_from: "{effective_from}"'))
    if term_years is not None:
        later = with_term(later, term_years)
    (rules / "rulesets" / f"rules-{version.split('.')[0]}.yaml").write_text(later, encoding="utf-8")
    return rules


def add_2026_version(rules: Path) -> Path:
    """2025.1 in force until 1 July 2026, then 2026.1 whose category term is 2 years."""
    return add_version(rules, "2026.1", "2026-07-01", term_years=2)


def bump_version(rules: Path, version: str) -> None:
    """Give the rule set file a new version: the answers' ``ruleset.version`` shows which rules served."""
    target = rules / "rulesets" / "rules-2025.yaml"
    text = target.read_text(encoding="utf-8")
    start = text.index('\nversion: "') + len('\nversion: "')
    end = text.index('"', start)
    draft = target.with_suffix(".draft")  # written whole, then renamed: a reload never reads half a file
    draft.write_text(text[:start] + version + text[end:], encoding="utf-8")
    draft.replace(target)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """One server process; its stderr (JSON log lines) goes to a file the test reads."""

    COMMAND: tuple[str, ...] = ("-m", "gunicorn", "--config", "gunicorn.conf.py",
                                "specreg.web.app:create_app()")
    STOP_SECONDS = 30

    def __init__(self, workdir: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr_path = workdir / f"gunicorn-{self.port}.err"
        self.env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port), **env}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen([sys.executable, *self.COMMAND], cwd=REPO, env=self.env,
                                            stdout=subprocess.DEVNULL, stderr=stderr)
        self._wait_ready()
        return self

    def __exit__(self, *_: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=self.STOP_SECONDS)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def wait_workers(self, count: int, timeout: float = 30) -> list[int]:
        """The worker pids once ``count`` workers run with the app loaded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) == count and all(self.worker_ready(pid) for pid in pids):
                return pids
            time.sleep(0.1)
        raise AssertionError(f"{count} workers did not boot: {self.log_text()[-2000:]}")

    def worker_ready(self, pid: int) -> bool:
        """Loading the app installs its SIGHUP handler: until then a worker catches no SIGHUP."""
        status = Path(f"/proc/{pid}/status").read_text()
        caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
        return bool(int(caught.split()[1], 16) & (1 << (signal.SIGHUP - 1)))

    def log_text(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def log_records(self) -> list[dict[str, Any]]:
        """Every stderr line, each of which must be one JSON object."""
        return [json.loads(line) for line in self.log_text().splitlines() if line.strip()]

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log_text()[-3000:]}")
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn was not ready in 60 s")

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, None, **headers)

    def post_json(self, path: str, payload: Any, **headers: str) -> tuple[int, dict[str, str], Any]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        status, answer_headers, raw = self.request("POST", path, body, **{
            "Content-Type": "application/json", **headers})
        return status, answer_headers, json.loads(raw) if raw else None

    def request(self, method: str, path: str, body: bytes | None,
                **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(f"{self.url}{path}", data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


class Front(Gunicorn):
    """The whole of ``make run``: nginx in front of the screening and batch pools (specreg.web.front).

    Its ``pid`` is the front's; ``pool_masters`` are the two gunicorn masters under it.
    """

    COMMAND = ("-m", "specreg.web.front")
    STOP_SECONDS = 60  # nginx and both pools

    def pool_masters(self) -> list[int]:
        """The screening pool's master, then the batch pool's."""
        masters = [pid for pid in self.worker_pids() if "gunicorn" in _cmdline(pid)]
        return sorted(masters, key=lambda pid: "batch.sock" in Path(f"/proc/{pid}/environ").read_bytes()
                      .decode(errors="replace"))

    def pool_workers(self, master: int) -> list[int]:
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
