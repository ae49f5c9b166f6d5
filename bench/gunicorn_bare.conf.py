"""gunicorn settings for the bare Flask endpoint: the service's own, value for value.

The service's ``gunicorn.conf.py`` is read and every plain setting it makes is
copied; only its hooks (metrics directory, rule reload) are left out, since
they concern specreg's app and would fail on another one.
"""

import runpy
from pathlib import Path

_SERVICE = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
_SETTINGS = ("bind", "workers", "threads", "timeout", "graceful_timeout", "keepalive", "max_requests",
             "max_requests_jitter", "preload_app", "loglevel", "accesslog", "control_socket_disable",
             "logconfig_dict", "logger_class", "worker_class", "backlog", "worker_connections")
globals().update({name: _SERVICE[name] for name in _SETTINGS if name in _SERVICE})
