"""Review jobs in the store: each job's inputs, state, progress and result.

A job is made in one transaction with its inputs (the video under a generated name, see
files.py). Its state moves queued -> running -> done | failed | cancelled (runs.py has a
worker's side). Its result is the attempt whose unique job_id is the job's: written once,
however often the job runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.core.base.errors import JobError
from trainer.core.base.names import plain_name
from trainer.core.base.settings import Settings
from trainer.store.db.schema import KINDS, attempts, check_choice, now, review_jobs
from trainer.store.jobs.files import JobFiles, file_name
from trainer.store.jobs.records import FINAL_STATES, Job, JobSpec
from trainer.store.jobs.runs import JobRuns, only_in, state_now
from trainer.store.store import Store

Enqueue = Callable[[Connection, int], None]


class JobStore:
    """Review jobs and their files, in a Store's database."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.files = JobFiles(folder, in_database=not self.local)
        self.runs = JobRuns(store, self.files)

    @classmethod
    def open(cls, settings: Settings | None = None) -> JobStore:
        """The jobs of the store the settings (by default the environment) point at."""
        s = settings or Settings.from_env()
        return cls(Store.open(s), s.data_dir / "jobs")

    @property
    def local(self) -> bool:
        """SQLite: jobs are run by this machine's own worker processes, not through a queue."""
        return sa.make_url(self.store.url).get_backend_name() == "sqlite"

    # Making and reading jobs

    def create(
        self,
        spec: JobSpec,
        video: Path,
        enqueue: Enqueue | None = None,
        max_queued: int | None = None,
    ) -> int:
        """Store a job with its inputs and a copy of the video, in one transaction; its id.

        enqueue(conn, job_id) puts it in a queue in the same transaction; max_queued: most
        jobs of one person waiting at once (one person cannot fill the queue and the disk).
        """
        check_choice("kind", spec.kind, KINDS)
        if not spec.person.strip():
            raise JobError(f"{spec.video_name}: a review job needs a person's name")
        plain_name(spec.person, JobError)
        name = file_name(spec.video_name)
        values = {
            **asdict(spec),
            "person": spec.person.strip(),
            "video_file": name,
            "created_at": now(),
            "state": "queued",
            "frames_done": 0,
            "tries": 0,
            "cancel_requested": False,
        }
        try:
            with self.store.transaction() as conn:
                _check_queued(conn, spec, max_queued)
                self.files.put(conn, name, video)
                query = review_jobs.insert().values(**values).returning(review_jobs.c.id)
                job_id = int(conn.execute(query).scalar_one())
                if enqueue is not None:
                    enqueue(conn, job_id)
                return job_id
        except BaseException as exc:
            self.files.discard(name)  # the copy of a job never made
            if isinstance(exc, OSError):
                raise JobError(
                    f"{spec.video_name}: could not keep the video ({exc.strerror})"
                ) from None
            raise

    def get(self, job_id: int) -> Job:
        with self.store.connect() as conn:
            row = conn.execute(sa.select(review_jobs).where(review_jobs.c.id == job_id)).first()
        if row is None:
            raise JobError(f"no review job with id {job_id}")
        return Job.from_row(row)

    def list(
        self,
        *,
        state: str | None = None,
        person: str | None = None,
        batch: str | None = None,
        limit: int | None = None,
    ) -> list[Job]:
        """Jobs, newest first, optionally in one state, of one person or of one batch."""
        query = sa.select(review_jobs).order_by(review_jobs.c.id.desc()).limit(limit)
        if state is not None:
            check_choice("state", state, ("queued", "running", *FINAL_STATES))
            query = query.where(review_jobs.c.state == state)
        if person is not None:
            query = query.where(review_jobs.c.person == person)
        if batch is not None:
            query = query.where(review_jobs.c.batch == batch)
        with self.store.connect() as conn:
            return [Job.from_row(r) for r in conn.execute(query)]

    def next_queued(self) -> int | None:
        """The oldest queued job's id."""
        query = sa.select(sa.func.min(review_jobs.c.id)).where(review_jobs.c.state == "queued")
        with self.store.connect() as conn:
            return conn.execute(query).scalar()

    def attempt_for(self, job_id: int) -> int | None:
        """The attempt a job saved, if it saved one."""
        with self.store.connect() as conn:
            found = conn.execute(sa.select(attempts.c.id).where(attempts.c.job_id == job_id))
            return found.scalar()

    def results(self, attempt_ids: list[int | None]) -> dict[int, dict[str, Any]]:
        """The reviews (JSON) of the attempts jobs saved, by attempt id."""
        wanted = [a for a in attempt_ids if a is not None]
        query = sa.select(attempts.c.id, attempts.c.review).where(attempts.c.id.in_(wanted))
        with self.store.connect() as conn:
            return {r.id: r.review or {} for r in conn.execute(query)}

    def video(self, job: Job) -> Path | None:
        """The job's video as a file to read; None when it is gone."""
        with self.store.connect() as conn:
            return self.files.local(conn, job.video_file)

    def output(self, job: Job) -> bytes | None:
        """The annotated video a job drew, None when it drew none."""
        if job.output_file is None:
            return None
        with self.store.connect() as conn:
            return self.files.read_bytes(conn, job.output_file)

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued job, or ask its worker to stop a running one (within a second)."""
        job = self.get(job_id)
        with self.store.transaction() as conn:
            if job.state == "queued":
                changed = only_in(job_id, ("queued",), False).values(
                    state="cancelled", finished_at=now()
                )
            elif job.state == "running" and job.step != "saving":
                changed = only_in(job_id, ("running",), False).values(cancel_requested=True)
            else:
                changed = None
            if changed is None or not conn.execute(changed).rowcount:
                raise JobError(f"job {job_id} is {state_now(conn, job_id)}: too late to cancel")
        return self.get(job_id)

    def retry(self, job_id: int, enqueue: Enqueue | None = None) -> Job:
        """Queue a failed or cancelled job again, from its first try (enqueue: as in create)."""
        job = self.get(job_id)
        with self.store.transaction() as conn:
            retried = conn.execute(
                only_in(job_id, ("failed", "cancelled"), None).values(
                    state="queued",
                    tries=0,
                    error=None,
                    step=None,
                    frames_done=0,
                    worker=None,
                    started_at=None,
                    finished_at=None,
                    cancel_requested=False,
                )
            ).rowcount
            if not retried:
                raise JobError(
                    f"job {job_id} is {state_now(conn, job_id)}: only a failed "
                    "or cancelled job is retried"
                )
            if not self.files.exists(conn, job.video_file):
                raise JobError(
                    f"job {job_id} ({job.video_name}) cannot run again: its video is gone"
                )
            if enqueue is not None:
                enqueue(conn, job_id)
        return self.get(job_id)


def _check_queued(conn: Connection, spec: JobSpec, max_queued: int | None) -> None:
    if max_queued is None:
        return
    waiting = conn.execute(
        sa.select(sa.func.count()).where(
            review_jobs.c.person == spec.person.strip(), review_jobs.c.state == "queued"
        )
    ).scalar_one()
    if waiting >= max_queued:
        raise JobError(
            f"{spec.video_name}: {spec.person.strip()} has {waiting} jobs waiting already, the "
            "most one person may have (TRAINER_MAX_QUEUED_JOBS): wait for them to run"
        )
