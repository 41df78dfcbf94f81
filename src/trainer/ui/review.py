"""Review page: upload a video; a review job follows the thumb, judges, draws and saves it.

The job runs in a worker process, not in the page: its progress is read from the store, the
address names it (?job=ID), so a reload or another tab shows the same job, then its result.
"""

from __future__ import annotations

import streamlit as st

from trainer.core.calibration import calibration_for
from trainer.store.job_records import JobSpec
from trainer.store.schema import KINDS
from trainer.ui import results
from trainer.ui.common import calibration_upload, max_upload_mb, technique_picker, user_errors
from trainer.ui.jobs import (
    VIDEO_TYPES,
    job_result,
    job_rows,
    job_store,
    keep_workers_going,
    person_picker,
    state_line,
    submit_upload,
)

RECENT = 10


def page() -> None:
    st.title("Review a video")
    with user_errors():
        job_id = st.query_params.get("job", "")
        if job_id.isdigit():
            show_job(int(job_id))
        elif person := new_job():
            recent_jobs(person)


def new_job() -> str:
    """The form: technique, path, whose video and how to keep it, then the upload."""
    st.caption(
        "Film the stroke with the camera still, the whole hand and the path in view. "
        "The path is the technique's framing guide unless you load a calibration file. "
        "The review runs in the background and is saved for the person you name."
    )
    technique = technique_picker("review")
    calibration = calibration_for(technique, calibration_upload(technique, "review"))
    who, kind_col = st.columns([3, 1])
    with who:
        person = person_picker("review")
    kind = kind_col.selectbox("Kind", KINDS, key="review-kind")
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
        st.warning("Type whose video it is, then it is reviewed.", icon=":material/person:")
        return person
    spec = JobSpec(
        person, technique.name, calibration.to_dict(), upload.name, kind, keep, annotate=True
    )
    job_id = submit_upload(upload, spec)
    st.session_state["review-submitted"] = upload.file_id  # one job per upload, not per rerun
    st.session_state["jobs-last-person"] = person
    st.query_params["job"] = str(job_id)
    st.rerun()
    return person


def show_job(job_id: int) -> None:
    """A job: its progress while it runs, then the result it saved; the person's jobs."""
    jobs = job_store()
    job = jobs.get(job_id)
    st.caption(f"Review of {job.video_name} for {job.person} ({job.technique}), job {job.id}.")
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
            f"Saved as attempt {job.attempt_id} for {job.person}: find it on the History page.",
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
        jobs = job_store()
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
    found = job_store().list(person=person, limit=RECENT)
    if not found:
        return
    st.markdown(f"**{person}'s recent reviews**")
    rows = job_rows(found)
    for row in rows:
        row["open"] = f"/review?job={row['job']}"
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_order=["open", "when (UTC)", "video", "state", "score", "strokes", "error"],
        column_config={"open": st.column_config.LinkColumn("job", display_text=r"job=(\d+)")},
    )
