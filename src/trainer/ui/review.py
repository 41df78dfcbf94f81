"""Review page: upload a video, see the annotated video, the report and the plots."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import streamlit as st

from trainer.capture.video import read_frames
from trainer.core.calibration import Calibration, calibration_for
from trainer.core.errors import TrainerError
from trainer.core.technique import Technique
from trainer.ui import results
from trainer.ui.common import calibration_upload, max_upload_mb, technique_picker, user_errors
from trainer.ui.marking import FOLLOW_HELP, FOLLOW_LABEL, mark_ends
from trainer.ui.save import save_form

VIDEO_TYPES = ["mp4", "mov", "webm", "avi", "gif"]
PATH_MODES = {
    "guide": "The framing guide",
    "mark": "Click the path's ends on the first frame",
    "file": "A calibration file",
}


def page() -> None:
    st.title("Review a video")
    st.caption(
        "Film the stroke with the camera still, the whole hand and the path in view. "
        "The path is the technique's framing guide unless you click its ends on the video's "
        "first frame or load a calibration file."
    )
    with user_errors():
        limit = max_upload_mb()
        technique = technique_picker("review")
        mode = st.radio(
            "The path", list(PATH_MODES), format_func=PATH_MODES.get, horizontal=True, key="path"
        )
        follow = st.checkbox(FOLLOW_LABEL, value=True, help=FOLLOW_HELP, key="review-follow")
        given = calibration_upload(technique, "review") if mode == "file" else None
        upload = st.file_uploader(
            f"Video ({', '.join(VIDEO_TYPES)}; up to {limit} MB)", type=VIDEO_TYPES, key="upload"
        )
        if upload is None:
            return
        size_mb = upload.size / 1e6
        if size_mb > limit:
            raise TrainerError(
                f"{upload.name} is {size_mb:.0f} MB; videos up to {limit} MB are accepted "
                "(TRAINER_MAX_UPLOAD_MB). Trim it or lower its resolution."
            )
        calibration = calibration_for(technique, given)
        if mode == "mark":
            marked = _marked(upload, technique)
            if marked is None:
                return
            calibration = marked
        key = (upload.file_id, technique.name, str(calibration.to_dict()), follow)
        if st.session_state.get("review-key") != key:
            st.session_state.pop("review-result", None)
            with tempfile.TemporaryDirectory() as tmp:
                video = _saved(upload, Path(tmp))
                result = results.analyse(video, upload.name, technique, calibration, follow)
            st.session_state["review-key"] = key
            st.session_state["review-result"] = result
        shown = st.session_state["review-result"]
        results.show(shown, "review")
        save_form(shown.analysis.track, shown.analysis.review, "review", video=upload)


def _saved(upload, folder: Path) -> Path:
    video = folder / f"upload{Path(upload.name).suffix.lower()}"
    video.write_bytes(upload.getbuffer())
    return video


def _first_frame(upload) -> np.ndarray:
    """The uploaded video's first frame (kept while the same file stays uploaded)."""
    cached = st.session_state.get("review-first-frame")
    if cached is not None and cached[0] == upload.file_id:
        return cached[1]
    with tempfile.TemporaryDirectory() as tmp:
        frame = next(read_frames(_saved(upload, Path(tmp)))).rgb
    st.session_state["review-first-frame"] = (upload.file_id, frame)
    return frame


def _marked(upload, technique: Technique) -> Calibration | None:
    """The path's ends clicked on the video's first frame; None until both are."""
    st.markdown("**Mark the path on the first frame**")
    return mark_ends(_first_frame(upload), technique, f"review-mark-{technique.name}")
