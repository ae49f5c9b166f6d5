"""The Makefile's set-up: the Python version is checked first, and a venv follows its Python.

durable-rules does not import on Python 3.13: a venv built by it fails only
later, at start-up. ``make`` says so before it builds anything, and a venv
made by another Python (its version is in the name of a stamp file) is
made anew instead of failing the same way until ``make clean``.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from gunicorn_process import REPO

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`


def _python_reporting(tmp_path: Path, version: str) -> Path:
    """A stand-in interpreter: it answers the Makefile's version question with ``version``."""
    fake = tmp_path / f"python{version}"
    fake.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
    fake.chmod(0o755)
    return fake


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-C", str(REPO), *args], capture_output=True,
                          text=True, timeout=60, check=False, env={**os.environ, "MAKEFLAGS": ""})


def test_an_unsupported_python_is_refused_before_any_venv_with_a_clear_message(tmp_path):
    venv = tmp_path / "venv"
    for python in (_python_reporting(tmp_path, "3.13"), tmp_path / "no-such-python"):
        run = _make(f"VENV={venv}", f"PYTHON={python}", f"{venv}/.installed")
        assert run.returncode != 0
        assert "specreg needs Python 3.11 or 3.12" in run.stderr
        assert "make run PYTHON=python3.12" in run.stderr
        assert not venv.exists()
    assert "is 3.13" in _make(f"VENV={venv}", f"PYTHON={tmp_path / 'python3.13'}", "check-python").stderr


def test_a_venv_made_by_another_python_is_made_anew(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".made-by-python-3.13").touch()
    time.sleep(0.01)
    (venv / ".installed").touch()
    python = _python_reporting(tmp_path, "3.12")
    plan = _make("-n", f"VENV={venv}", f"PYTHON={python}", f"{venv}/.installed").stdout
    assert f"rm -rf {venv}" in plan and f"{python} -m venv {venv}" in plan and "pip install" in plan
    (venv / ".made-by-python-3.12").touch()
    time.sleep(0.01)
    os.utime(venv / ".installed")  # installed after the venv was made, and after setup.cfg
    plan = _make("-n", f"VENV={venv}", f"PYTHON={python}", f"{venv}/.installed").stdout
    assert "rm -rf" not in plan and "pip install" not in plan
