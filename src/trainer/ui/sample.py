"""Try a sample: the whole review on a bundled video, no camera or file needed."""

from __future__ import annotations

import streamlit as st

from trainer.synth.catalog import find_samples
from trainer.ui import results
from trainer.ui.common import samples_dir, user_errors
from trainer.ui.login import scope
from trainer.ui.save import save_form


def page() -> None:
    scope()  # nothing of this page before a login
    st.title("Try a sample")
    st.caption(
        "Synthetic videos of each technique done right and done wrong, with the path they "
        "were filmed against. One click runs the same review as an uploaded video."
    )
    with user_errors():
        samples = find_samples(samples_dir())
        if not samples:
            st.info(
                f"No sample videos in {samples_dir().resolve()}: make them with `make samples`."
            )
            return
        titles = [s.title for s in samples]
        default = next((i for i, s in enumerate(samples) if s.case == "correct"), 0)
        choice = st.selectbox(
            "Sample",
            range(len(samples)),
            index=default,
            format_func=lambda i: titles[i],
            key="sample-choice",
        )
        sample = samples[choice]
        if st.button("Review this sample", type="primary", icon=":material/play_arrow:"):
            st.session_state["sample-result"] = results.analyse(
                sample.video, sample.video.name, sample.load_technique(), sample.calibration
            )
        result = st.session_state.get("sample-result")
        if result is not None:
            results.show(result, "sample")
            a = result.analysis
            save_form(a.track, a.review, "sample", video=a.video)
