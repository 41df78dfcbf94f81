"""A SQLAlchemy engine for a database URL, set up for the store.

SQLite runs in WAL mode, so reads go on while a save writes; a writer waits for another at
most `lock_wait_s`. A read-only engine opens SQLite with `mode=ro` and creates nothing: no
folder, no file (a database that does not exist yet reads as an empty one, in memory).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import StaticPool

from trainer.core.base.errors import StoreError
from trainer.core.base.private import private_dir, private_open
from trainer.store.db.problems import safe_url

DEFAULT_LOCK_WAIT_S = 10.0


def _parse(url: str) -> URL:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            "invalid database URL in TRAINER_DATABASE_URL: expected dialect://..., such as "
            "sqlite:///PATH or postgresql://USER@HOST/DATABASE"
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver the project pins
    return parsed


def _server_engine(parsed: URL, url: str, lock_wait_s: float) -> Engine:
    """An engine for a database server (PostgreSQL); refuses dialects nobody installed."""
    try:
        bounded = {  # a server that does not answer, or a lock held, waits lock_wait_s at most
            "connect_timeout": max(1, round(lock_wait_s)),
            "options": f"-c lock_timeout={round(lock_wait_s * 1000)}",
        }
        postgres = parsed.get_backend_name() == "postgresql"
        return sa.create_engine(
            parsed, pool_pre_ping=True, connect_args=bounded if postgres else {}
        )
    except sa.exc.NoSuchModuleError:
        raise StoreError(
            f"unknown database dialect {parsed.drivername!r} in {safe_url(url)}: the trainer "
            "works with sqlite:///PATH and postgresql://USER@HOST/DATABASE"
        ) from None
    except ImportError as exc:
        raise StoreError(
            f"no driver for {parsed.drivername} installed ({exc.name}): "
            "for PostgreSQL, pip install 'trainer[postgres]'"
        ) from None


def make_engine(
    url: str, *, read_only: bool = False, lock_wait_s: float = DEFAULT_LOCK_WAIT_S
) -> Engine:
    """An engine for url; SQLite gets foreign keys, WAL and real (DDL-safe) transactions."""
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite":
        return _server_engine(parsed, url, lock_wait_s)
    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory and read_only and not Path(parsed.database).exists():
        in_memory = True  # nothing stored yet: read an empty store, create nothing
        parsed = parsed.set(database=":memory:")
    if in_memory:
        engine = sa.create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    elif read_only:
        engine = sa.create_engine(_read_only(parsed), connect_args={"timeout": lock_wait_s})
    else:
        folder = Path(parsed.database).parent
        try:
            private_dir(folder)
            if not Path(parsed.database).exists():
                # SQLite gives its -wal and -shm files the database file's own mode.
                private_open(Path(parsed.database), "ab").close()
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {folder}: {exc.strerror}") from None
        engine = sa.create_engine(parsed, connect_args={"timeout": lock_wait_s})
    _set_up(engine, wal=not in_memory and not read_only)
    return engine


def _read_only(parsed: URL) -> URL:
    """SQLite's read-only URI; `immutable` where no one can write (a read-only folder), since
    WAL readers otherwise need to create the -shm file beside the database."""
    path = Path(parsed.database).resolve()
    query = {"mode": "ro", "uri": "true"}
    if not os.access(path.parent, os.W_OK | os.X_OK):
        query["immutable"] = "1"
    return parsed.set(database=f"file:{path}", query=query)


def _set_up(engine: Engine, wal: bool) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling skips DDL; take it over (SQLAlchemy's recipe).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten, not left in free pages (a forgotten person's name).
        cursor.execute("PRAGMA secure_delete=ON")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front so two processes never deadlock upgrading a read lock.
        mode = "IMMEDIATE" if conn.get_execution_options().get("writer") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")
