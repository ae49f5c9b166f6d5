"""gunicorn settings for ``make run``: every value from the environment.

The variables and their defaults are in README.md ("Configuration"). Beyond
settings, this file wires the service into gunicorn's process model:

* Metrics: prometheus_client's multiprocess mode needs a directory shared by
  the workers, empty at start, named by ``PROMETHEUS_MULTIPROC_DIR`` before
  any worker (or, with ``PRELOAD``, the master) imports the app. A dead
  worker's files are marked so its gauges stop counting (``child_exit``).
* Reload: each worker reloads its rules on SIGHUP (``post_worker_init``). A
  SIGHUP to the master is passed on to every worker instead of gunicorn's own
  restart of all workers, which would stop the service if the rule directory
  were broken; the admin reload endpoint sends the master that SIGHUP so that
  all workers follow the one that answered.
* Logs: JSON lines on stderr for gunicorn's loggers and the app's alike.
* The IIN salt: without ``SPECREG_IIN_SALT`` the master draws one for this run
  (``SPECREG_RUN_IIN_SALT``), so all its workers hash an IIN alike (the app still warns).

``make run`` starts two of these behind nginx (:mod:`specreg.web.front`): the pool
that answers every route and the batch pool, each on a unix socket (``BIND``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import tempfile
from pathlib import Path


def _metrics_dir() -> tuple[str, bool]:
    """The multiprocess directory, emptied of a previous run's files; True if made here.

    Under the front both pools share one directory, which the front empties once
    before either starts (``SPECREG_METRICS_DIR_PREPARED``): the second pool must not
    delete the files of the first one's workers.
    """
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    path = Path(given) if given else Path(tempfile.mkdtemp(prefix="specreg-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    if not _flag("SPECREG_METRICS_DIR_PREPARED"):
        for stale in path.glob("*.db"):
            stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return str(path), not given


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


METRICS_DIR, METRICS_DIR_IS_OURS = _metrics_dir()  # before specreg (and prometheus_client) is imported
if not os.environ.get("SPECREG_IIN_SALT"):
    os.environ.setdefault("SPECREG_RUN_IIN_SALT", secrets.token_hex(32))  # one for every worker

from prometheus_client import multiprocess  # noqa: E402

from specreg.web.json_logs import log_config  # noqa: E402
from specreg.web.reloading import ReloadFailed, holder_of, install_sighup  # noqa: E402

bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = os.environ.get("WORKER_CLASS") or "sync"  # the batch pool's is gthread (specreg.web.front)
workers = int(os.environ.get("WORKERS") or len(os.sched_getaffinity(0)))  # the cores this may run on
threads = int(os.environ.get("THREADS") or 1)  # above 1, gunicorn uses its gthread worker
timeout = int(os.environ.get("TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT") or 30)
keepalive = int(os.environ.get("KEEPALIVE") or 2)
max_requests = int(os.environ.get("MAX_REQUESTS") or 0)
max_requests_jitter = int(os.environ.get("MAX_REQUESTS_JITTER") or 0)
preload_app = _flag("PRELOAD")
loglevel = os.environ.get("SPECREG_LOG_LEVEL") or "info"
accesslog = None  # the app logs each request itself, by route, with its request id
control_socket_disable = True  # unused; its fixed default path would collide between instances
logconfig_dict = log_config(loglevel)
logger_class = "specreg.web.json_logs.GunicornLogger"  # builds no access line it would drop


def when_ready(server) -> None:
    server.handle_hup = lambda: _reload_everywhere(server)


def _reload_everywhere(server) -> None:
    """The master's SIGHUP: every worker reloads in place (and, with PRELOAD, the master's copy)."""
    server.log.info("SIGHUP: asking %d worker(s) to reload the rules", len(server.WORKERS))
    if server.cfg.preload_app:  # workers forked later start from the master's copy
        with contextlib.suppress(ReloadFailed):  # logged; the workers' reloads fail alike
            holder_of(server.app.wsgi()).reload("SIGHUP to the master")
    for pid in list(server.WORKERS):
        # one that exited meanwhile is replaced by a worker that loads the directory as it is now
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGHUP)


def post_worker_init(worker) -> None:
    holder = holder_of(worker.wsgi)
    install_sighup(holder)
    # the process whose SIGHUP reloads every worker: this master, or the front above both pools
    target = int(os.environ.get("SPECREG_RELOAD_PID") or worker.ppid)
    holder.notify_peers = lambda: os.kill(target, signal.SIGHUP)


def child_exit(server, worker) -> None:
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if METRICS_DIR_IS_OURS:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
