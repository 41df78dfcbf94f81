"""Forgetting a person entirely: every row of theirs in one transaction, then their files.

What is theirs: the people row (account, e-mail, class memberships, logins, one-time links,
failed-login count), their attempts with their kept videos and the references made from
them, their guided sessions, the review jobs made for them with the jobs' uploads and
annotated copies, and their queue entries. Videos kept in the database (on PostgreSQL) go in
the rows' transaction, files (on SQLite) after it. Other rows that pointed at their attempts
lose the link (review_jobs.attempt_id is set to null by its foreign key). SQLite is then
checkpointed and vacuumed, so deleted pages do not linger in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.core.base.errors import StoreError
from trainer.store.db.schema import (
    attempts,
    login_failures,
    login_links,
    logins,
    memberships,
    people,
    references,
    review_jobs,
    session_attempts,
    sessions,
)
from trainer.store.db.stored_names import is_stored_name
from trainer.store.jobs.job_store import JobStore


@dataclass
class Erased:
    """What was removed, to report."""

    attempts: int = 0
    jobs: int = 0
    sessions: int = 0
    files: list[str] = field(default_factory=list)


def forget_person(jobs: JobStore, name: str) -> Erased:
    """Remove the person called name and everything of theirs; StoreError if none is known."""
    store = jobs.store
    with store.transaction() as conn:
        erased, kept_videos, job_files = _delete_rows(conn, jobs, name)
    for stored in kept_videos:
        store.videos.remove(stored)
    for file in job_files:
        jobs.files.discard(file)
    store.compact()
    return erased


def _delete_rows(conn: Connection, jobs: JobStore, name: str) -> tuple[Erased, list, list]:
    person_id = conn.execute(sa.select(people.c.id).where(people.c.name == name)).scalar()
    job_rows = conn.execute(
        sa.select(review_jobs.c.id, review_jobs.c.video_file, review_jobs.c.output_file).where(
            review_jobs.c.person == name
        )
    ).all()
    if person_id is None and not job_rows:
        raise StoreError(f"no person called {name!r} in the store")
    attempt_rows = conn.execute(
        sa.select(attempts.c.id, attempts.c.video_path).where(attempts.c.person_id == person_id)
    ).all()
    attempt_ids = [r.id for r in attempt_rows]
    session_ids = (
        conn.execute(sa.select(sessions.c.id).where(sessions.c.person_id == person_id))
        .scalars()
        .all()
    )
    conn.execute(
        session_attempts.delete().where(
            session_attempts.c.session_id.in_(session_ids)
            | session_attempts.c.attempt_id.in_(attempt_ids)
        )
    )
    conn.execute(sessions.delete().where(sessions.c.id.in_(session_ids)))
    conn.execute(references.delete().where(references.c.attempt_id.in_(attempt_ids)))
    job_ids = [r.id for r in job_rows]
    conn.execute(review_jobs.delete().where(review_jobs.c.id.in_(job_ids)))
    conn.execute(attempts.delete().where(attempts.c.id.in_(attempt_ids)))
    kept_videos = [r.video_path for r in attempt_rows if r.video_path]
    for video in kept_videos:
        jobs.store.videos.delete(conn, video)
    files = [f for r in job_rows for f in (r.video_file, r.output_file) if is_stored_name(f)]
    for file in files:
        jobs.files.delete(conn, file)
    _forget_queue_entries(conn, job_ids)
    for table in (logins, login_links, memberships):
        conn.execute(table.delete().where(table.c.person_id == person_id))
    key = f"account:{name.strip().casefold()}"
    conn.execute(login_failures.delete().where(login_failures.c.key == key))
    conn.execute(people.delete().where(people.c.id == person_id))
    erased = Erased(len(attempt_ids), len(job_ids), len(session_ids), files)
    return erased, kept_videos, files


def _forget_queue_entries(conn: Connection, job_ids: list[int]) -> None:
    """PostgreSQL's queue keeps each job's id in its own rows (their events go with them)."""
    if conn.dialect.name != "postgresql" or not job_ids:
        return
    conn.execute(
        sa.text(
            "DELETE FROM procrastinate_jobs WHERE (args->>'job_id')::bigint = ANY(:ids) "
            "AND status <> 'doing'"
        ),
        {"ids": job_ids},
    )
