"""The schema's history: ordered migration steps, applied once each, recorded in schema_version.

Frozen: a step, once released, never changes, and may touch only what exists at its version.
A change to the tables is a new step at the end of MIGRATIONS, and schema.py follows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from trainer.core.base.errors import StoreError
from trainer.store.db.codec import count_strokes, pack_track, unpack_json_track
from trainer.store.db.migration_ids import m11_ids_never_reused
from trainer.store.db.schema import attempts, now, schema_version


def _m1_create_tables(conn: Connection) -> None:
    """The first schema: people, techniques, attempts, references."""
    m = sa.MetaData()
    sa.Table(
        "people",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    sa.Table(
        "techniques",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
    )
    sa.Table(
        "attempts",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("calibration", sa.JSON, nullable=False),
        sa.Column("track", sa.LargeBinary, nullable=False),
        sa.Column("review", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("video_path", sa.String(500), nullable=True),
    )
    sa.Table(
        "references",
        m,
        sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), primary_key=True),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    m.create_all(conn)


def _m2_history_indexes(conn: Connection) -> None:
    """Indexes for the history and per-technique queries."""
    # The statements SQLAlchemy wrote for them, as text: an Index made on the live schema's
    # table would join that table's own indexes in this process.
    for name, columns in (
        ("ix_attempts_person_time", "person_id, created_at"),
        ("ix_attempts_technique_score", "technique_id, score"),
    ):
        conn.execute(sa.text(f"CREATE INDEX {name} ON attempts ({columns})"))


def _m3_summary_columns(conn: Connection) -> None:
    """Duration and stroke count on each attempt, so lists never unpack tracks; backfilled."""
    conn.execute(sa.text("ALTER TABLE attempts ADD COLUMN duration_s FLOAT"))
    conn.execute(sa.text("ALTER TABLE attempts ADD COLUMN n_strokes INTEGER"))
    rows = conn.execute(sa.select(attempts.c.id, attempts.c.track, attempts.c.review)).all()
    for row in rows:
        values = {
            "duration_s": unpack_json_track(row.track).duration_s,
            "n_strokes": count_strokes(row.review),
        }
        conn.execute(attempts.update().where(attempts.c.id == row.id).values(**values))


def _m4_binary_tracks(conn: Connection) -> None:
    """Tracks as compressed numpy arrays instead of JSON; one row in memory at a time."""
    ids = conn.execute(sa.select(attempts.c.id).order_by(attempts.c.id)).scalars().all()
    for attempt_id in ids:
        blob = conn.execute(
            sa.select(attempts.c.track).where(attempts.c.id == attempt_id)
        ).scalar_one()
        packed = pack_track(unpack_json_track(blob))
        conn.execute(attempts.update().where(attempts.c.id == attempt_id).values(track=packed))


def _m5_sessions(conn: Connection) -> None:
    """Guided sessions (one row each, with their summary) and their exercises' attempts."""
    m = sa.MetaData()
    sa.Table("people", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("attempts", m, sa.Column("id", sa.Integer, primary_key=True))
    sessions = sa.Table(
        "sessions",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("routine", sa.String(100), nullable=False),
        sa.Column("first", sa.Boolean, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Index("ix_sessions_person_time", "person_id", "created_at"),
    )
    links = sa.Table(
        "session_attempts",
        m,
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("exercise", sa.Integer, nullable=False),
    )
    m.create_all(conn, tables=[sessions, links])


def _m6_review_jobs(conn: Connection) -> None:
    """Review jobs with their inputs and progress, their files, and the job of each attempt."""
    m = sa.MetaData()
    jobs = sa.Table(
        "review_jobs",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch", sa.String(40), nullable=True),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("technique", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("calibration", sa.JSON, nullable=False),
        sa.Column("video_name", sa.String(500), nullable=False),
        sa.Column("video_file", sa.String(100), nullable=False),
        sa.Column("keep_video", sa.Boolean, nullable=False),
        sa.Column("annotate", sa.Boolean, nullable=False),
        sa.Column("follow", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("step", sa.String(20), nullable=True),
        sa.Column("frames_done", sa.Integer, nullable=False),
        sa.Column("frames_total", sa.Integer, nullable=True),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
        sa.Column("error", sa.String(2000), nullable=True),
        sa.Column("attempt_id", sa.Integer, nullable=True),
        sa.Column("output_file", sa.String(100), nullable=True),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_s", sa.Float, nullable=True),
    )
    sa.Index("ix_review_jobs_state", jobs.c.state, jobs.c.id)
    sa.Index("ix_review_jobs_person", jobs.c.person, jobs.c.created_at)
    sa.Index("ix_review_jobs_batch", jobs.c.batch)
    sa.Table("job_files", m, *_chunk_columns())
    m.create_all(conn)
    conn.execute(sa.text("ALTER TABLE attempts ADD COLUMN job_id INTEGER"))
    # A unique index, not a column constraint: SQLite cannot add one with ALTER TABLE.
    conn.execute(sa.text("CREATE UNIQUE INDEX ux_attempts_job_id ON attempts (job_id)"))


def _m7_queue_tables(conn: Connection) -> None:
    """On PostgreSQL, the job queue's tables (Procrastinate 3.10's schema); SQLite needs none."""
    if conn.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # Procrastinate's own apply_schema doubles each % too: the driver formats the text.
    conn.exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def _m8_job_exposure(conn: Connection) -> None:
    """Whether a review job brightens dark frames for the hand model (TRAINER_EXPOSURE where it
    was made); on for the jobs made before, as they were run."""
    conn.execute(
        sa.text("ALTER TABLE review_jobs ADD COLUMN exposure BOOLEAN NOT NULL DEFAULT TRUE")
    )


def _m9_video_kind(conn: Connection) -> None:
    """The attempt kind "review" (an uploaded video's) is called "video", in attempts and jobs:
    a review is the verdict."""
    for table in ("attempts", "review_jobs"):
        conn.execute(sa.text(f"UPDATE {table} SET kind = 'video' WHERE kind = 'review'"))


def _m10_accounts(conn: Connection) -> None:
    """Accounts on the people table (password hash, e-mail, disabled), classes and their
    members, logins kept as token hashes, failed-login counts and one-time links."""
    for column in (
        "password_hash VARCHAR(200)",
        "email VARCHAR(320)",
        "disabled BOOLEAN NOT NULL DEFAULT FALSE",
    ):
        conn.execute(sa.text(f"ALTER TABLE people ADD COLUMN {column}"))
    conn.execute(sa.text("CREATE UNIQUE INDEX ux_people_email ON people (email)"))
    m = sa.MetaData()
    sa.Table("people", m, sa.Column("id", sa.Integer, primary_key=True))
    m.create_all(conn, tables=_m10_tables(m))


def _m10_tables(m: sa.MetaData) -> list[sa.Table]:
    """Migration 10's new tables: classes, memberships, logins, failures, links."""
    return [
        sa.Table(
            "classes",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(200), nullable=False, unique=True),
        ),
        sa.Table(
            "memberships",
            m,
            sa.Column(
                "class_id",
                sa.Integer,
                sa.ForeignKey("classes.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column(
                "person_id",
                sa.Integer,
                sa.ForeignKey("people.id", ondelete="CASCADE"),
                primary_key=True,
            ),
        ),
        sa.Table(
            "logins",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
            sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
            *_times("created_at", "expires_at"),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.Index("ix_logins_person", "person_id"),
        ),
        sa.Table(
            "login_failures",
            m,
            sa.Column("key", sa.String(300), primary_key=True),
            sa.Column("failures", sa.Integer, nullable=False),
            sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        ),
        sa.Table(
            "login_links",
            m,
            sa.Column("token_hash", sa.String(64), primary_key=True),
            sa.Column("purpose", sa.String(20), nullable=False),
            sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=True),
            *_times("created_at", "expires_at"),
            sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        ),
    ]


def _m12_kept_videos(conn: Connection) -> None:
    """Attempts' kept videos in the database, in chunks (used on any database but SQLite)."""
    m = sa.MetaData()
    sa.Table("kept_videos", m, *_chunk_columns())
    m.create_all(conn)


def _chunk_columns() -> list[sa.Column]:
    """A file kept in the database: its name, each part's number and bytes (db/chunks.py)."""
    return [
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    ]


def _times(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.DateTime(timezone=True), nullable=False) for name in names]


MIGRATIONS: list[Callable[[Connection], None]] = [
    _m1_create_tables,
    _m2_history_indexes,
    _m3_summary_columns,
    _m4_binary_tracks,
    _m5_sessions,
    _m6_review_jobs,
    _m7_queue_tables,
    _m8_job_exposure,
    _m9_video_kind,
    _m10_accounts,
    m11_ids_never_reused,
    _m12_kept_videos,
]
LATEST_VERSION = len(MIGRATIONS)
SCHEMA_LOCK_KEY = 0x7472_6169_6E65_72  # "trainer"


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, target: int = LATEST_VERSION) -> int:
    """Apply the missing migrations up to target, each in its own transaction; the new version."""
    writer = engine.execution_options(writer=True)
    with writer.begin() as conn:
        _lock_schema(conn)
        schema_version.create(conn, checkfirst=True)
    version = 0
    for number, step in enumerate(MIGRATIONS[:target], start=1):
        with writer.connect() as conn, _foreign_keys_off(conn), conn.begin():
            _lock_schema(conn)
            version = current_version(conn)
            if version >= number:
                continue
            step(conn)
            _check_foreign_keys(conn)
            name = step.__name__.lstrip("_").split("_", 1)[1]
            conn.execute(
                schema_version.insert().values(version=number, name=name, applied_at=now())
            )
            version = number
    return version


@contextmanager
def _foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite: a step rebuilding a table drops it, and a dropped table's rows would cascade to
    the rows referring to them; the pragma works only outside a transaction, so on the
    driver's connection before the step's own begins."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    """What SQLite did not enforce during the step is checked before it commits."""
    if conn.dialect.name == "sqlite" and conn.execute(sa.text("PRAGMA foreign_key_check")).first():
        raise StoreError("a migration step left rows pointing at rows that do not exist")


def _lock_schema(conn: Connection) -> None:
    """Serialize migrations of processes opening one database at once, until commit.

    SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs a transaction-level lock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
