"""Keep nothing unasked: what a job leaves behind that no one asked to keep is removed after
`keep_days` (TRAINER_KEEP_DAYS): the annotated copy of a done job whose video was not to be
kept, and the upload of a failed or cancelled job (kept that long for a retry). Run by the
workers and by `trainer purge`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from trainer.store.db.schema import now, review_jobs
from trainer.store.db.stored_names import is_stored_name
from trainer.store.jobs.job_store import JobStore


@dataclass
class Purged:
    annotated: int
    uploads: int


def purge(jobs: JobStore, keep_days: float, clock: Callable[[], datetime] = now) -> Purged:
    """Remove what is past keeping; what was removed."""
    cutoff = clock() - timedelta(days=keep_days)
    old = review_jobs.c.finished_at < cutoff
    with jobs.store.transaction() as conn:
        drawn = conn.execute(
            sa.select(review_jobs.c.id, review_jobs.c.output_file).where(
                old,
                review_jobs.c.state == "done",
                review_jobs.c.keep_video.is_(False),
                review_jobs.c.output_file.is_not(None),
            )
        ).all()
        uploads = conn.execute(
            sa.select(review_jobs.c.video_file).where(
                old, review_jobs.c.state.in_(("failed", "cancelled"))
            )
        ).scalars()
        uploads = [f for f in uploads if is_stored_name(f) and jobs.files.exists(conn, f)]
        gone = [r.output_file for r in drawn if is_stored_name(r.output_file)] + uploads
        for file in gone:
            jobs.files.delete(conn, file)
        conn.execute(
            review_jobs.update()
            .where(review_jobs.c.id.in_([r.id for r in drawn]))
            .values(output_file=None)
        )
    for file in gone:
        jobs.files.discard(file)
    return Purged(len(drawn), len(uploads))
