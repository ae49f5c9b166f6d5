"""The tree a newcomer finds: a short README that names real guides, and the layers kept."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from gunicorn_process import REPO

README = REPO / "README.md"


def test_the_readme_is_short_and_every_file_it_names_exists():
    text = README.read_text(encoding="utf-8")
    assert len(text) <= 8000
    named = set(re.findall(r"`((?:docs|rules|fixtures|bench|tests|examples|schemas)/[\w./-]*)`", text))
    assert {"docs/api.md", "docs/operations.md", "docs/workbench.md", "docs/registry.md"} <= named
    missing = [name for name in named if not (REPO / name).exists()]
    assert missing == []


def test_the_pipeline_imports_neither_web_nor_cli_nor_workbench():
    """``lint-imports`` with the contracts of setup.cfg, as ``make test`` runs it."""
    tool = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(tool)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Contracts: 2 kept, 0 broken." in done.stdout
