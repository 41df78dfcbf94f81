"""Analysing a video with a progress bar, and showing its results: video, report, plots."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from trainer.analysis.drawn import ReviewOptions, ReviewSteps, analyse_and_draw
from trainer.analysis.video import Analysis
from trainer.core.base.settings import Settings
from trainer.core.judging.feedback import clock
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.technique import Technique
from trainer.overlay.plots import coverage_figure, path_figure, speed_figure
from trainer.overlay.report import report_json, stroke_table, strokes_csv
from trainer.ui.common import md, table

TRACK_SHARE = 0.7  # of the progress bar: following the thumb
FOLLOW_SHARE = 0.1  # following the body part under the path; the rest: drawing the video


@dataclass(frozen=True)
class Result:
    """An analysed video, its annotated copy (mp4 bytes) and the name it was given."""

    name: str
    analysis: Analysis
    annotated_mp4: bytes


def analyse(
    video: Path, name: str, technique: Technique, calibration: Calibration, follow: bool = True
) -> Result:
    """Track, judge and draw the video, showing a progress bar meanwhile; with `follow` the
    path follows the body part."""
    bar = st.progress(0.0, text=f"Following the thumb in {name}…")
    shown = [-1]

    def tick(share: float, text: str) -> None:
        percent = int(share * 100)
        if percent != shown[0]:  # one message per percent, not one per frame
            shown[0] = percent
            bar.progress(min(share, 1.0), text=text)

    steps = ReviewSteps(
        tracking=lambda done, total: tick(
            TRACK_SHARE * done / total, f"Following the thumb: frame {done} of {total}"
        ),
        following=lambda done, total: tick(
            TRACK_SHARE + FOLLOW_SHARE * done / total, "Following the body part under the path…"
        ),
        drawing=lambda done, total: tick(
            TRACK_SHARE + FOLLOW_SHARE + (1 - TRACK_SHARE - FOLLOW_SHARE) * done / total,
            "Drawing the annotated video…",
        ),
    )
    options = ReviewOptions(follow=follow, exposure=Settings.from_env().exposure)
    with tempfile.TemporaryDirectory() as tmp:
        drawn = analyse_and_draw(
            video, technique, calibration, options, Path(tmp) / "annotated.mp4", steps
        )
        data = drawn.annotated.read_bytes()
    bar.empty()
    return Result(name, drawn.analysis, data)


def show(result: Result, key: str) -> None:
    """Score and its parts, feedback, the annotated video, strokes, plots and downloads."""
    a = result.analysis
    review = a.review
    st.subheader(f"Results: {md(result.name)}")
    summary(review)
    left, right = st.columns([3, 2])
    with left:
        st.video(result.annotated_mp4, format="video/mp4")
    with right:
        parts(review)
    strokes(review)
    path_tab, speed_tab, zone_tab = st.tabs(["Path", "Speed", "Coverage per zone"])
    with path_tab:
        st.pyplot(path_figure(a.track, review, a.calibration, a.technique), width=640)
    with speed_tab:
        st.pyplot(speed_figure(a.track, review, a.calibration), width=800)
    with zone_tab:
        st.pyplot(coverage_figure(review, a.technique), width=560)
    about = {"video": result.name, "frames": len(a.track), "fps": round(a.track.fps, 3)}
    downloads(review, Path(result.name).stem, about, key)


def summary(review: Review) -> None:
    """The score, stroke count, share of good strokes, exercise time and the advice."""
    cols = st.columns(4)
    cols[0].metric("Score", f"{review.score:.0f} / 100")
    cols[1].metric("Strokes", len(review.strokes))
    cols[2].metric("Good strokes", f"{review.good_share:.0%}" if review.strokes else "-")
    cols[3].metric("Exercise time", clock(review.exercise_s))
    _feedback(review)


def parts(review: Review) -> None:
    """How the score is made: each part's points, weight and share; penalties."""
    st.markdown("**How the score is made**")
    st.table(
        [
            {
                "part": p.name,
                "points": f"{p.points:.0f}",
                "weight": f"{p.weight:.0%}",
                "adds": f"{p.contribution:.1f}",
            }
            for p in review.parts
        ],
        hide_index=True,
    )
    for p in review.penalties:
        st.markdown(f"- penalty **{p.points:.0f}** points: {p.reason}")


def strokes(review: Review) -> None:
    st.markdown("**Strokes**")
    rows = stroke_table(review)
    if rows:
        table(rows, width="stretch")
    else:
        st.info("No stroke along the path was found.")


def downloads(review: Review, stem: str, about: dict, key: str) -> None:
    """The report as JSON and the strokes as CSV."""
    d1, d2, _ = st.columns([1, 1, 3])
    d1.download_button(
        "Report (JSON)",
        report_json(review, **about),
        file_name=f"{stem}_report.json",
        mime="application/json",
        key=f"{key}-json",
        icon=":material/download:",
    )
    d2.download_button(
        "Strokes (CSV)",
        strokes_csv(review),
        file_name=f"{stem}_strokes.csv",
        mime="text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
    )


def _feedback(review: Review) -> None:
    """Every sentence of advice; losing the hand stands out as an error."""
    if review.strokes and review.good_share == 1.0:
        st.success("Every stroke was good.", icon=":material/check_circle:")
    # Codes and sentences run in step up to the hand_lost one (scoring.summarize).
    lost = review.faults.index("hand_lost") if "hand_lost" in review.faults else -1
    for n, sentence in enumerate(review.feedback):
        if n == lost:
            st.error(sentence, icon=":material/visibility_off:")
        else:
            st.warning(sentence, icon=":material/lightbulb:")
