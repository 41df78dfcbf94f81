"""A SQLAlchemy engine for a database URL, set up for the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from trainer.core.errors import StoreError


def make_engine(url: str) -> Engine:
    """An engine for url; SQLite gets foreign keys, WAL and real (DDL-safe) transactions."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"invalid database URL {url!r}: {exc}") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver the project pins
    if parsed.get_backend_name() != "sqlite":
        try:
            return sa.create_engine(parsed, pool_pre_ping=True)
        except ImportError as exc:
            raise StoreError(
                f"no driver for {parsed.drivername} installed ({exc.name}): "
                "for PostgreSQL, pip install 'trainer[postgres]'"
            ) from None
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        engine = sa.create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {folder}: {exc.strerror}") from None
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling skips DDL; take it over (SQLAlchemy's recipe).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front so two processes never deadlock upgrading a read lock.
        mode = "IMMEDIATE" if conn.get_execution_options().get("writer") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
