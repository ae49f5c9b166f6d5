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
