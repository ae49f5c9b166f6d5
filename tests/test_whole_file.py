"""A file written whole or not at all (``specreg.whole_file``): what the registry export writes through."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from specreg.whole_file import write_whole


def test_a_new_file_gets_the_data_and_the_permissions_an_open_would_give(tmp_path):
    previous = os.umask(0o027)
    try:
        write_whole(tmp_path / "table.csv", b"a,b\r\n")
    finally:
        os.umask(previous)
    assert (tmp_path / "table.csv").read_bytes() == b"a,b\r\n"
    assert stat.S_IMODE((tmp_path / "table.csv").stat().st_mode) == 0o640
    assert [path.name for path in tmp_path.iterdir()] == ["table.csv"]


def test_an_existing_file_is_replaced_and_a_link_keeps_pointing_at_it(tmp_path):
    real = tmp_path / "exports" / "registry.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "latest.xlsx"
    link.symlink_to(real)
    write_whole(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_device_is_written_to_not_replaced():
    write_whole(Path("/dev/null"), b"anything")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_directory_that_does_not_exist_is_an_os_error_and_leaves_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_whole(tmp_path / "missing" / "table.csv", b"data")
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_half_way_leaves_the_previous_file_and_no_partial_one(tmp_path):
    """In a process whose files may not grow past 1,000 bytes (EFBIG, as on a full disk)."""
    target = tmp_path / "registry.xlsx"
    target.write_bytes(b"the previous export")
    script = ("import resource, sys; from pathlib import Path; from specreg.whole_file import write_whole\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))\n"
              "try:\n    write_whole(Path(sys.argv[1]), bytes(5000))\n"
              "except OSError as error:\n    sys.exit(error.errno)\n")
    done = subprocess.run([sys.executable, "-c", script, str(target)], check=False)
    assert done.returncode == errno.EFBIG
    assert target.read_bytes() == b"the previous export"
    assert [path.name for path in tmp_path.iterdir()] == ["registry.xlsx"]
