"""Review jobs on PostgreSQL, through Procrastinate: no broker, the database is the queue.

A job is put in Procrastinate's queue in the transaction that stores it (its `connection`
option), so a job is never stored without being queued. Workers on any machine run
`trainer worker` with the same database URL. Each review job has its own Procrastinate lock,
so it never runs twice at once. A worker's heartbeat is in the database; a periodic task on
every worker puts back in the queue the jobs of workers silent for three heartbeats
(Procrastinate's stalled-job retry), and another worker takes them.
"""

from __future__ import annotations

import asyncio
import functools
import logging

import procrastinate
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.core.base.settings import Settings
from trainer.jobs.runner import RetryLater, run_job
from trainer.store.jobs.job_store import Enqueue, JobStore
from trainer.store.jobs.purge import purge

QUEUE = "reviews"
REVIEW_TASK = "trainer.review_job"
STALLED_TASK = "trainer.retry_stalled_jobs"
RETRY_WAIT_S = 2  # before another try of a job that failed unexpectedly
SHUTDOWN_GRACE_S = 10.0  # a stopping worker's job may finish; past this it goes back in line

log = logging.getLogger(__name__)


def conninfo(database_url: str) -> str:
    """The database URL as libpq takes it (no SQLAlchemy driver name)."""
    url = sa.make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def stalled_cron(heartbeat_s: float) -> str:
    """Look for stalled jobs once per heartbeat, at least every 60 s (cron with seconds)."""
    every = max(1, min(59, round(heartbeat_s)))
    return f"* * * * * */{every}"


def make_app(settings: Settings, jobs: JobStore | None = None) -> procrastinate.App:
    """The Procrastinate app for the settings' database: its two tasks, not opened.

    jobs: the job store the review task runs with; opened on first use when not given.
    """
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings.database_url)),
        worker_defaults={
            "queues": [QUEUE],
            "update_heartbeat_interval": settings.worker_heartbeat_s,
            "stalled_worker_timeout": 3 * settings.worker_heartbeat_s,
            "delete_jobs": "successful",  # the review job's row keeps the story
            "shutdown_graceful_timeout": SHUTDOWN_GRACE_S,
        },
    )
    job_store = functools.cache(lambda: jobs or JobStore.open(settings))

    @app.task(
        name=REVIEW_TASK,
        queue=QUEUE,
        pass_context=True,
        retry=procrastinate.RetryStrategy(wait=RETRY_WAIT_S, retry_exceptions=[RetryLater]),
    )
    def review_job(context: procrastinate.JobContext, job_id: int) -> str | None:
        # A job left running by a worker gone is taken again: its lock keeps runs apart.
        # Stopping past the grace period aborts the job: it is queued again (RetryLater).
        return run_job(
            job_store(),
            job_id,
            settings.job_tries,
            states=("queued", "running"),
            stopping=context.should_abort,
        )

    # First in line: a worker takes it before the next review once its own review is over.
    @app.periodic(
        cron=stalled_cron(settings.worker_heartbeat_s), periodic_id="stalled", priority=10
    )
    @app.task(name=STALLED_TASK, queue=QUEUE, queueing_lock=STALLED_TASK, pass_context=True)
    async def retry_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
        manager = context.app.job_manager
        silent_s = 3 * settings.worker_heartbeat_s
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=silent_s):
            log.warning("job %s of a silent worker: queued again", job.id)
            await manager.retry_job(job)
        # The clean-up rides on this periodic task: one worker at a time runs it.
        await asyncio.to_thread(purge, job_store(), settings.keep_days)

    return app


def enqueuer(app: procrastinate.App) -> Enqueue:
    """enqueue(conn, job_id) for JobStore.create: the queue entry in the job's transaction."""

    def enqueue(conn: Connection, job_id: int) -> None:
        app.configure_task(
            REVIEW_TASK,
            lock=f"review-{job_id}",
            connection=conn.connection.dbapi_connection,
        ).defer(job_id=job_id)

    return enqueue


def run_worker(settings: Settings, burst: bool = False) -> None:
    """Run jobs until stopped (SIGINT/SIGTERM: the job under way may finish within
    SHUTDOWN_GRACE_S, else it is queued again); burst: until the queue is empty."""
    app = make_app(settings)
    app.run_worker(wait=not burst, concurrency=1)
