"""Everything the store holds about one person, in one zip: person.json (their row without the
password hash, classes, logins, attempts with tracks and reviews, guided sessions, review jobs)
and the videos kept of them (attempts' videos, jobs' uploads and annotated copies)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.core.base.errors import StoreError
from trainer.store.db.schema import (
    attempts,
    classes,
    logins,
    memberships,
    people,
    review_jobs,
    session_attempts,
    sessions,
)
from trainer.store.db.stored_names import is_stored_name
from trainer.store.jobs.job_store import JobStore
from trainer.store.store import Store

SECRETS = ("password_hash", "token_hash")  # not theirs to read back: a key, not data


def export_person(jobs: JobStore, name: str, target: Path) -> int:
    """Write the zip; the number of videos in it."""
    store = jobs.store
    with store.connect() as conn:
        held = _held(conn, name)
        if not held["person"] and not held["review_jobs"]:
            raise StoreError(f"no person called {name!r} in the store")
        for attempt in held["attempts"]:
            attempt["track"] = store.load_attempt(attempt["id"]).track.to_dict()
        videos = _job_videos(conn, jobs, held)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("person.json", json.dumps(held, indent=1, default=str))
            kept = _kept_videos(conn, store, held["attempts"], out)
            for name_in_zip, path in videos:
                out.write(path, f"videos/{name_in_zip}")
    if jobs.files.in_database:  # the copies out of the database were only for the zip
        for job in held["review_jobs"]:
            for file in (job["video_file"], job["output_file"]):
                if is_stored_name(file):
                    jobs.files.discard(file)
    return kept + len(videos)


def _held(conn: Connection, name: str) -> dict[str, Any]:
    pid = conn.execute(sa.select(people.c.id).where(people.c.name == name)).scalar()
    session_ids = sa.select(sessions.c.id).where(sessions.c.person_id == pid)
    return {
        "person": _rows(conn, sa.select(people).where(people.c.id == pid)),
        "classes": _rows(
            conn,
            sa.select(classes.c.name)
            .join(memberships, memberships.c.class_id == classes.c.id)
            .where(memberships.c.person_id == pid),
        ),
        "logins": _rows(conn, sa.select(logins).where(logins.c.person_id == pid)),
        "attempts": _rows(conn, sa.select(attempts).where(attempts.c.person_id == pid)),
        "sessions": _rows(conn, sa.select(sessions).where(sessions.c.person_id == pid)),
        "session_attempts": _rows(
            conn, sa.select(session_attempts).where(session_attempts.c.session_id.in_(session_ids))
        ),
        "review_jobs": _rows(conn, sa.select(review_jobs).where(review_jobs.c.person == name)),
    }


def _rows(conn: Connection, query: sa.Select) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in row._mapping.items() if k not in SECRETS} for row in conn.execute(query)
    ]


def _kept_videos(
    conn: Connection, store: Store, attempts_held: list[dict[str, Any]], out: zipfile.ZipFile
) -> int:
    """The attempts' kept videos, into the zip straight from the folder or the database (no
    copy left on this machine); how many."""
    n = 0
    for attempt in attempts_held:
        video = store.videos.name(attempt["video_path"])
        if video is None or not store.videos.exists(conn, video):
            continue
        entry = f"videos/attempt-{attempt['id']}{Path(video).suffix}"
        with out.open(entry, "w", force_zip64=True) as dst:
            store.videos.write(conn, video, dst)
        n += 1
    return n


def _job_videos(conn: Connection, jobs: JobStore, held: dict[str, Any]) -> list[tuple[str, Path]]:
    found = []
    for job in held["review_jobs"]:
        for column in ("video_file", "output_file"):
            file = job[column]
            local = jobs.files.local(conn, file) if is_stored_name(file) else None
            if local is not None:
                found.append((f"job-{job['id']}-{column}{local.suffix}", local))
    return found
