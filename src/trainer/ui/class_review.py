"""Review a class: many videos at once, one job each, then the class table.

Names are typed in, or on request taken from the file names (up to the first "_":
ana_neck.mp4 is ana's) where that is one of the instructor's students.
The address names the batch (?batch=ID), so the page can be left, reloaded or shared while
the workers go through the videos.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pandas as pd
import streamlit as st

from trainer.core.base.errors import TrainerError
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import calibration_for
from trainer.jobs.submit import check_class_upload, check_space, person_from_name
from trainer.store.jobs.records import JobSpec
from trainer.ui.common import calibration_upload, table, technique_picker, user_errors
from trainer.ui.jobs import (
    VIDEO_TYPES,
    check_size,
    job_rows,
    keep_workers_going,
    submit_upload,
    submitter,
)
from trainer.ui.login import scope, scoped_jobs

PROGRESS = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%")
SCORE = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f")


def page() -> None:
    seen = scope()  # nothing of this page before a login
    st.title("Review a class")
    st.caption(
        "Every student's video reviewed at once, each saved for its student, and the class "
        "in one table, highest score first."
    )
    if not seen.teaches:
        st.info("Reviewing a class is an instructor's work.", icon=":material/groups:")
        return
    with user_errors():
        batch = st.query_params.get("batch")
        if batch:
            show_batch(batch)
        else:
            new_batch()


def new_batch() -> None:
    technique = technique_picker("class")
    optional = "Calibration file (JSON), optional: without one, the technique's framing guide"
    calibration = calibration_for(technique, calibration_upload(technique, "class", optional))
    uploads = st.file_uploader(
        f"Videos ({', '.join(VIDEO_TYPES)})",
        type=VIDEO_TYPES,
        accept_multiple_files=True,
        key="class-upload",
    )
    if not uploads:
        return
    check_class_upload(submitter().settings, len(uploads), sum(u.size for u in uploads))
    # Off by default: a file named after its technique (foot-spine-line_correct.mp4) would
    # otherwise be filed under a student called "foot-spine-line".
    from_names = st.toggle(
        "Names from the file names (up to the first _)", value=False, key="class-from-names"
    )
    known = scope().people()
    names = pd.DataFrame(
        {
            "video": [u.name for u in uploads],
            "person": [_guess(u.name, known) if from_names else "" for u in uploads],
        }
    )
    named = st.data_editor(
        names, hide_index=True, disabled=["video"], key=f"class-names-{from_names}"
    )
    if not st.button("Review them", type="primary", icon=":material/play_arrow:"):
        return
    people = [str(p or "").strip() for p in named["person"]]
    missing = [u.name for u, p in zip(uploads, people, strict=True) if not p]
    if missing:
        raise TrainerError(f"Whose are {', '.join(missing)}? Type their names in the table.")
    for u in uploads:
        check_size(u)
    check_space(submitter().settings, sum(u.size for u in uploads), f"the {len(uploads)} videos")
    batch = uuid.uuid4().hex[:12]
    exposure = Settings.from_env().exposure
    for upload, person in zip(uploads, people, strict=True):
        spec = JobSpec(
            person,
            technique.name,
            calibration.to_dict(),
            upload.name,
            batch=batch,
            exposure=exposure,
        )
        submit_upload(upload, spec)
    st.query_params["batch"] = batch
    st.rerun()


def _guess(name: str, known: dict[str, str]) -> str:
    """The person a file name names, if it is one of theirs; else nobody (typed in)."""
    try:
        guess = person_from_name(name)
    except TrainerError:
        return ""
    return guess if guess in known else ""


def show_batch(batch: str) -> None:
    if st.button("Review another class", icon=":material/upload:", key="class-another"):
        del st.query_params["batch"]
        st.rerun()
    found = scoped_jobs().list(batch=batch)
    if not found:
        raise TrainerError(f"no class review {batch!r} here")
    if all(j.finished for j in found):
        class_table(batch)
    else:
        watch(batch)


@st.fragment(run_every=1.0)
def watch(batch: str) -> None:
    """Each job's progress from its row, once a second; the whole page once all have ended."""
    with user_errors():
        found = scoped_jobs().list(batch=batch)
        if all(j.finished for j in found):
            st.rerun()
        keep_workers_going(found)
        finished = sum(j.finished for j in found)
        st.progress(finished / len(found), text=f"{finished} of {len(found)} videos reviewed")
        rows = job_rows(sorted(found, key=lambda j: j.id))
        table(
            rows,
            width="stretch",
            column_order=["person", "video", "state", "progress", "error"],
            column_config={"progress": PROGRESS},
        )


def class_table(batch: str) -> None:
    """The class: one row per video, highest score first, linked to History and Compare."""
    rows = job_rows(scoped_jobs().list(batch=batch))
    rows.sort(key=lambda r: -1 if r["score"] is None else r["score"], reverse=True)
    for row in rows:
        row["history"] = f"/history?person={quote(row['person'])}"
        row["compare"] = f"/compare?a={row['attempt']}" if row["attempt"] else None
    done = sum(r["state"] == "done" for r in rows)
    st.markdown(f"**The class: {done} of {len(rows)} videos reviewed**")
    table(
        rows,
        width="stretch",
        column_order=[
            "person",
            "video",
            "score",
            "strokes",
            "main fault",
            "state",
            "error",
            "history",
            "compare",
        ],
        column_config={
            "score": SCORE,
            "history": st.column_config.LinkColumn("history", display_text="History"),
            "compare": st.column_config.LinkColumn("compare", display_text="Compare"),
        },
    )
