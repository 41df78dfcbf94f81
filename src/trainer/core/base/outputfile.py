"""Files the trainer writes for the user: checked before the work, written whole or not at all.

`check_output` runs before a long job, so it never fails at its last step: the folder exists
and is writable, the name fits the system's limits, the extension is one the writer knows.
`write_file` replaces a regular file atomically (a temporary beside it, renamed over it, and
removed if anything fails); a target that exists and is not a regular file (/dev/stdout, a
FIFO, a symlink, a device) is written through, never replaced.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import BinaryIO

from trainer.core.base.errors import TrainerError

NAME_MAX = 255  # bytes in one file name on the common file systems (ext4, APFS, NTFS)
PATH_MAX = 4096
Writer = Callable[[BinaryIO], None]


def _special(path: Path) -> bool:
    """The path exists and is not a regular file itself (a symlink, FIFO, device, socket)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_name_length(path: Path, error: type[TrainerError] = TrainerError) -> None:
    """Refuse a path the system would refuse as too long, before any work."""
    if len(os.fsencode(path)) > PATH_MAX:
        raise error(f"{str(path)[:60]}...: the path is too long ({len(str(path))} characters)")
    for part in path.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise error(f"{part[:40]}...: the name is too long (over {NAME_MAX} bytes)")


def check_output(path: Path, suffixes: Collection[str] | None, what: str) -> Path:
    """Refuse an output path that would fail at the end: returns it, or raises TrainerError.

    suffixes: the extensions the writer knows (lower case, with the dot); None takes any.
    An existing non-regular target (/dev/stdout, a FIFO) is taken as it is.
    """
    check_name_length(path)
    if path.is_dir():
        raise TrainerError(f"{path}: is a folder; name a file for the {what}")
    if path.exists() and not path.is_file():
        return path
    folder = path.parent
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise TrainerError(f"cannot write the {what} to {path}: {folder} {problem}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TrainerError(f"cannot write the {what} to {path}: {folder} is not writable")
    if suffixes is not None and path.suffix.lower() not in suffixes:
        known = ", ".join(sorted(suffixes))
        raise TrainerError(f"{path}: unknown extension for the {what} (use {known})")
    return path


def _temporary(folder: Path, suffix: str = ".partial") -> tuple[int, str]:
    """A new file in folder, opened for writing, with the permissions the umask gives."""
    while True:
        name = os.path.join(folder, f".trainer-{secrets.token_hex(6)}{suffix}")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
        except FileExistsError:
            continue


def write_file(path: Path, content: bytes | Writer) -> None:
    """Write bytes (or let `content` write to the open file) to path, whole or not at all."""
    write = content if callable(content) else lambda f: f.write(content)
    try:
        if _special(path):
            with open(path, "wb") as f:  # through the link or into the pipe or device
                write(f)
            return
        fd, tmp = _temporary(path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise TrainerError(f"cannot write {path}: {exc.strerror}") from None


@contextlib.contextmanager
def staged(path: Path) -> Iterator[Path]:
    """A new file beside `path` for a writer that needs a path (a video encoder), renamed over
    `path` when the block ends and removed if it fails: `path` is written whole or left as it
    was. The temporary keeps the suffix, since encoders choose the format by it."""
    try:
        fd, tmp = _temporary(path.parent, path.suffix)
        os.close(fd)
    except OSError as exc:
        raise TrainerError(f"cannot write {path}: {exc.strerror}") from None
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
