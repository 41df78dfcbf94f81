"""The live schema (db/schema.py, which the code reads and writes through) and the migrations
(db/migrations.py, which build every real database) describe the same tables."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from trainer.store.db.engine import make_engine
from trainer.store.db.migrations import migrate
from trainer.store.db.schema import metadata

QUEUE = "procrastinate_"  # the job queue's own tables (PostgreSQL), not in the live schema


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request, tmp_path) -> tuple[str, str]:
    """Two empty databases on one server (or two SQLite files)."""
    if request.param == "postgresql":
        fresh = request.getfixturevalue("postgres")
        return fresh(), fresh()
    return f"sqlite:///{tmp_path / 'migrated.db'}", f"sqlite:///{tmp_path / 'declared.db'}"


def shape(url: str) -> dict[str, dict[str, Any]]:
    """Each table's columns (type as the database spells it, nullability), primary key,
    foreign keys (with what a delete does), unique constraints and indexes, as reflected."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            return {
                table: _table(inspector, table)
                for table in inspector.get_table_names()
                if not table.startswith(QUEUE)
            }
    finally:
        engine.dispose()


def _table(inspector: sa.Inspector, table: str) -> dict[str, Any]:
    dialect = inspector.dialect
    return {
        "columns": {
            c["name"]: (c["type"].compile(dialect=dialect), c["nullable"], "identity" in c)
            for c in inspector.get_columns(table)
        },
        "autoincrement": _autoincrement(inspector, table),
        "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
        "foreign keys": sorted(
            (
                tuple(fk["constrained_columns"]),
                fk["referred_table"],
                tuple(fk["referred_columns"]),
                fk["options"].get("ondelete"),
            )
            for fk in inspector.get_foreign_keys(table)
        ),
        "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
        "indexes": sorted(
            (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
            for ix in inspector.get_indexes(table)
        ),
    }


def _autoincrement(inspector: sa.Inspector, table: str) -> bool:
    """SQLite: whether the table never reuses a freed id (reflection does not say)."""
    if inspector.dialect.name != "sqlite":
        return False
    sql = inspector.bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar()
    return "AUTOINCREMENT" in sql


def test_the_migrations_build_the_tables_the_live_schema_declares(two_databases):
    migrated, declared = two_databases
    engine = make_engine(migrated)
    migrate(engine)
    engine.dispose()
    engine = make_engine(declared)
    metadata.create_all(engine)
    engine.dispose()
    built, live = shape(migrated), shape(declared)
    assert sorted(built) == sorted(live) == sorted(metadata.tables)
    for table in sorted(live):
        assert built[table] == live[table], table


def test_the_tables_with_ids_never_reuse_one_on_either_database(two_databases):
    """The declared schema keeps ids unique over time; without it the check above could pass
    with both sides reusing ids."""
    url = two_databases[0]
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    built = shape(url)
    for table in ("people", "attempts", "review_jobs", "sessions", "logins", "classes"):
        sqlite = url.startswith("sqlite")
        assert built[table]["autoincrement"] is sqlite, table
        assert built[table]["columns"]["id"][2] is not sqlite, table
    assert (("attempt_id",), "attempts", ("id",), "SET NULL") in built["review_jobs"][
        "foreign keys"
    ]
