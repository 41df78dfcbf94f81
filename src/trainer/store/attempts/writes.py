"""The store's writing SQL for attempts: an attempt checked and packed before its transaction,
then its row (with a new person or technique by name, and the reference made from it); a
technique's reference; forgetting an attempt."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from trainer.core.base.errors import StoreError
from trainer.core.base.names import plain_name
from trainer.core.comparing.reference import Reference
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.store.db.codec import count_strokes, pack_track
from trainer.store.db.schema import (
    KINDS,
    as_utc,
    attempts,
    check_choice,
    now,
    people,
    references,
    techniques,
)


@dataclass(frozen=True)
class NewAttempt:
    """An attempt checked and packed, nothing written yet: the row's own columns in `values`,
    with the names its person and technique are found (or added) by, and the reference made
    from it, if any."""

    person: str
    technique: str
    kind: str
    values: dict[str, Any]
    reference: Reference | None = None


def new_attempt(
    *,
    person: str,
    technique: str,
    kind: str,
    track: Track,
    calibration: Calibration,
    review: Review | None = None,
    score: float | None = None,
    created_at: datetime | None = None,
    reference: Reference | None = None,
    job_id: int | None = None,
) -> NewAttempt:
    """Check and pack an attempt (the slow part, kept out of the transaction that writes it)."""
    check_choice("kind", kind, KINDS)
    if reference is not None and (kind != "reference" or reference.technique != technique):
        raise StoreError(f"only a {technique} reference attempt can be its reference")
    values = {
        "created_at": as_utc(created_at or now()).astimezone(UTC),
        "kind": kind,
        "calibration": calibration.to_dict(),
        "track": pack_track(track),
        "review": None if review is None else review.to_dict(),
        "score": None if score is None else float(score),
        "duration_s": track.duration_s,
        "job_id": job_id,
    }
    return NewAttempt(person, technique, kind, values, reference)


def insert_attempt(conn: Connection, new: NewAttempt, video_path: str | None = None) -> int:
    """Write the attempt in conn's transaction (a new person is a student, an instructor for a
    reference); its id. video_path: the kept video's generated name (attempts/videos.py)."""
    pid = person_id(conn, new.person, "instructor" if new.kind == "reference" else "student")
    if new.kind == "reference" and role(conn, pid) != "instructor":
        raise StoreError(f"{new.person} is not an instructor: a reference needs one")
    tid = technique_id(conn, new.technique)
    attempt_id = conn.execute(
        attempts.insert()
        .values(
            **new.values,
            person_id=pid,
            technique_id=tid,
            video_path=video_path,
            n_strokes=count_strokes(new.values["review"]),
        )
        .returning(attempts.c.id)
    ).scalar_one()
    if new.reference is not None:
        profile = replace(new.reference, attempt_id=attempt_id).to_dict()
        replace_reference(conn, tid, attempt_id, profile)
    return int(attempt_id)


def reference_technique(conn: Connection, attempt_id: int) -> int:
    """The technique of a reference attempt; refuses any other attempt."""
    row = conn.execute(
        sa.select(attempts.c.technique_id, attempts.c.kind).where(attempts.c.id == attempt_id)
    ).one_or_none()
    if row is None:
        raise StoreError(f"no attempt with id {attempt_id}")
    if row.kind != "reference":
        raise StoreError(f"attempt {attempt_id} is a {row.kind}, not a reference")
    return int(row.technique_id)


def delete_attempt(conn: Connection, attempt_id: int) -> str | None:
    """Delete an attempt's row and the reference made from it; the kept video it named."""
    row = conn.execute(
        sa.select(attempts.c.video_path).where(attempts.c.id == attempt_id)
    ).one_or_none()
    if row is None:
        raise StoreError(f"no attempt with id {attempt_id}")
    conn.execute(references.delete().where(references.c.attempt_id == attempt_id))
    conn.execute(attempts.delete().where(attempts.c.id == attempt_id))
    return row.video_path


def replace_reference(
    conn: Connection, technique_id: int, attempt_id: int, profile: dict[str, Any]
) -> None:
    """Make attempt_id the technique's reference, with profile; the previous one is dropped."""
    conn.execute(references.delete().where(references.c.technique_id == technique_id))
    conn.execute(
        references.insert().values(
            technique_id=technique_id, attempt_id=attempt_id, profile=profile, created_at=now()
        )
    )


def person_id(conn: Connection, name: str, role: str) -> int:
    """The person's id; a new person is added with role, a known one keeps theirs."""
    known = conn.execute(sa.select(people.c.id).where(people.c.name == name.strip())).scalar()
    if known is not None:  # a name stored before names were checked still finds its person
        return int(known)
    return _get_or_insert(conn, people, plain_name(name, StoreError), role=role)


def technique_id(conn: Connection, name: str) -> int:
    if not name.strip():
        raise StoreError("a technique needs a name")
    return _get_or_insert(conn, techniques, name.strip())


def role(conn: Connection, person: int) -> str:
    return conn.execute(sa.select(people.c.role).where(people.c.id == person)).scalar_one()


def _get_or_insert(conn: Connection, table: sa.Table, name: str, **values: Any) -> int:
    """The id of the row called name, inserted if missing (another writer may race us)."""
    query = sa.select(table.c.id).where(table.c.name == name)
    found = conn.execute(query).scalar()
    if found is not None:
        return int(found)
    try:
        with conn.begin_nested():
            conn.execute(table.insert().values(name=name, **values))
    except IntegrityError:
        pass
    return int(conn.execute(query).scalar_one())


def set_role(conn: Connection, name: str, role: str) -> None:
    """Change a known person's role; refuses a name nobody has."""
    changed = conn.execute(people.update().where(people.c.name == name.strip()).values(role=role))
    if not changed.rowcount:
        raise StoreError(f"no person named {name!r}")
