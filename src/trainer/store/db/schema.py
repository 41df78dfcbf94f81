"""The store's current tables, the choices its columns take, and how it keeps times.

The live code's view of the schema; migrations.py builds it step by step in any database, and
tests/test_store_schema.py checks that the two agree (columns, keys and indexes).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from trainer.core.base.errors import StoreError

# An attempt's kind: "video", an uploaded video's (not "review": that is the verdict).
KINDS = ("video", "practice", "reference")
ROLES = ("student", "instructor", "admin")
PRACTICE_KINDS = ("video", "practice")
JOB_STATES = ("queued", "running", "done", "failed", "cancelled")

metadata = sa.MetaData()
# Ids are never given twice (migration 11): AUTOINCREMENT on SQLite, identity elsewhere, so a
# link to a forgotten row never finds someone else's.

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    # An account's parts (migration 10): the argon2 hash of its password (never the password),
    # the e-mail an identity provider vouches for, and whether an admin has disabled it.
    sa.Column("password_hash", sa.String(200), nullable=True),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ux_people_email", "email", unique=True),
    sqlite_autoincrement=True,
)

# Classes, and who is in each: an instructor in a class teaches it, a student in it studies.
classes = sa.Table(
    "classes",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sqlite_autoincrement=True,
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column(
        "class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    ),
)

# A login in a browser: only the SHA-256 of its random token is kept, so a copy of the
# database logs nobody in; revoked_at ends it before expires_at.
logins = sa.Table(
    "logins",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_logins_person", "person_id"),
    sqlite_autoincrement=True,
)

# Failed logins counted per key ("account:NAME" or "address:IP"), to slow guessing.
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
)

# One-time links (the first admin's, a password reset's): the token's hash, used once.
login_links = sa.Table(
    "login_links",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("purpose", sa.String(20), nullable=False),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
)

techniques = sa.Table(
    "techniques",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sqlite_autoincrement=True,
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
    sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("calibration", sa.JSON, nullable=False),
    sa.Column("track", sa.LargeBinary, nullable=False),
    sa.Column("review", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("video_path", sa.String(500), nullable=True),
    sa.Column("duration_s", sa.Float, nullable=True),
    sa.Column("n_strokes", sa.Integer, nullable=True),
    sa.Column("job_id", sa.Integer, nullable=True),
    sa.Index("ix_attempts_person_time", "person_id", "created_at"),
    sa.Index("ix_attempts_technique_score", "technique_id", "score"),
    # The review job that made it: unique, so a job's result is written once however often it
    # runs. A unique index, as migration 6 made it (SQLite cannot add a constraint later).
    sa.Index("ux_attempts_job_id", "job_id", unique=True),
    sqlite_autoincrement=True,
)

references = sa.Table(
    "references",
    metadata,
    sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), primary_key=True),
    sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("profile", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

review_jobs = sa.Table(
    "review_jobs",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
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
    sa.Column("exposure", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("step", sa.String(20), nullable=True),
    sa.Column("frames_done", sa.Integer, nullable=False),
    sa.Column("frames_total", sa.Integer, nullable=True),
    sa.Column("tries", sa.Integer, nullable=False),
    sa.Column("cancel_requested", sa.Boolean, nullable=False),
    sa.Column("error", sa.String(2000), nullable=True),
    # Forgetting the attempt unlinks the job (migration 11): its id is never shown again.
    sa.Column(
        "attempt_id", sa.Integer, sa.ForeignKey("attempts.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("output_file", sa.String(100), nullable=True),
    sa.Column("worker", sa.String(200), nullable=True),
    sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("review_s", sa.Float, nullable=True),
    sa.Index("ix_review_jobs_state", "state", "id"),
    sa.Index("ix_review_jobs_person", "person", "created_at"),
    sa.Index("ix_review_jobs_batch", "batch"),
    sqlite_autoincrement=True,
)


def _file_chunks(name: str) -> sa.Table:
    """A table of files kept in the database: name, each part's number and bytes (chunks.py)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


job_files = _file_chunks("job_files")

# Attempts' kept videos on any database but SQLite (migration 12), in chunks like job_files:
# every machine of the school reads them, and `forget` deletes them with the rows. On SQLite
# they are files in the videos folder and the table stays empty.
kept_videos = _file_chunks("kept_videos")

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
    sa.Column("routine", sa.String(100), nullable=False),
    sa.Column("first", sa.Boolean, nullable=False),
    sa.Column("complete", sa.Boolean, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Index("ix_sessions_person_time", "person_id", "created_at"),
    sqlite_autoincrement=True,
)

# Forgetting an attempt (or a session) unlinks it: the links go with either end.
session_attempts = sa.Table(
    "session_attempts",
    metadata,
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

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


def check_choice(what: str, value: str, allowed: tuple[str, ...]) -> None:
    """Refuse a value a column does not take, naming the ones it does."""
    if value not in allowed:
        raise StoreError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
