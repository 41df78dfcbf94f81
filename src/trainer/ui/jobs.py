"""Review jobs on the pages: making them from uploads, following them, their results.

A job's progress is read from its row in the store, once a second, so a reload, a second tab
or another browser shows the same job; the page's address names it (?job=ID, ?batch=ID).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from trainer.analysis.video import Analysis
from trainer.capture.video import probe
from trainer.core.base.errors import TrainerError, VideoError
from trainer.core.base.settings import Settings
from trainer.core.judging import feedback
from trainer.jobs.submit import Submitter
from trainer.store.access.erasure import Erased
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import Job, JobSpec
from trainer.ui.common import max_upload_mb, md, techniques
from trainer.ui.login import scope, scoped_jobs
from trainer.ui.results import Result
from trainer.ui.stored import open_store

VIDEO_TYPES = ["mp4", "mov", "webm", "avi", "gif"]
STEPS = {
    "starting": "Starting",
    "tracking": "Following the thumb",
    "following": "Following the body part under the path",
    "drawing": "Drawing the video",
}


def submitter() -> Submitter:
    """Makes jobs on the store the settings point at (the pages' shared store)."""
    s = Settings.from_env()
    return _submitter(str(s.data_dir), s.database_url)


@st.cache_resource(show_spinner=False)
def _submitter(data_dir: str, database_url: str) -> Submitter:
    """One per store (the arguments are the cache's key), sharing the pages' Store."""
    settings = Settings.from_env()
    return Submitter(settings, JobStore(open_store(), Path(data_dir) / "jobs"))


def job_store() -> JobStore:
    return submitter().jobs


def check_size(upload: UploadedFile) -> None:
    """Refuse a video over TRAINER_MAX_UPLOAD_MB, naming it."""
    limit, size_mb = max_upload_mb(), upload.size / 1e6
    if size_mb > limit:
        raise TrainerError(
            f"{upload.name} is {size_mb:.0f} MB; videos up to {limit} MB are accepted "
            "(TRAINER_MAX_UPLOAD_MB). Trim it or lower its resolution."
        )


def submit_upload(upload: UploadedFile, spec: JobSpec, probe_first: bool = False) -> int:
    """A job for an uploaded video (written to a temporary file, copied by the job), if the
    logged-in account may ask for it. probe_first: open it and decode its first frame
    first, so a file that is no video is refused at once rather than by a worker seconds
    later (a class's bad file fails its own row instead, the others go on)."""
    check_size(upload)
    with _as_file(upload) as path:
        if probe_first:
            try:
                probe(path)
            except VideoError as e:
                raise VideoError(str(e).replace(str(path), upload.name, 1)) from None
        job_id = scoped_jobs().create(spec, lambda checked: submitter().submit(path, checked))
    submitter().start_workers()
    return job_id


@contextmanager
def _as_file(upload: UploadedFile) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{Path(upload.name).suffix.lower()}"
        path.write_bytes(upload.getbuffer())
        yield path


def person_picker(key: str) -> str | None:
    """Whose video: a student's own; an instructor's, or one of their students'. Nobody is
    preselected (a review filed under the wrong person is worse than a question), except the
    person chosen for the last review in this session; None until one is chosen."""
    seen = scope()
    if not seen.teaches:
        st.text(f"Your video, {seen.actor.name}")  # text: a name is never markup
        return seen.actor.name
    people = sorted(seen.people())
    last = st.session_state.get("jobs-last-person")
    return st.selectbox(
        "Whose video",
        people,
        index=people.index(last) if last in people else None,
        placeholder="Choose whose video it is",
        key=f"{key}-person",
    )


def state_line(job: Job) -> tuple[float, str]:
    """The job's progress as a share and a sentence."""
    if job.state == "queued":
        waiting = "Waiting for a worker"
        if not job_store().local:
            waiting += " (start one with `trainer worker`)"
        return 0.0, f"{waiting}…"
    if job.state == "running":
        step = STEPS.get(job.step or "", "Saving")
        frames = f": frame {job.frames_done} of {job.frames_total}" if job.frames_total else ""
        return job.share, f"{step}{frames}"
    if job.state == "done":
        return 1.0, f"Done: attempt {job.attempt_id}"
    return job.share, f"{job.state.capitalize()}: {md(job.error or 'stopped')}"


def warm_a_worker() -> None:
    """On SQLite, one local worker loading while a form is filled in: a worker takes seconds to
    start (MediaPipe and the hand model), so the upload's job then starts at once. It leaves
    when nothing is queued for TRAINER_WORKER_IDLE_S. On PostgreSQL the school's workers run."""
    if job_store().local:
        submitter().start_workers(1)


def keep_workers_going(found: list[Job]) -> None:
    """On SQLite, make sure local workers run while jobs wait (after a restart, say)."""
    if job_store().local and any(j.state == "queued" for j in found):
        submitter().start_workers()


def job_result(job_id: int) -> Result:
    """A done job as the review page shows it: its saved attempt and the video it drew (a job
    the logged-in account may see; the cache is only reached after that check)."""
    scoped_jobs().get(job_id)
    jobs = job_store()
    return _job_result(job_id, jobs.store.url, jobs)


def forget_person(name: str) -> Erased:
    """Forget a person (an admin's act, checked by the store), then drop the done jobs' results
    this server keeps in memory: theirs may be among them, annotated videos included."""
    erased = scoped_jobs().forget_person(name)
    _job_result.clear()
    return erased


@st.cache_resource(show_spinner=False, max_entries=8)
def _job_result(job_id: int, url: str, _jobs: JobStore) -> Result:
    """Cached by job and store: a done job does not change."""
    job = _jobs.get(job_id)
    if job.attempt_id is None:
        raise TrainerError(f"job {job_id} has no result yet")
    attempt = _jobs.store.load_attempt(job.attempt_id)
    technique = techniques().get(attempt.technique)
    if technique is None or attempt.review is None:
        raise TrainerError(f"attempt {attempt.id} cannot be shown here")
    analysis = Analysis(
        Path(job.video_name),
        attempt.track,
        technique,
        attempt.calibration,
        attempt.review,
    )
    return Result(job.video_name, analysis, _jobs.output(job) or b"")


def job_rows(found: list[Job]) -> list[dict]:
    """Jobs as table rows: progress, and for the done ones their score and main fault, in
    words (the codes stay in the report's JSON); no cell says "None"."""
    reviews = scoped_jobs().results([j.attempt_id for j in found])
    rows = []
    for j in found:
        review = reviews.get(j.attempt_id) or {}
        rows.append(
            {
                "job": j.id,
                "when (UTC)": j.created_at.astimezone(UTC).replace(tzinfo=None),
                "person": j.person,
                "video": j.video_name,
                "state": j.state,
                "progress": round(100 * (1.0 if j.state == "done" else j.share)),
                "score": review.get("score"),
                "strokes": review.get("stroke_count"),
                "main fault": feedback.main_fault(review["faults"], review["feedback"])
                if review
                else "",
                "error": j.error or "",
                "attempt": j.attempt_id,
            }
        )
    return rows
