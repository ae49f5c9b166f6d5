"""A real gunicorn on a broken rule directory stops, naming the file, and never serves.

``tests/test_failing_closed.py`` shows ``create_app`` raising on each kind of
broken file; this is the same as an operator sees it: ``SPECREG_RULES_DIR``
pointing at a broken copy, the server started as ``make run`` starts it
(``gunicorn.conf.py``), with the app loaded in the workers or, with
``PRELOAD``, in the master. It must exit non-zero, its stderr must name the
file (and the line, where the file is not even YAML), and no request may be
answered in the meantime.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gunicorn_process import REPO, copy_rules, free_port

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`


def _malformed_yaml(rules: Path) -> tuple[str, str]:
    target = rules / "reference" / "professions.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "  - id: [unclosed\n", encoding="utf-8")
    return "reference/professions.yaml", r"professions\.yaml:\d+: error: is not valid YAML"


def _unknown_ground(rules: Path) -> tuple[str, str]:
    target = rules / "rulesets" / "rules-2025.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("ground: employment_mismatch", "ground: employment_mismatc"), "utf-8")
    return "rulesets/rules-2025.yaml", "cites .employment_mismatc., which is not a ground"


def _missing_catalog(rules: Path) -> tuple[str, str]:
    (rules / "reference" / "documents.yaml").unlink()
    return "reference/documents.yaml", "cannot be read"


def _schema_breach(rules: Path) -> tuple[str, str]:
    target = rules / "reference" / "documents.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("required_when: always", "required_when: sometimes", 1), "utf-8")
    return "reference/documents.yaml", (r"documents\.yaml:\d+: error: "
                                        r"kinds\.identity_document\.required_when: must be one of")


BREAKAGES = {
    "malformed-yaml": _malformed_yaml,
    "unknown-ground": _unknown_ground,
    "missing-catalog": _missing_catalog,
    "schema-breach": _schema_breach,
}


def _start_and_watch(rules: Path, preload: bool, timeout: float = 90) -> tuple[int, str, list[int]]:
    """Start gunicorn, poll it until it exits; the statuses any poll got are returned too."""
    port = free_port()
    env = {**os.environ, "SPECREG_RULES_DIR": str(rules), "HOST": "127.0.0.1", "PORT": str(port),
           "WORKERS": "1", "PRELOAD": "1" if preload else "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "specreg.web.app:create_app()"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    answered: list[int] = []
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None and time.monotonic() < deadline:
            answered += _poll(f"http://127.0.0.1:{port}")
            time.sleep(0.1)
        if process.poll() is None:
            raise AssertionError(f"gunicorn still running after {timeout} s on a broken rule directory")
    finally:
        if process.poll() is None:
            process.kill()
        stderr = process.communicate(timeout=30)[1].decode("utf-8", errors="replace")
    return process.returncode, stderr, answered


def _poll(url: str) -> list[int]:
    statuses = []
    for path in ("/healthz", "/readyz"):
        try:
            with urllib.request.urlopen(url + path, timeout=1) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        except OSError:
            pass
    return statuses


@pytest.mark.parametrize(("breakage", "preload"), [
    *((name, False) for name in BREAKAGES), ("malformed-yaml", True), ("unknown-ground", True),
])
def test_gunicorn_on_a_broken_rule_directory_exits_naming_the_file(tmp_path, breakage, preload):
    rules = copy_rules(tmp_path / "rules")
    relative, detail = BREAKAGES[breakage](rules)
    returncode, stderr, answered = _start_and_watch(rules, preload)
    assert returncode != 0
    assert str(rules / relative) in stderr
    assert re.search(detail, stderr), stderr[-2000:]
    assert 200 not in answered, "a request was answered 200 on a broken rule directory"
