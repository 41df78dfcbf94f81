"""The store's reading SQL: queries for attempts, the history, standings and references, and
their rows read back as records (writes.py has the writing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Row

from trainer.core.base.errors import CalibrationError, ReviewError, StoreError
from trainer.core.comparing.history import ScoreHistory
from trainer.core.path.calibration import Calibration
from trainer.documents.files import review_from_json
from trainer.store.attempts.records import Attempt, AttemptSummary, StoredReference, TechniqueRow
from trainer.store.db.codec import UNREADABLE_TRACK, unpack_track
from trainer.store.db.schema import (
    PRACTICE_KINDS,
    as_utc,
    attempts,
    people,
    references,
    techniques,
)

TABLE_SORT_KEYS = ("best", "mean", "latest", "attempts")


def attempt_query(attempt_id: int) -> sa.Select:
    """One attempt's row with its person's and technique's names (as person, tech)."""
    return (
        sa.select(attempts, people.c.name.label("person"), techniques.c.name.label("tech"))
        .join(people, people.c.id == attempts.c.person_id)
        .join(techniques, techniques.c.id == attempts.c.technique_id)
        .where(attempts.c.id == attempt_id)
    )


def attempt(row: Row, video: str | None) -> Attempt:
    """A row of attempt_query as a record: its track, calibration and review read back.

    video: the name of the kept video the row names, when it is a name the store made (the
    row's own value is never used as a path).
    """
    try:
        track = unpack_track(row.track)
    except UNREADABLE_TRACK as exc:
        raise StoreError(f"attempt {row.id} has an unreadable track: {exc}") from exc
    try:
        calibration = Calibration.from_dict(row.calibration)
        review = None if row.review is None else review_from_json(row.review)
    except (CalibrationError, ReviewError) as exc:
        raise StoreError(f"attempt {row.id} cannot be read back: {exc}") from exc
    return Attempt(
        id=row.id,
        created_at=as_utc(row.created_at),
        person=row.person,
        technique=row.tech,
        kind=row.kind,
        calibration=calibration,
        track=track,
        review=review,
        score=row.score,
        video=video,
    )


def summaries_query(person: str | None, technique: str | None, kinds: Sequence[str]) -> sa.Select:
    """Attempts without their tracks, oldest first, optionally of one person or technique."""
    query = (
        sa.select(
            attempts.c.id,
            attempts.c.created_at,
            people.c.name.label("person"),
            people.c.role,
            techniques.c.name.label("technique"),
            attempts.c.kind,
            attempts.c.score,
            attempts.c.duration_s,
            attempts.c.n_strokes,
            attempts.c.video_path,
        )
        .join(people, people.c.id == attempts.c.person_id)
        .join(techniques, techniques.c.id == attempts.c.technique_id)
        .where(attempts.c.kind.in_(kinds))
        .order_by(attempts.c.created_at, attempts.c.id)
    )
    if person is not None:
        query = query.where(people.c.name == person)
    if technique is not None:
        query = query.where(techniques.c.name == technique)
    return query


def summary(r: Row) -> AttemptSummary:
    """A row of summaries_query as a record."""
    return AttemptSummary(
        id=r.id,
        created_at=as_utc(r.created_at),
        person=r.person,
        role=r.role,
        technique=r.technique,
        kind=r.kind,
        score=r.score,
        duration_s=r.duration_s,
        n_strokes=r.n_strokes,
        video_kept=r.video_path is not None,
    )


def history(person: str, rows: Sequence[AttemptSummary]) -> ScoreHistory:
    """The person's attempts as time series."""
    return ScoreHistory(
        person=person,
        attempt_id=np.array([r.id for r in rows], dtype=np.int64),
        created_at=np.array(
            [r.created_at.astimezone(UTC).replace(tzinfo=None) for r in rows],
            dtype="datetime64[us]",
        ),
        score=np.array([np.nan if r.score is None else r.score for r in rows], float),
        technique=np.array([r.technique for r in rows], dtype=str),
    )


def technique_table_query(technique: str) -> sa.Select:
    """Per person on technique: attempts, best, mean and latest score, last time."""
    a2 = attempts.alias("a2")
    latest = (
        sa.select(a2.c.score)
        .where(
            a2.c.person_id == attempts.c.person_id,
            a2.c.technique_id == attempts.c.technique_id,
            a2.c.kind.in_(PRACTICE_KINDS),
        )
        .order_by(a2.c.created_at.desc(), a2.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        sa.select(
            people.c.name,
            people.c.role,
            sa.func.count(attempts.c.id).label("attempts"),
            sa.func.max(attempts.c.score).label("best"),
            sa.func.avg(attempts.c.score).label("mean"),
            sa.func.max(attempts.c.created_at).label("last_at"),
            latest.label("latest"),
        )
        .join(people, people.c.id == attempts.c.person_id)
        .join(techniques, techniques.c.id == attempts.c.technique_id)
        .where(techniques.c.name == technique, attempts.c.kind.in_(PRACTICE_KINDS))
        .group_by(people.c.name, people.c.role, attempts.c.person_id, attempts.c.technique_id)
    )


def technique_rows(rows: Sequence[Row], sort_by: str) -> list[TechniqueRow]:
    """Rows of technique_table_query as records, unscored last, then highest sort_by first."""
    table = [
        TechniqueRow(
            person=r.name,
            role=r.role,
            attempts=int(r.attempts),
            best=_opt_float(r.best),
            mean=_opt_float(r.mean),
            latest=_opt_float(r.latest),
            last_at=as_utc(r.last_at),
        )
        for r in rows
    ]
    # Ties by name: a stable sort by name first.
    table.sort(key=lambda row: row.person)
    table.sort(key=lambda row: _sort_value(getattr(row, sort_by)), reverse=True)
    return table


def reference_query(technique: str) -> sa.Select:
    return (
        sa.select(references, techniques.c.name)
        .join(techniques, techniques.c.id == references.c.technique_id)
        .where(techniques.c.name == technique)
    )


def stored_reference(row: Row) -> StoredReference:
    """A row of reference_query as a record."""
    return StoredReference(
        technique=row.name,
        attempt_id=row.attempt_id,
        profile=row.profile,
        created_at=as_utc(row.created_at),
    )


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _sort_value(value: float | None) -> float:
    return -np.inf if value is None else float(value)
