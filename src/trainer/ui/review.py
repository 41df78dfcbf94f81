"""Review page: upload a video; a review job follows the thumb, judges, draws and saves it.

The job runs in a worker process, not in the page: its progress is read from the store, the
address names it (?job=ID), so a reload or another tab shows the same job, then its result.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from trainer.capture.video import read_frames
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.technique import Technique, technique_title
from trainer.store.db.schema import KINDS, PRACTICE_KINDS
from trainer.store.jobs.records import JobSpec
from trainer.ui import results
from trainer.ui.common import (
    calibration_upload,
    max_upload_mb,
    md,
    table,
    technique_picker,
    user_errors,
)
from trainer.ui.jobs import (
    VIDEO_TYPES,
    check_size,
    job_result,
    job_rows,
    keep_workers_going,
    person_picker,
    state_line,
    submit_upload,
    warm_a_worker,
)
from trainer.ui.login import scope, scoped_jobs
from trainer.ui.marking import FOLLOW_HELP, FOLLOW_LABEL, mark_ends

PATH_MODES = {
    "guide": "The framing guide",
    "mark": "Click the path's ends on the first frame",
    "file": "A calibration file",
}
RECENT = 10


def page() -> None:
    scope()  # nothing of this page before a login
    st.title("Review a video")
    st.caption("Upload a film of your strokes: each stroke is scored, with what to fix.")
    with user_errors():
        job_id = st.query_params.get("job", "")
        if job_id.isdigit():
            show_job(int(job_id))
        elif person := new_job():
            recent_jobs(person)


def new_job() -> str | None:
    """The form: technique, path, whose video and how to keep it, then the upload."""
    st.caption(
        "Film the stroke with the camera still, the whole hand and the path in view. "
        "The path is the technique's framing guide unless you click its ends on the video's "
        "first frame or load a calibration file. "
        "The review runs in the background and is saved for the person you name."
    )
    warm_a_worker()
    technique = technique_picker("review")
    mode = st.radio(
        "The path", list(PATH_MODES), format_func=PATH_MODES.get, horizontal=True, key="path"
    )
    follow = st.checkbox(FOLLOW_LABEL, value=True, help=FOLLOW_HELP, key="review-follow")
    given = calibration_upload(technique, "review") if mode == "file" else None
    who, kind_col = st.columns([3, 1])
    with who:
        person = person_picker("review")
    kind = kind_col.selectbox(
        "Kind", KINDS if scope().teaches else PRACTICE_KINDS, key="review-kind"
    )
    keep = st.checkbox(
        "Keep the video",
        key="review-keep",
        help="Off: only the thumb track and the scores are saved, which is enough for the "
        "history and every comparison.",
    )
    limit = max_upload_mb()
    upload = st.file_uploader(
        f"Video ({', '.join(VIDEO_TYPES)}; up to {limit} MB)", type=VIDEO_TYPES, key="upload"
    )
    if upload is None or st.session_state.get("review-submitted") == upload.file_id:
        return person
    if not person:
        st.warning("Choose whose video it is, then it is reviewed.", icon=":material/person:")
        return person
    calibration = calibration_for(technique, given)
    if mode == "mark":
        check_size(upload)
        marked = _marked(upload, technique)
        if marked is None or not st.button("Review this video", icon=":material/play_arrow:"):
            return person
        calibration = marked
    spec = JobSpec(
        person,
        technique.name,
        calibration.to_dict(),
        upload.name,
        kind,
        keep,
        annotate=True,
        follow=follow,
        exposure=Settings.from_env().exposure,
    )
    job_id = submit_upload(upload, spec, probe_first=True)
    st.session_state["review-submitted"] = upload.file_id  # one job per upload, not per rerun
    st.session_state["jobs-last-person"] = person
    st.query_params["job"] = str(job_id)
    st.rerun()
    return person


def _first_frame(upload: UploadedFile) -> np.ndarray:
    """The uploaded video's first frame (kept while the same file stays uploaded)."""
    cached = st.session_state.get("review-first-frame")
    if cached is not None and cached[0] == upload.file_id:
        return cached[1]
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / f"upload{Path(upload.name).suffix.lower()}"
        video.write_bytes(upload.getbuffer())
        frame = next(read_frames(video)).rgb
    st.session_state["review-first-frame"] = (upload.file_id, frame)
    return frame


def _marked(upload: UploadedFile, technique: Technique) -> Calibration | None:
    """The path's ends clicked on the video's first frame; None until both are."""
    st.markdown("**Mark the path on the first frame**")
    return mark_ends(_first_frame(upload), technique, f"review-mark-{technique.name}")


def show_job(job_id: int) -> None:
    """A job: its progress while it runs, then the result it saved; the person's jobs."""
    job = scoped_jobs().get(job_id)
    st.caption(
        f"Review of {md(job.video_name)} for {md(job.person)} "
        f"({technique_title(job.technique)}), job {job.id}."
    )
    if st.button("Review another video", icon=":material/upload:", key="review-another"):
        del st.query_params["job"]
        st.rerun()
    if not job.finished:
        watch(job_id)
        return
    if job.state == "done":
        result = job_result(job_id)
        results.show(result, "review")
        st.success(
            f"Saved as attempt {job.attempt_id} for {md(job.person)}: find it on the History page.",
            icon=":material/check_circle:",
        )
    else:
        st.error(state_line(job)[1], icon=":material/error:")
    recent_jobs(job.person)


@st.fragment(run_every=1.0)
def watch(job_id: int) -> None:
    """The job's progress from its row, once a second (with the person's jobs); the whole
    page once it has ended."""
    with user_errors():
        jobs = scoped_jobs()
        job = jobs.get(job_id)
        if job.finished:
            st.rerun()
        keep_workers_going([job])
        share, line = state_line(job)
        st.progress(share, text=line)
        if st.button("Cancel", icon=":material/cancel:", key="review-cancel"):
            jobs.cancel(job_id)
        recent_jobs(job.person)


def recent_jobs(person: str) -> None:
    """The person's latest jobs, each linked to its page."""
    found = scoped_jobs().list(person=person, limit=RECENT)
    if not found:
        return
    st.markdown("**Recent reviews**")
    rows = job_rows(found)
    for row in rows:
        row["open"] = f"/review?job={row['job']}"
    table(
        rows,
        width="stretch",
        column_order=["open", "when (UTC)", "video", "state", "score", "strokes", "error"],
        column_config={"open": st.column_config.LinkColumn("job", display_text=r"job=(\d+)")},
    )
