"""Migration 5: guided sessions, and which attempts each one's exercises produced.

Frozen history, like the steps in database.py: it defines the tables as they were created,
with stand-ins for the tables it points at (only their ids matter here).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection


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
