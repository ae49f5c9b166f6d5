"""``make run``: nginx in front of two gunicorn pools, one for screening, one for batches.

Why a front (docs/operations.md): gunicorn's sync workers read a request
themselves, so two clients trickling their headers or bodies one byte a
second held both workers and starved every other request. nginx (Debian's
package) reads each request whole, within bounded times (the header, each
pause, and with its Lua module the whole body), before a worker sees it,
answers what is malformed by itself (a bad request line, 414, 431, a
malformed chunked body) and says so in problem+json, as the app does.

Behind it:

* the **screening pool** (``WORKERS`` sync workers, default: the cores) serves
  every route but the batch;
* the **batch pool** (``BATCH_WORKERS`` gthread workers of ``BATCH_THREADS``
  threads, default 1 x 2) serves ``POST /api/v1/screenings:batch``. A gthread
  worker's main thread keeps beating while a thread streams a long batch, so
  gunicorn's ``TIMEOUT`` never kills a 50 MiB batch halfway. nginx admits as
  many batches at once as the pool has threads and answers 429 with
  ``Retry-After`` beyond them: batches never take a screening worker.

Both pools load ``gunicorn.conf.py`` and listen on unix sockets in a run
directory of their own; they share the metrics directory (``/metrics`` sums
both) and one IIN salt for the run when ``SPECREG_IIN_SALT`` is unset. A
SIGHUP to this process (or the admin reload) reloads the rules in every
worker of both pools. SIGTERM or SIGINT stops all three; so does the end of
any one of them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from specreg.i18n import LANGUAGES
from specreg.messages import ProblemCatalog
from specreg.paths import DEFAULT_RULES_DIR, REPO_ROOT
from specreg.rule_directory import RuleFiles

TEMPLATE = REPO_ROOT / "nginx.conf.in"
ONE_MIB, BATCH_LIMIT = 1024 * 1024, 50 * 1024 * 1024
HTTP_ERRORS = (400, 408, 414, 431)  # answered by nginx itself; their words: http_reasons in problems.yaml
# status nginx gives -> (status the client sees, file): a client's own error is never a 5xx
ERROR_PAGES = {400: (400, "400"), 408: (408, "408"), 411: (400, "400"), 413: (413, "413"),
               414: (414, "414"), 494: (431, "431"), 429: (429, "429"), 501: (400, "400"),
               505: (400, "400"), 500: (500, "500"), 502: (502, "502"), 503: (503, "503"),
               504: (504, "504")}


def nginx_binary() -> str:
    """Debian puts nginx in /usr/sbin, which a user's PATH may lack."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise SystemExit("nginx is not installed: `make run` installs Debian's nginx-light")
    return found


def problem_catalog(env: Mapping[str, str]) -> ProblemCatalog:
    """The problem texts of the rule directory the pools will serve, read as the app reads them."""
    rules = Path(env.get("SPECREG_RULES_DIR") or DEFAULT_RULES_DIR)
    return ProblemCatalog(RuleFiles(rules).data("messages/problems.yaml", "problems.schema.json"))


def problem_documents(language: str, catalog: ProblemCatalog) -> dict[str, dict]:
    """The documents of the answers nginx gives by itself, by file name."""
    documents = {str(status): catalog.body("http-error", language, status=status,
                                           reason=catalog.http_reason(status, language))
                 for status in HTTP_ERRORS}
    documents["413"] = catalog.body("too-large", language, limit=ONE_MIB)
    documents["413-batch"] = catalog.body("too-large", language, limit=BATCH_LIMIT)
    documents["429"] = catalog.body("too-busy", language)
    for status in (500, 502, 503, 504):
        documents[str(status)] = catalog.body("unavailable", language, status=status)
    return documents


def error_pages(batch: bool) -> str:
    """``error_page`` lines; the batch location has its own 413 (nginx does not merge them)."""
    lines = []
    for status, (shown, name) in ERROR_PAGES.items():
        name = "413-batch" if batch and status == 413 else name
        change = f"={shown} " if shown != status else ""
        lines.append(f"error_page {status} {change}/_problem/$problem_language/{name}.json;")
    return "\n".join(lines) + "\n"


def write_run_directory(run: Path, env: Mapping[str, str]) -> Path:
    """nginx's configuration, its temporary directories and the problem documents."""
    catalog = problem_catalog(env)
    for language in LANGUAGES:
        folder = run / "_problem" / language
        folder.mkdir(parents=True)
        for name, document in problem_documents(language, catalog).items():
            (folder / f"{name}.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    (run / "errors.conf").write_text(error_pages(batch=False), "utf-8")
    (run / "errors-batch.conf").write_text(error_pages(batch=True), "utf-8")
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
    batches = int(env.get("BATCH_WORKERS") or 1) * int(env.get("BATCH_THREADS") or 2)
    values = {
        "RUN": str(run),
        "USER": "user root;" if os.geteuid() == 0 else "",  # its workers must reach the sockets
        "LISTEN": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "HEADER_TIMEOUT": env.get("FRONT_HEADER_TIMEOUT") or "10",
        "BODY_TIMEOUT": env.get("FRONT_BODY_TIMEOUT") or "10",
        "BODY_DEADLINE": env.get("FRONT_BODY_DEADLINE") or "30",
        "BATCH_BODY_DEADLINE": env.get("FRONT_BATCH_BODY_DEADLINE") or "600",
        "MODULES": env.get("FRONT_NGINX_MODULES") or "/usr/lib/nginx/modules",
        "BATCHES": str(batches),
        "RETRY_AFTER": env.get("FRONT_RETRY_AFTER") or "5",
        "PER_CLIENT": env.get("FRONT_REQUESTS_PER_CLIENT") or "256",
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    config = run / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    return config


def pool_environments(run: Path, env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The environment of each gunicorn pool (everything else as given)."""
    shared = dict(env)
    shared.setdefault("PROMETHEUS_MULTIPROC_DIR", str(run / "metrics"))
    shared["SPECREG_METRICS_DIR_PREPARED"] = "1"
    shared["SPECREG_RELOAD_PID"] = str(os.getpid())
    if not shared.get("SPECREG_IIN_SALT"):
        shared.setdefault("SPECREG_RUN_IIN_SALT", secrets.token_hex(32))
    screening = {**shared, "BIND": f"unix:{run}/screening.sock", "WORKER_CLASS": "sync", "THREADS": "1"}
    batch = {**shared, "BIND": f"unix:{run}/batch.sock", "WORKER_CLASS": "gthread",
             "WORKERS": env.get("BATCH_WORKERS") or "1", "THREADS": env.get("BATCH_THREADS") or "2"}
    return {"screening": screening, "batch": batch}


def _prepare_metrics(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def _wait_for(paths: list[Path], processes: list[subprocess.Popen], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not all(path.exists() for path in paths):
        if any(process.poll() is not None for process in processes) or time.monotonic() > deadline:
            raise SystemExit("a gunicorn pool did not start")
        time.sleep(0.1)


def serve(env: Mapping[str, str] | None = None) -> int:
    """Start the pools and nginx, relay SIGHUP, and stop everything when one ends or on a signal."""
    env = dict(os.environ if env is None else env)
    run = Path(tempfile.mkdtemp(prefix="specreg-front-"))
    os.chmod(run, 0o755)
    children: list[subprocess.Popen] = []
    try:
        config = write_run_directory(run, env)
        pools = pool_environments(run, env)
        _prepare_metrics(Path(pools["screening"]["PROMETHEUS_MULTIPROC_DIR"]))
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", str(REPO_ROOT / "gunicorn.conf.py"),
                    "specreg.web.app:create_app()"]
        for name in ("screening", "batch"):
            children.append(subprocess.Popen(gunicorn, cwd=REPO_ROOT, env=pools[name]))
        _wait_for([run / "screening.sock", run / "batch.sock"], children)
        children.append(subprocess.Popen([nginx_binary(), "-p", str(run), "-c", str(config),
                                          "-g", "daemon off;"], env=env))
        return _supervise(children)
    finally:
        _stop(children)
        shutil.rmtree(run, ignore_errors=True)


def _supervise(children: list[subprocess.Popen]) -> int:
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)

    def reload(_signum: int, _frame: object) -> None:
        for child in children[:2]:  # the two gunicorn masters: each reloads its workers in place
            child.send_signal(signal.SIGHUP)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, reload)
    while not stopping:
        ended = [child for child in children if child.poll() is not None]
        if ended:
            return ended[0].returncode or 1
        time.sleep(0.2)
    return 0


def _stop(children: list[subprocess.Popen]) -> None:
    for index, child in reversed(list(enumerate(children))):  # nginx first: no new requests
        if child.poll() is None:
            child.send_signal(signal.SIGQUIT if index == 2 else signal.SIGTERM)  # nginx: gracefully
    deadline = time.monotonic() + 35
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main() -> None:
    sys.exit(serve())


if __name__ == "__main__":
    main()
