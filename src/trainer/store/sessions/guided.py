"""Guided sessions in the store: one row per session, linked to its exercises' attempts.

Each stretch of camera work on an exercise is saved as a practice attempt (so the history,
progress charts and comparisons see it like any other); the session row keeps the routine,
whether it was the person's first and whether it was complete, and the per-exercise summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from trainer.core.base.errors import StoreError
from trainer.core.guided.session import GuidedSession
from trainer.core.path.calibration import Calibration
from trainer.store.db.schema import people, session_attempts, sessions
from trainer.store.store import Store


@dataclass(frozen=True)
class StoredSession:
    """One saved guided session.

    summary: `GuidedSession.to_dict()` (routine, first, complete, session_s, exercises);
    attempts: (exercise index, attempt id) of every stretch saved, by exercise.
    """

    id: int
    created_at: datetime
    person: str
    routine: str
    first: bool
    complete: bool
    seconds: float
    summary: dict[str, Any]
    attempts: tuple[tuple[int, int], ...]


def save_session(store: Store, guide: GuidedSession, person: str) -> int:
    """Save the session and each exercise's stretches as practice attempts; the session's id.

    The person must exist. Attempts are written first, each in its own transaction; if the
    session row cannot be written they are deleted again.
    """
    saved: list[tuple[int, int]] = []
    try:
        for index, record in enumerate(guide.records):
            for review, track in record.parts:
                attempt_id = store.save_attempt(
                    person=person,
                    technique=review.technique,
                    kind="practice",
                    track=track,
                    calibration=Calibration.from_dict(review.calibration),
                    review=review,
                    score=review.score,
                )
                saved.append((index, attempt_id))
        summary = guide.to_dict()
        with store.transaction() as conn:
            row = conn.execute(
                sessions.insert()
                .values(
                    created_at=datetime.now(UTC),
                    person_id=_person_id(conn, person),
                    routine=guide.routine.name,
                    first=guide.first,
                    complete=guide.complete,
                    seconds=summary["session_s"],
                    summary=summary,
                )
                .returning(sessions.c.id)
            ).one()
            for index, attempt_id in saved:
                conn.execute(
                    session_attempts.insert().values(
                        session_id=row.id, attempt_id=attempt_id, exercise=index
                    )
                )
    except BaseException:
        for _, attempt_id in saved:
            store.delete_attempt(attempt_id)
        raise
    return int(row.id)


def list_sessions(store: Store, person: str | None = None) -> list[StoredSession]:
    """Saved sessions, oldest first, optionally one person's."""
    query = (
        sa.select(sessions, people.c.name.label("person"))
        .join(people, people.c.id == sessions.c.person_id)
        .order_by(sessions.c.created_at, sessions.c.id)
    )
    if person is not None:
        query = query.where(people.c.name == person)
    with store.connect() as conn:
        rows = conn.execute(query).all()
        links = conn.execute(
            sa.select(session_attempts).order_by(
                session_attempts.c.exercise, session_attempts.c.attempt_id
            )
        ).all()
    attempts: dict[int, list[tuple[int, int]]] = {}
    for link in links:
        attempts.setdefault(link.session_id, []).append((link.exercise, link.attempt_id))
    return [
        StoredSession(
            id=r.id,
            created_at=r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC),
            person=r.person,
            routine=r.routine,
            first=bool(r.first),
            complete=bool(r.complete),
            seconds=float(r.seconds),
            summary=r.summary,
            attempts=tuple(attempts.get(r.id, ())),
        )
        for r in rows
    ]


def has_sessions(store: Store, person: str, routine: str) -> bool:
    """Whether the person has a saved session of this routine (the next is not their first)."""
    query = (
        sa.select(sessions.c.id)
        .join(people, people.c.id == sessions.c.person_id)
        .where(people.c.name == person.strip(), sessions.c.routine == routine)
        .limit(1)
    )
    with store.connect() as conn:
        return conn.execute(query).first() is not None


def _person_id(conn: sa.Connection, name: str) -> int:
    found = conn.execute(sa.select(people.c.id).where(people.c.name == name.strip())).scalar()
    if found is None:
        raise StoreError(f"no person named {name!r}")
    return int(found)
