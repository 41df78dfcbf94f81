"""The store's current tables, the choices its columns take, and how it keeps times.

The live code's view of the schema; migrations.py builds it step by step in any database.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

KINDS = ("review", "practice", "reference")
ROLES = ("student", "instructor")
PRACTICE_KINDS = ("review", "practice")

metadata = sa.MetaData()

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
)

techniques = sa.Table(
    "techniques",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
)

attempts = sa.Table(
    "attempts",
    metadata,
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
    sa.Column("duration_s", sa.Float, nullable=True),
    sa.Column("n_strokes", sa.Integer, nullable=True),
)

references = sa.Table(
    "references",
    metadata,
    sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), primary_key=True),
    sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("profile", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
