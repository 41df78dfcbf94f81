"""The videos of review jobs: what was uploaded, and the annotated copy a job may draw.

On SQLite they are files in the jobs folder of the data directory: the workers share the
machine. On any other database they are kept in the database itself, in chunks (db/chunks.py),
so a worker anywhere needs nothing but the database URL; it copies a video into its own jobs
folder to read it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Connection

from trainer.core.base.private import private_copy, private_dir, private_open
from trainer.store.db.chunks import Chunks
from trainer.store.db.schema import job_files
from trainer.store.db.stored_names import new_name, stored_path


def file_name(original: str, tag: str = "") -> str:
    """A generated name (see stored_names.py) that keeps only a known video suffix."""
    return new_name(original, tag)


class JobFiles:
    """Job videos by generated name, in the folder or in the database.

    Every name is checked before use (`stored_path`), whatever row it came from.
    """

    def __init__(self, folder: Path, in_database: bool) -> None:
        self.folder = folder
        self.in_database = in_database
        self.chunks = Chunks(job_files)

    def put(self, conn: Connection, name: str, source: Path) -> None:
        """Keep source under name; in the database, as part of conn's transaction."""
        if not self.in_database:
            target = self.path(name)
            private_dir(self.folder)
            private_copy(source, target)
            return
        self.chunks.put(conn, name, source)

    def local(self, conn: Connection, name: str) -> Path | None:
        """The file to read, copied out of the database when needed; None when it is gone."""
        path = self.path(name)
        if path.is_file() or not self.in_database:
            return path if path.is_file() else None
        if not self.exists(conn, name):
            return None
        private_dir(self.folder)
        partial = path.with_name(f"{name}.partial")
        with private_open(partial, "wb") as f:
            self.chunks.write(conn, name, f)
        partial.replace(path)
        return path

    def read_bytes(self, conn: Connection, name: str) -> bytes | None:
        """The whole file (an annotated video to show), None when it is gone."""
        path = self.path(name)
        if not self.in_database:
            return path.read_bytes() if path.is_file() else None
        return self.chunks.read(conn, name)

    def exists(self, conn: Connection, name: str) -> bool:
        if not self.in_database:
            return self.path(name).is_file()
        return self.chunks.exists(conn, name)

    def delete(self, conn: Connection, name: str) -> None:
        """Forget the file's rows in conn's transaction; `discard` the local copy after it."""
        self.path(name)
        if self.in_database:
            self.chunks.delete(conn, name)

    def discard(self, name: str) -> None:
        """Remove the local copy only (a cache on PostgreSQL)."""
        self.path(name).unlink(missing_ok=True)

    def path(self, name: str) -> Path:
        """Where the file of that name is (or is copied to); StoreError for a name not ours."""
        return stored_path(self.folder, name)
