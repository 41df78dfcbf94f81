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
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.store.attempts.writes import NewAttempt, insert_attempt, new_attempt
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

    The person must be in the store already (the Guided page adds them); one who is not is
    refused. Everything is one transaction: a session that fails leaves no attempt behind.
    """
    stretches = [
        (index, _practice(review, track, person))
        for index, record in enumerate(guide.records)
        for review, track in record.parts
    ]
    summary = guide.to_dict()
    with store.transaction() as conn:
        person_id = _person_id(conn, person)
        saved = [(index, insert_attempt(conn, new)) for index, new in stretches]
        session_id = conn.execute(
            sessions.insert()
            .values(
                created_at=datetime.now(UTC),
                person_id=person_id,
                routine=guide.routine.name,
                first=guide.first,
                complete=guide.complete,
                seconds=summary["session_s"],
                summary=summary,
            )
            .returning(sessions.c.id)
        ).scalar_one()
        for index, attempt_id in saved:
            conn.execute(
                session_attempts.insert().values(
                    session_id=session_id, attempt_id=attempt_id, exercise=index
                )
            )
    return int(session_id)


def _practice(review: Review, track: Track, person: str) -> NewAttempt:
    """One stretch of camera work as a practice attempt, packed before the transaction."""
    return new_attempt(
        person=person,
        technique=review.technique,
        kind="practice",
        track=track,
        calibration=Calibration.from_dict(review.calibration),
        review=review,
        score=review.score,
    )


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
