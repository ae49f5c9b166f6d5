"""Where the data of this source tree lives, by default.

The rule and reference files sit beside the code in the repository (``rules/``,
``schemas/``, ``fixtures/``), not inside the package, because administrators
edit them. These are defaults only: the app factory takes the rule and fixture
directories from its configuration (``SPECREG_RULES_DIR``, ...), the CLI from
``--rules``; nothing else reads the environment. The schemas are the contract
and travel with the code.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RULES_DIR = REPO_ROOT / "rules"
DEFAULT_FIXTURES_DIR = REPO_ROOT / "fixtures"
SCHEMAS_DIR = REPO_ROOT / "schemas"


def links_out_of(directory: Path) -> list[Path]:
    """The links under ``directory`` that lead outside it (sorted); none of them is read.

    A rule directory is what its administrators edit; a link out of it would make
    any file of the machine a rule file, and its content would come back in the
    errors of the load.
    """
    root = directory.resolve()
    return sorted(path for path in directory.rglob("*")
                  if path.is_symlink() and not path.resolve().is_relative_to(root))
