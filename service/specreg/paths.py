"""Where the data an administrator edits lives.

The rule and reference files sit beside the code in the repository (``rules/``,
``schemas/``), not inside the package, because administrators edit them; an
environment variable points a deployment (or a test) at another copy.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def rules_dir() -> Path:
    """The rule directory in force: ``SPECREG_RULES_DIR`` or the repository's ``rules/``."""
    return Path(os.environ.get("SPECREG_RULES_DIR") or REPO_ROOT / "rules")


def schemas_dir() -> Path:
    """JSON Schemas of the payload and of the data files."""
    return Path(os.environ.get("SPECREG_SCHEMAS_DIR") or REPO_ROOT / "schemas")


def links_out_of(directory: Path) -> list[Path]:
    """The links under ``directory`` that lead outside it (sorted); none of them is read.

    A rule directory is what its administrators edit; a link out of it would make
    any file of the machine a rule file, and its content would come back in the
    errors of the load.
    """
    root = directory.resolve()
    return sorted(path for path in directory.rglob("*")
                  if path.is_symlink() and not path.resolve().is_relative_to(root))
