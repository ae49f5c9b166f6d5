"""A file written whole or not at all.

An export interrupted half-way (a full disk, a killed process) must not leave
half a table under the name an administrator opens, nor spoil the one that
was there. A regular file is therefore written beside its target under a
name of its own and renamed over it once complete (a rename within one
directory is atomic). A device or a pipe (``/dev/stdout``, a FIFO) cannot be
renamed over and is written to as it is.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_whole(target: Path, data: bytes) -> None:
    """``data`` as the whole content of ``target``; raises OSError, leaving no partial file behind."""
    target = target.resolve() if target.is_symlink() else target  # the file, not the link, is replaced
    if target.exists() and not target.is_file():
        with target.open("wb") as stream:
            stream.write(data)
        return
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
