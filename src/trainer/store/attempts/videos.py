"""The videos the store keeps: named by the store, in the data directory's videos folder, and
found only there.

A row holds a generated name (32 hex digits and a known suffix), never a path to trust: a
value that is not such a name is refused, so a row written by someone else cannot make
`forget` delete, or the app serve, a file outside the folder. A video is probed before it is
copied, so only videos are kept.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from trainer.capture.video import probe
from trainer.core.base.errors import StoreError, VideoError
from trainer.core.base.private import private_copy, private_dir
from trainer.store.db.stored_names import new_name, stored_path

SUFFIXES = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".gif")


class VideoFolder:
    """Kept videos under one folder (made absolute once); None: this store keeps none."""

    def __init__(self, root: Path | None) -> None:
        self.root = None if root is None else Path(root).expanduser().resolve()

    def keep(self, video: Path) -> str:
        """Copy a video into the folder under a new name; the name to store in the row."""
        if self.root is None:
            raise StoreError("this store has no video folder: cannot keep the video")
        suffix = video.suffix.lower()
        if suffix not in SUFFIXES:
            known = ", ".join(s.lstrip(".") for s in SUFFIXES)
            raise StoreError(f"{video.name}: only videos are kept ({known}), not this file")
        try:
            probe(video)
        except VideoError as exc:
            raise StoreError(f"video not kept: {exc}") from None
        name = new_name(video.name)
        target = self.root / name
        partial = self.root / f".{name}.partial"
        try:
            private_dir(self.root)
            private_copy(video, partial)
            os.replace(partial, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise StoreError(f"cannot keep the video in {self.root}: {exc.strerror}") from None
        return name

    def path(self, stored: str | None) -> Path | None:
        """The kept video a row names, if it names one of ours; None otherwise.

        Rows of older versions hold a whole path: its last part is taken as the name.
        """
        if stored is None or self.root is None:
            return None
        try:
            return stored_path(self.root, Path(stored).name)
        except StoreError:
            return None

    def remove(self, stored: str | None) -> None:
        """Delete the kept video a row names (nothing outside the folder, ever)."""
        path = self.path(stored)
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
