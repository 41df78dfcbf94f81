"""The videos the store keeps of attempts, named by the store and found only where it keeps them.

On SQLite they are files in the data directory's videos folder. On any other database they
are kept in the database itself, in chunks (db/chunks.py): the machine that reviewed a video
(a worker anywhere) keeps no copy, every machine reads it, and `forget` deletes it with the
rows. A video a store on such a database kept as a file before (migration 12) is still read
from, and removed with, the folder of the machine holding it.

A row holds a generated name (32 hex digits and a known suffix), never a path to trust: a
value that is not such a name is refused, so a row written by someone else cannot make
`forget` delete, or the app serve, a file outside the folder. A video is probed before it is
kept, so only videos are kept.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import IO

from sqlalchemy.engine import Connection

from trainer.capture.video import probe
from trainer.core.base.errors import StoreError, VideoError
from trainer.core.base.private import private_copy, private_dir, private_open
from trainer.store.db.chunks import Chunks
from trainer.store.db.schema import kept_videos
from trainer.store.db.stored_names import is_stored_name, new_name, stored_path

SUFFIXES = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".gif")


class KeptVideos:
    """Kept videos under one folder (made absolute once) or in the database.

    root None: this store keeps none in a folder (and, on SQLite, none at all).
    """

    def __init__(self, root: Path | None, in_database: bool = False) -> None:
        self.root = None if root is None else Path(root).expanduser().resolve()
        self.in_database = in_database
        self.chunks = Chunks(kept_videos)

    def keep(self, video: Path) -> str:
        """Check the video and name it; the name to store in the row, then `put` it.

        In a folder the copy is made here, before the row's transaction, so the database is
        not held while a long video is copied.
        """
        if self.root is None and not self.in_database:
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
        if self.root is not None and not self.in_database:
            _copy_in(self.root, video, name)
        return name

    def put(self, conn: Connection, name: str, video: Path) -> None:
        """In the database, the video's chunks in conn's transaction (the row's)."""
        if self.in_database:
            self.chunks.put(conn, name, video)

    def name(self, stored: str | None) -> str | None:
        """The generated name a row holds, if it is one; None otherwise.

        Rows of older versions hold a whole path: its last part is taken as the name.
        """
        if stored is None:
            return None
        name = Path(stored).name
        return name if is_stored_name(name) else None

    def path(self, stored: str | None) -> Path | None:
        """The file of the kept video a row names, in the folder; None when it names none."""
        name = self.name(stored)
        if name is None or self.root is None:
            return None
        try:
            return stored_path(self.root, name)
        except StoreError:
            return None

    def exists(self, conn: Connection, stored: str | None) -> bool:
        path = self.path(stored)
        if path is not None and path.is_file():
            return True
        name = self.name(stored)
        return self.in_database and name is not None and self.chunks.exists(conn, name)

    def write(self, conn: Connection, stored: str | None, out: IO[bytes]) -> bool:
        """Copy the kept video into out; False (nothing written) when there is none."""
        path = self.path(stored)
        if path is not None and path.is_file():
            with path.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
            return True
        name = self.name(stored)
        return self.in_database and name is not None and self.chunks.write(conn, name, out)

    def read_bytes(self, conn: Connection, stored: str | None) -> bytes | None:
        """The whole kept video (to show), None when there is none."""
        path = self.path(stored)
        if path is not None and path.is_file():
            return path.read_bytes()
        name = self.name(stored)
        return self.chunks.read(conn, name) if self.in_database and name is not None else None

    def local(self, conn: Connection, stored: str | None, folder: Path) -> Path | None:
        """A file to read: the kept one, or a 0600 copy out of the database in folder (the
        caller's to remove); None when there is none."""
        path = self.path(stored)
        if path is not None and path.is_file():
            return path
        name = self.name(stored)
        if not self.in_database or name is None or not self.chunks.exists(conn, name):
            return None
        copy = stored_path(private_dir(folder), name)
        with private_open(copy, "wb") as f:
            self.chunks.write(conn, name, f)
        return copy

    def delete(self, conn: Connection, stored: str | None) -> None:
        """Forget the video's chunks in conn's transaction (the row's); `remove` its file after."""
        name = self.name(stored)
        if self.in_database and name is not None:
            self.chunks.delete(conn, name)

    def remove(self, stored: str | None) -> None:
        """Delete the file of the kept video a row names (nothing outside the folder, ever)."""
        path = self.path(stored)
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _copy_in(root: Path, video: Path, name: str) -> None:
    """Copy video into root under name, whole or not at all."""
    target = root / name
    partial = root / f".{name}.partial"
    try:
        private_dir(root)
        private_copy(video, partial)
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StoreError(f"cannot keep the video in {root}: {exc.strerror}") from None
