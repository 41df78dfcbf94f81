"""Review page: upload a video, see the annotated video, the report and the plots."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from trainer.core.calibration import calibration_for
from trainer.core.errors import TrainerError
from trainer.ui import results
from trainer.ui.common import calibration_upload, max_upload_mb, technique_picker, user_errors
from trainer.ui.save import save_form

VIDEO_TYPES = ["mp4", "mov", "webm", "avi", "gif"]


def page() -> None:
    st.title("Review a video")
    st.caption(
        "Film the stroke with the camera still, the whole hand and the path in view. "
        "The path is the technique's framing guide unless you load a calibration file."
    )
    with user_errors():
        limit = max_upload_mb()
        technique = technique_picker("review")
        calibration = calibration_for(technique, calibration_upload(technique, "review"))
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
        key = (upload.file_id, technique.name, str(calibration.to_dict()))
        if st.session_state.get("review-key") != key:
            st.session_state.pop("review-result", None)
            with tempfile.TemporaryDirectory() as tmp:
                video = Path(tmp) / f"upload{Path(upload.name).suffix.lower()}"
                video.write_bytes(upload.getbuffer())
                result = results.analyse(video, upload.name, technique, calibration)
            st.session_state["review-key"] = key
            st.session_state["review-result"] = result
        shown = st.session_state["review-result"]
        results.show(shown, "review")
        save_form(shown.analysis.track, shown.analysis.review, "review", video=upload)
