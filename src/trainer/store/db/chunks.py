"""Files kept in the database itself: rows of (name, part, data) in a table of that shape.

On any database but SQLite the store keeps its videos this way (review jobs' files, attempts'
kept videos), so a machine anywhere needs nothing but the database URL, and a file goes with
its rows in one transaction. A file is written and read one chunk at a time, never whole in
memory unless asked for whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import sqlalchemy as sa
from sqlalchemy.engine import Connection

CHUNK = 4 << 20  # bytes per row: a 200 MB upload is 50 rows, never all in memory at once


class Chunks:
    """The files of one table (job_files, kept_videos), by name."""

    def __init__(self, table: sa.Table) -> None:
        self.table = table

    def put(self, conn: Connection, name: str, source: Path) -> None:
        """Keep source under name, as part of conn's transaction."""
        with source.open("rb") as f:
            part = 0
            while chunk := f.read(CHUNK):
                conn.execute(self.table.insert().values(name=name, part=part, data=chunk))
                part += 1

    def write(self, conn: Connection, name: str, out: IO[bytes]) -> bool:
        """Copy the file into out, a chunk at a time; False (nothing written) when it is gone."""
        parts = conn.execute(self._parts(name)).scalars().all()
        for part in parts:
            out.write(self._chunk(conn, name, part))
        return bool(parts)

    def read(self, conn: Connection, name: str) -> bytes | None:
        """The whole file, None when it is gone."""
        parts = conn.execute(self._parts(name)).scalars().all()
        return b"".join(self._chunk(conn, name, p) for p in parts) if parts else None

    def exists(self, conn: Connection, name: str) -> bool:
        found = conn.execute(sa.select(self.table.c.part).where(self.table.c.name == name).limit(1))
        return found.first() is not None

    def delete(self, conn: Connection, name: str) -> None:
        """Forget the file's rows in conn's transaction."""
        conn.execute(self.table.delete().where(self.table.c.name == name))

    def _parts(self, name: str) -> sa.Select:
        return sa.select(self.table.c.part).where(self.table.c.name == name).order_by("part")

    def _chunk(self, conn: Connection, name: str, part: int) -> bytes:
        query = sa.select(self.table.c.data).where(
            self.table.c.name == name, self.table.c.part == part
        )
        return conn.execute(query).scalar_one()
