"""A worker's side of review jobs: taking one, reporting progress, ending it.

Every change is one UPDATE guarded by the state it expects (and by the worker that runs it),
so two workers never both take a job, and a worker that lost its job (taken for dead, or
cancelled) finds out at its next progress report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.store.db.schema import as_utc, now, review_jobs
from trainer.store.jobs.files import JobFiles, file_name
from trainer.store.jobs.records import Job
from trainer.store.store import Store

GO, CANCEL, LOST = "go", "cancel", "lost"  # what a running job's progress report hears back


class JobRuns:
    """The job rows as the workers change them."""

    def __init__(self, store: Store, files: JobFiles) -> None:
        self.store = store
        self.files = files

    def claim(self, job_id: int, worker: str, states: tuple[str, ...] = ("queued",)) -> Job | None:
        """Take the job for worker if it is in one of states; None when it is not to be run."""
        stamp = now()
        with self.store.transaction() as conn:
            # A cancel that reached a worker no longer there ends the job here.
            conn.execute(
                only_in(job_id, ("running",), True).values(
                    state="cancelled", step=None, finished_at=stamp
                )
            )
            taken = conn.execute(
                only_in(job_id, states, False).values(
                    state="running",
                    worker=worker,
                    tries=review_jobs.c.tries + 1,
                    step="starting",
                    frames_done=0,
                    heartbeat_at=stamp,
                    started_at=stamp,
                )
            ).rowcount
            if not taken:
                return None
            row = conn.execute(sa.select(review_jobs).where(review_jobs.c.id == job_id)).one()
        return Job.from_row(row)

    def report(self, job_id: int, worker: str, step: str, done: int, total: int) -> str:
        """Record progress (a heartbeat too); GO, or CANCEL or LOST when the run must stop."""
        with self.store.transaction() as conn:
            mine = (review_jobs.c.id == job_id, review_jobs.c.worker == worker)
            conn.execute(
                review_jobs.update()
                .where(*mine, review_jobs.c.state == "running")
                .values(step=step, frames_done=done, frames_total=total, heartbeat_at=now())
            )
            row = conn.execute(
                sa.select(review_jobs.c.state, review_jobs.c.cancel_requested).where(*mine)
            ).first()
        if row is None or row.state != "running":
            return LOST
        return CANCEL if row.cancel_requested else GO

    def begin_save(self, job_id: int, worker: str) -> bool:
        """Enter the saving step, after which a cancel is refused; False if the run must stop."""
        with self.store.transaction() as conn:
            return bool(
                conn.execute(
                    review_jobs.update()
                    .where(
                        review_jobs.c.id == job_id,
                        review_jobs.c.worker == worker,
                        review_jobs.c.state == "running",
                        review_jobs.c.cancel_requested.is_(False),
                    )
                    .values(step="saving", heartbeat_at=now())
                ).rowcount
            )

    def finish(
        self,
        job: Job,
        attempt_id: int,
        review_s: float | None = None,
        output: Path | None = None,
    ) -> None:
        """Done, with its attempt and the annotated video it drew; the upload is not needed now."""
        drawn = None if output is None else file_name(job.video_name, "-annotated")
        try:
            with self.store.transaction() as conn:
                if output is not None:
                    self.files.put(conn, drawn, output)
                conn.execute(
                    review_jobs.update()
                    .where(review_jobs.c.id == job.id)
                    .values(
                        state="done",
                        step=None,
                        attempt_id=attempt_id,
                        error=None,
                        finished_at=now(),
                        review_s=review_s,
                        output_file=drawn,
                        cancel_requested=False,
                    )
                )
                self.files.delete(conn, job.video_file)
        except BaseException:
            if drawn is not None:
                self.files.discard(drawn)
            raise
        self.files.discard(job.video_file)

    def fail(self, job_id: int, error: str, worker: str | None = None) -> None:
        """Failed for good, with its error line; its video stays for a retry.

        worker: only while that worker runs it (here and below: a worker that lost the job
        changes nothing).
        """
        self._end(job_id, worker, state="failed", error=one_line(error))

    def requeue(
        self,
        job_id: int,
        error: str | None = None,
        worker: str | None = None,
        refund: bool = False,
    ) -> None:
        """Back in the queue to be run again (error: why the last run ended; refund: that
        run does not count as a try)."""
        values: dict[str, Any] = {"state": "queued", "worker": None, "step": None}
        if error is not None:
            values["error"] = one_line(error)
        if refund:
            values["tries"] = review_jobs.c.tries - 1
        with self.store.transaction() as conn:
            conn.execute(running(job_id, worker).values(**values))

    def mark_cancelled(self, job_id: int, worker: str | None = None) -> None:
        self._end(job_id, worker, state="cancelled")

    def _end(self, job_id: int, worker: str | None, **values: Any) -> None:
        with self.store.transaction() as conn:
            query = running(job_id, worker)
            conn.execute(query.values(step=None, finished_at=now(), **values))

    def requeue_stalled(self, stale_s: float, dead: Callable[[str | None], bool]) -> list[int]:
        """Running jobs whose worker is gone (dead(worker) or no heartbeat for stale_s), queued
        again (a cancel asked for ends them when they are next claimed); their ids."""
        cutoff = now() - timedelta(seconds=stale_s)
        with self.store.connect() as conn:
            rows = conn.execute(
                sa.select(review_jobs.c.id, review_jobs.c.worker, review_jobs.c.heartbeat_at).where(
                    review_jobs.c.state == "running"
                )
            ).all()
        stalled = [r for r in rows if dead(r.worker) or as_utc(r.heartbeat_at) < cutoff]
        for r in stalled:
            self.requeue(r.id, "the worker running it stopped", worker=r.worker)
        return [r.id for r in stalled]


def only_in(job_id: int, states: tuple[str, ...], cancel_requested: bool | None) -> sa.Update:
    """An UPDATE of the job only while in one of states (and with that cancel flag)."""
    query = review_jobs.update().where(review_jobs.c.id == job_id, review_jobs.c.state.in_(states))
    if cancel_requested is not None:
        query = query.where(review_jobs.c.cancel_requested.is_(cancel_requested))
    return query


def running(job_id: int, worker: str | None = None) -> sa.Update:
    """An UPDATE of the job only while it runs (on worker, when one is named)."""
    query = review_jobs.update().where(review_jobs.c.id == job_id, review_jobs.c.state == "running")
    return query if worker is None else query.where(review_jobs.c.worker == worker)


def state_now(conn: Connection, job_id: int) -> str:
    query = sa.select(review_jobs.c.state).where(review_jobs.c.id == job_id)
    return conn.execute(query).scalar() or "gone"


def one_line(text: str) -> str:
    """The first line of an error, cut to the column's size."""
    line = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return line[:2000]
