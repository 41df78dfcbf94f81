"""One review job, run by a worker: its video through the review, its result saved once.

The same review as `trainer review` (trainer.analysis.drawn.analyse_and_draw), saved as the
attempt whose unique job id is the job's. A video that cannot be reviewed (broken, no hand, a
bad calibration) fails its job at once with the error's line; anything unexpected is tried
again, up to the settings' job_tries, then fails with its line. A worker that stops mid-job
(killed, its machine gone) leaves the job running: the job is taken again and that run counts
as a try too.
"""

from __future__ import annotations

import contextlib
import math
import os
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trainer.analysis.drawn import ReviewOptions, ReviewSteps, analyse_and_draw
from trainer.analysis.material import Material, save_material
from trainer.analysis.video import Analysis
from trainer.core.base.errors import JobError, StoreError, TrainerError
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.technique import load_technique
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import Job
from trainer.store.jobs.runs import CANCEL, GO, LOST

REPORT_EVERY_S = 0.5  # progress (and heartbeat) writes: twice a second, not once per frame
SHUTDOWN = "shutdown"


class RetryLater(Exception):
    """A try failed unexpectedly and tries are left: the job is queued to run again."""


class Stopped(Exception):
    """The run must end: the job was cancelled (CANCEL), another worker has it now (LOST), or
    this worker is stopping (SHUTDOWN)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def worker_name() -> str:
    """This process, as the job rows name their worker: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Reporter:
    """Progress callbacks that write the job's row at most every REPORT_EVERY_S and stop the run
    (raise Stopped) as soon as the row says so, or stopping() does."""

    def __init__(
        self, jobs: JobStore, job_id: int, worker: str, stopping: Callable[[], bool]
    ) -> None:
        self.jobs, self.job_id, self.worker, self.stopping = jobs, job_id, worker, stopping
        self._last = -math.inf

    def step(self, name: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            clock = time.monotonic()
            if clock - self._last < REPORT_EVERY_S and done < total:
                return
            self._last = clock
            if self.stopping():
                raise Stopped(SHUTDOWN)
            heard = self.jobs.runs.report(self.job_id, self.worker, name, done, total)
            if heard != GO:
                raise Stopped(heard)

        return report


def run_job(
    jobs: JobStore,
    job_id: int,
    max_tries: int,
    worker: str | None = None,
    states: tuple[str, ...] = ("queued",),
    stopping: Callable[[], bool] = lambda: False,
) -> str | None:
    """Run the job if it is in one of states; the state it ends in, None if not run here.

    Raises RetryLater after an unexpected error when tries are left, or when stopping() turns
    true mid-job (the worker is asked to stop): the job is queued again.
    """
    worker = worker or worker_name()
    job = jobs.runs.claim(job_id, worker, states)
    if job is None:
        return None
    saved = jobs.attempt_for(job.id)
    if saved is not None:  # an earlier run saved the result, then stopped before the job's row
        jobs.runs.finish(job, saved)
        return "done"
    if job.tries > max_tries:
        last = job.error or "the worker stopped each time"
        jobs.runs.fail(
            job.id, f"{job.video_name}: gave up after {max_tries} tries ({last})", worker
        )
        return "failed"
    try:
        _review(jobs, job, worker, stopping)
    except Stopped as stop:
        if stop.why == CANCEL:
            jobs.runs.mark_cancelled(job.id, worker)
            return "cancelled"
        if stop.why == SHUTDOWN:  # not the job's fault: that run is not counted as a try
            jobs.runs.requeue(job.id, worker=worker, refund=True)
            raise RetryLater(f"{job.video_name}: its worker stopped") from None
        return None
    except TrainerError as exc:
        jobs.runs.fail(job.id, _naming_the_video(str(exc), job, jobs.files.folder), worker)
        return "failed"
    except Exception as exc:
        line = _naming_the_video(f"{type(exc).__name__}: {exc}", job, jobs.files.folder)
        if job.tries >= max_tries:
            jobs.runs.fail(job.id, f"{line} (after {job.tries} tries)", worker)
            return "failed"
        jobs.runs.requeue(job.id, line, worker)
        raise RetryLater(line) from exc
    finally:
        _drop_copy(jobs, job)
    return "done"


def _drop_copy(jobs: JobStore, job: Job) -> None:
    """On PostgreSQL the worker read a copy out of the database: gone whatever happened, so
    no machine keeps a video it was not asked to keep (the database has the upload)."""
    if jobs.files.in_database:
        # A name the store did not make, or one leading out of its folder, is nothing of ours
        # to remove, and a copy that could not be made is not there: the run already failed.
        with contextlib.suppress(StoreError, OSError):
            jobs.files.discard(job.video_file)


def _naming_the_video(error: str, job: Job, folder: Path) -> str:
    """The error line with the video's own name, never the file it is kept in."""
    error = error.replace(str(folder / job.video_file), job.video_name)
    error = error.replace(job.video_file, job.video_name)
    return error if job.video_name in error else f"{job.video_name}: {error}"


def _review(jobs: JobStore, job: Job, worker: str, stopping: Callable[[], bool]) -> None:
    """Review the job's video, draw it if asked, save the attempt and mark the job done."""
    video = jobs.video(job)
    if video is None:
        raise JobError(
            f"{job.video_name}: the video of job {job.id} is gone "
            f"(no {job.video_file} in {jobs.files.folder} or in the store)"
        )
    technique = load_technique(job.technique)
    calibration = calibration_for(technique, Calibration.from_dict(job.calibration))
    reporter = Reporter(jobs, job.id, worker, stopping)
    steps = ReviewSteps(
        tracking=reporter.step("tracking"),
        following=reporter.step("following"),
        drawing=reporter.step("drawing"),
    )
    with tempfile.TemporaryDirectory(prefix="trainer-job-") as tmp:
        out = Path(tmp) / "annotated.mp4" if job.annotate else None
        drawn = analyse_and_draw(
            video,
            technique,
            calibration,
            ReviewOptions(follow=job.follow, exposure=job.exposure),
            out,
            steps,
        )
        if not jobs.runs.begin_save(job.id, worker):
            raise Stopped(CANCEL if jobs.get(job.id).cancel_requested else LOST)
        attempt_id = save_result(jobs, job, drawn.analysis, video)
        jobs.runs.finish(job, attempt_id, drawn.review_s, drawn.annotated)


def save_result(jobs: JobStore, job: Job, analysis: Analysis, video: Path) -> int:
    """The job's attempt, saved once: a second save of one job is refused by the store's
    unique key on the job id, and the first one's id is returned."""
    material = Material.from_review(job.video_name, analysis.track, analysis.review)
    try:
        return save_material(
            jobs.store, material, job.person, job.kind, video, job.keep_video, job_id=job.id
        )
    except StoreError:
        earlier = jobs.attempt_for(job.id)
        if earlier is None:
            raise
        return earlier
