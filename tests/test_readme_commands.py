"""The README's and docs/'s shell commands run as written.

Every fenced ``sh`` block of README.md and docs/*.md is cut into commands
(a line, with its ``\\`` continuations) and each is run with bash, in order,
in a throwaway directory holding copies of ``rules/``, ``fixtures/`` and
``examples/`` and the venv (``.venv``), with the venv's ``bin`` first on
``PATH`` as ``make shell`` sets it. A command must end with status 0 or 1
(1: it found something, as ``specreg test`` on a changed rule does; the
table of docs/cli.md) and say nothing of a usage error or a traceback.
Commands that talk to ``http://127.0.0.1:8000`` are sent to a real gunicorn
started for this test. The set-up commands this test itself runs inside
(``make run``, ``make test``, ...) are listed below as interactive (they
serve or open a shell until stopped) and are the only ones left out. The
commands of one document depend on each other (``cp -r rules candidate``
before ``specreg lint --rules candidate``), so they run in document order.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gunicorn_process import REPO, Gunicorn

pytestmark = pytest.mark.slow  # a real server, a browser or a subprocess: `make test-slow`

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
DOCUMENTED_URL = "http://127.0.0.1:8000"
# Commands that do not end by themselves (a server, a shell) or are this suite's own set-up.
INTERACTIVE = ("make run", "make test", "make dev", "make shell", "make soak", "make bench", "make fuzz")
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def commands_of(text: str) -> list[str]:
    """Each command of the document's ``sh`` blocks, continuation lines joined."""
    found = []
    for block in BLOCK.findall(text):
        for command in re.sub(r"\\\n\s*", " ", block).splitlines():
            if command.strip() and not command.lstrip().startswith("#"):
                found.append(command.strip())
    return found


ALL = [(document.relative_to(REPO).as_posix(), command)
       for document in DOCUMENTS for command in commands_of(document.read_text(encoding="utf-8"))]
COMMANDS = [(document, command) for document, command in ALL if not command.startswith(INTERACTIVE)]


def test_the_documents_have_commands_and_every_interactive_one_is_named():
    """Only the listed set-up commands are left out; every other one is run below, in order."""
    assert len(COMMANDS) >= 10
    left_out = {command for _, command in ALL if command.startswith(INTERACTIVE)}
    assert left_out == {command for _, command in ALL if command.startswith("make ")}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Gunicorn(tmp_path_factory.mktemp("readme"), WORKERS="1") as running:
        yield running


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A clone's working files, as copies, so that commands that edit or write touch nothing here."""
    work = tmp_path_factory.mktemp("readme-work")
    for name in ("rules", "fixtures", "examples", "schemas"):
        shutil.copytree(REPO / name, work / name)
    (work / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return work


def test_every_command_runs_as_written_in_order(workdir, server, subtests):
    """One test, so that no scheduler (pytest-xdist) can split or reorder commands that build on
    each other; each command is its own subtest, reported by document and command."""
    for document, command in COMMANDS:
        with subtests.test(msg=f"{document}: {command[:60]}"):
            runs_as_written(document, command, workdir, server)


def runs_as_written(document: str, command: str, workdir: Path, server: Gunicorn) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "LANG": "C.UTF-8"}
    run = subprocess.run(["bash", "-c", command.replace(DOCUMENTED_URL, server.url)], cwd=workdir,
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    said = run.stdout[-2000:] + run.stderr[-2000:]
    assert run.returncode in (0, 1), f"{document}: {command}\n{said}"
    for sign in ("Traceback", "Usage:", "Error:", "No such file", "command not found"):
        assert sign not in run.stderr, f"{document}: {command}\n{said}"
    if command.startswith("curl") and " -o " not in command:  # an answer on standard output
        assert '"outcome"' in run.stdout and '"problem"' not in run.stdout, said
