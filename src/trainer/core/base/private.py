"""Files for the owner only: videos of bodies, names and scores are personal data.

Every folder the programs create in the data directory is 0700 and every file 0600, set
explicitly rather than left to the umask (022 on most systems: world-readable).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import IO, Any

FOLDER, FILE = 0o700, 0o600
FLAGS = {"a": os.O_WRONLY | os.O_APPEND, "ab": os.O_WRONLY | os.O_APPEND}
FLAGS |= {"w": os.O_WRONLY | os.O_TRUNC, "wb": os.O_WRONLY | os.O_TRUNC}


def private_dir(path: Path) -> Path:
    """Make path and the missing folders above it, each 0700; those already there are left."""
    missing = []
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        try:
            made.mkdir(mode=FOLDER)
        except FileExistsError:
            continue  # made by another process meanwhile: as it made it
        os.chmod(made, FOLDER)
    return path


def private_open(path: Path, mode: str) -> IO[Any]:
    """open(path, mode) for writing ("a", "ab", "w", "wb"); a file it creates is 0600."""
    fd = os.open(path, FLAGS[mode] | os.O_CREAT, FILE)
    with contextlib.suppress(PermissionError):  # someone else's file: not ours to change
        os.fchmod(fd, FILE)
    return os.fdopen(fd, mode)


def private_copy(source: Path, target: Path) -> None:
    """Copy source to a new 0600 file at target."""
    with source.open("rb") as src, private_open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
