"""What can go wrong with the database file itself, told apart by SQLite's error code.

A locked database (another process writes) and a full disk are temporary: the caller waits
and tries again, and nothing is lost because the transaction was rolled back. Anything else
is a bug or a damaged file and is not retried.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Literal

Trouble = Literal["locked", "full"]

# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _FULL = 5, 6, 13

# Files and folders Veldgids creates hold field notes about real people: owner only.
FILE_MODE = 0o600
DIR_MODE = 0o700


def trouble(exc: BaseException) -> Trouble | None:
    """'locked' or 'full' for an error worth waiting out, else None."""
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # an older Python without error codes: go by the message
        text = str(exc)
        if "locked" in text or "busy" in text:
            return "locked"
        return "full" if "full" in text else None
    base = code & 0xFF
    if base in (_BUSY, _LOCKED):
        return "locked"
    return "full" if base == _FULL else None


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) readable by the owner only; returns it."""
    missing = []
    current = Path(path)
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)  # mkdir's mode passes through the umask
    return Path(path)


def private_file(path: Path) -> Path:
    """Create an empty file `path` readable by the owner only, unless it exists.

    An existing file is not opened: closing any descriptor of a file drops every POSIX lock
    this process holds on it, SQLite's too. A database's connections would then look gone to
    other processes, and the next `veldgids backup` to close deleted the write-ahead log
    under them (a disk I/O error at the next read, and writes lost)."""
    private_dir(Path(path).parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return Path(path)
    os.close(fd)
    return Path(path)


def write_private(path: Path, content: bytes, *, replace: bool = False) -> None:
    """Write a file readable by the owner only (exports, downloads); a new one unless
    `replace`."""
    private_dir(Path(path).parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a replaced file keeps its old mode otherwise
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
