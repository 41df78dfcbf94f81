"""The names of the files the store keeps, and the only way from a name to a path.

A row holds a name the store made (32 hex digits, an optional `-annotated`, a known suffix),
never a path to trust: whoever can write a row (every worker holds the database URL) must
not make the app serve, a worker copy, or a clean-up delete a file outside the store's
folders. So every read, copy, serve and delete goes through `stored_path`.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from trainer.core.base.errors import StoreError

SUFFIXES = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".gif", ".m4v", ".video")
STORED_NAME = re.compile(r"[0-9a-f]{32}(?:-annotated)?\.(?:mp4|mov|webm|avi|mkv|gif|m4v|video)")


def new_name(original: str, tag: str = "") -> str:
    """A generated name keeping only the original's suffix when it is a known one."""
    suffix = Path(original).suffix.lower()
    if suffix not in SUFFIXES:
        suffix = ".video"
    return f"{uuid.uuid4().hex}{tag}{suffix}"


def is_stored_name(name: object) -> bool:
    return isinstance(name, str) and STORED_NAME.fullmatch(name) is not None


def stored_path(folder: Path, name: object) -> Path:
    """folder / name, when name is one the store made and the path stays in the folder."""
    if not is_stored_name(name):
        raise StoreError(f"{str(name)[:80]!r} is not a file name the store made: not used")
    root = Path(folder).expanduser().resolve()
    path = root / str(name)
    # A link planted in the folder would still lead outside it.
    if path.resolve().parent != root:
        raise StoreError(f"{name} leads outside {root}: not used")
    return path
