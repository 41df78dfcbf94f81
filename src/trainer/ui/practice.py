"""Practice page: the webcam, tracked and scored live, with the path and cues drawn on it.

Frames arrive on streamlit-webrtc's worker thread; only the newest of those waiting is
processed (the others are dropped), so the picture never lags further behind. That thread
never calls Streamlit: it writes into a `LivePractice` (behind a lock) that this page reads.
"""

from __future__ import annotations

import json
import time
import uuid

import av
import numpy as np
import streamlit as st

from trainer.core.guided.speech import CueVoice
from trainer.core.judging.feedback import exercise_clock
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.technique import Technique
from trainer.core.track import Track
from trainer.overlay.annotators import Guide, GuideAnnotator
from trainer.practice.live import LivePractice, Snapshot
from trainer.practice.pool import TrackerPool
from trainer.ui import results
from trainer.ui.camera import camera, live_columns
from trainer.ui.common import (
    calibration_upload,
    technique_picker,
    tracker_pool,
    user_errors,
)
from trainer.ui.handsfree import Preferences, Speaker, camera_key, cue, preferences
from trainer.ui.login import scope
from trainer.ui.marking import FOLLOW_HELP, FOLLOW_LABEL, mark_ends
from trainer.ui.save import save_form

PREVIEW_SIZE = (640, 480)
FLIP_LABEL = "Flip the guide left to right (the other foot)"
FLIP_HELP = (
    "The guide puts the start on one side of the picture. Flip it when you film the other "
    "foot, or the body part the other way round."
)
PATH_MODES = {
    "guide": "Use the framing guide",
    "mark": "Click the path's ends",
    "file": "Load a calibration file",
}


class Stream:
    """The page's link to the video thread: the current session, swapped between streams."""

    def __init__(self) -> None:
        self.session: LivePractice | None = None
        self.config: tuple | None = None
        self.last_review: Review | None = None
        self.last_track: Track | None = None
        self.voice = CueVoice()
        self.speaker = Speaker(self.voice, uuid.uuid4().hex)

    def use(
        self,
        technique: Technique,
        calibration: Calibration,
        pool: TrackerPool,
        follow: bool,
        mirror: bool,
    ) -> None:
        """Start a fresh session when the technique, the path, following or mirroring changes."""
        config = (technique.name, calibration.points.tobytes(), follow, mirror)
        if self.session is None or config != self.config:
            if self.session is not None:
                self.session.finish()
            self.session = LivePractice(technique, calibration, pool, follow=follow, mirror=mirror)
            self.config = config

    async def on_frames(self, frames: list[av.VideoFrame]) -> list[av.VideoFrame]:
        """The newest waiting frame, processed; older ones are dropped, never queued."""
        frame = frames[-1]
        t = frame.time if frame.time is not None else time.monotonic()
        rgb = frame.to_ndarray(format="rgb24")
        out = self.session.process(rgb, t, dropped=len(frames) - 1)
        return [av.VideoFrame.from_ndarray(out, format="rgb24")]

    def on_ended(self) -> None:
        if self.session is not None:
            self.session.finish()

    def wrap_up(self) -> None:
        """After a stream: keep its review, ready a fresh session for the next one."""
        session = self.session
        if session is not None and session.snapshot().frames:
            self.last_review = session.finish()
            self.last_track = session.track()
            self.session = LivePractice(
                session.technique,
                session.calibration,
                session.pool,
                follow=session.follow,
                mirror=session.mirror,
            )


TOUR = (
    "The trainer watches your thumb through the camera while you practise a massage "
    "technique, and tells you stroke by stroke whether you keep to the line, the direction "
    "and the pace. It also reviews a filmed video, and keeps each attempt so you can follow "
    "your progress and compare it with your instructor's demonstration."
)


def tour() -> None:
    """The front page's two sentences and its three ways to start."""
    st.markdown(TOUR)
    now, video, sample = st.columns(3)
    now.markdown("**Practise now**: pick a technique below and press START.")
    video.markdown("**[Review a video](/review)**: upload a film of your strokes.")
    sample.markdown("**[Try a sample](/sample)**: see a review of a video we made.")


def page() -> None:
    scope()  # nothing of this page before a login
    st.title("Practice")
    st.caption("Practise a technique in front of your webcam, with each stroke judged live.")
    tour()
    with user_errors():
        technique = technique_picker("practice")
        prefs = preferences("practice")
        camera_key()
        stream: Stream = st.session_state.setdefault("practice-stream", Stream())
        stream.voice.good_tone = prefs.tone
        calibration, follow = path_panel(technique, stream, prefs.mirror)
        stream.use(technique, calibration, tracker_pool(), follow, prefs.mirror)
        video_col, side_col = live_columns()
        with video_col:
            ctx = camera("practice", stream.on_frames, stream.on_ended)
        with side_col:
            if not ctx.state.playing:
                stream.wrap_up()
                st.info(
                    "Press **START** and allow the camera. Put the body part on the guide, "
                    "then stroke along it.",
                    icon=":material/videocam:",
                )
            else:
                _live_panel(stream, technique, prefs)
        if stream.last_review is not None and not ctx.state.playing:
            st.divider()
            _last_session(stream.last_review)
            save_form(stream.last_track, stream.last_review, "practice", kind="practice")


def _live_panel(stream: Stream, technique: Technique, prefs: Preferences) -> None:
    """Cue, stroke count, score and exercise timer, refreshed and the cue spoken, until the
    stream stops."""
    speech, panel = st.empty(), st.empty()
    while True:  # the rerun that follows STOP ends this loop
        snap = stream.session.snapshot()
        if snap.state is not None:
            stream.voice.hear(snap.state)
        with panel.container():
            _live_figures(snap, technique)
        stream.speaker.flush(speech, prefs)
        time.sleep(0.3)


def _live_figures(snap: Snapshot, technique: Technique) -> None:
    state = snap.state
    cue(state, "Waiting for the camera…")
    a, b = st.columns(2)
    a.metric("Strokes", state.stroke_count if state else 0)
    b.metric("Score so far", "-" if state is None or state.score is None else f"{state.score:.0f}")
    elapsed = state.elapsed_s if state else 0.0
    hi = technique.timing.exercise_s[1]
    st.progress(min(elapsed / hi, 1.0), text=f"Exercise time {exercise_clock(elapsed, technique)}")
    st.caption(
        f"{snap.frames} frames · {snap.fps:.0f} frames/s processed · "
        f"{snap.dropped} dropped to keep up"
    )


def _last_session(review: Review) -> None:
    st.subheader("Your last session")
    results.summary(review)
    results.strokes(review)
    results.downloads(review, "practice", {"source": "webcam"}, "practice")


def path_panel(technique: Technique, stream: Stream, mirror: bool) -> tuple[Calibration, bool]:
    """Where the path is (the guide, two ends clicked on a snapshot, or a calibration file)
    and whether it follows the body part. Each is in the picture as filmed; with `mirror` it
    is shown, like the camera, flipped."""
    guide = Calibration.from_technique(technique)
    with st.expander("The path", expanded=False):
        mode = st.radio(
            "Path",
            list(PATH_MODES),
            format_func=PATH_MODES.get,
            horizontal=True,
            key=f"practice-path-{technique.name}",
            label_visibility="collapsed",
        )
        follow = st.checkbox(FOLLOW_LABEL, value=True, help=FOLLOW_HELP, key="practice-follow")
        controls, shown = st.columns(2, gap="medium")
        calibration = guide
        frame = st.session_state.get("practice-snapshot")
        if frame is None:
            frame = np.full((PREVIEW_SIZE[1], PREVIEW_SIZE[0], 3), 60, np.uint8)
        with controls:
            if mode == "guide":
                st.markdown(
                    "Place the body part so the path lies along this line in the picture: "
                    f"from {technique.start_name} (the dot) to {technique.end_name} (the arrow)."
                )
                # The guide has one side (the foot's heel on the left): the other foot is
                # filmed the other way round.
                if st.toggle(FLIP_LABEL, key=f"practice-flip-{technique.name}", help=FLIP_HELP):
                    calibration = guide = guide.mirrored()
            elif mode == "file":
                calibration = calibration_upload(technique, "practice") or guide
            else:
                _snapshot_button(stream)
        with shown:
            if mode == "mark":
                key = f"practice-mark-{technique.name}"
                calibration = mark_ends(frame, technique, key, mirror) or guide
            else:
                h, w = frame.shape[:2]
                shown = calibration.mirrored() if mirror else calibration
                picture = np.ascontiguousarray(frame[:, ::-1]) if mirror else frame.copy()
                preview = GuideAnnotator().annotate(
                    picture, Guide.from_calibration(shown, technique, w, h)
                )
                st.image(preview, caption="The path the strokes are checked against")
            st.download_button(
                "Save this calibration (JSON)",
                json.dumps({**calibration.to_dict(), "technique": technique.name}, indent=1),
                file_name=f"{technique.name}_calibration.json",
                mime="application/json",
                icon=":material/download:",
            )
    return calibration, follow


def _snapshot_button(stream: Stream) -> None:
    """A still of the camera to click the path's ends on."""
    st.markdown("Take a snapshot, then click the path's two ends on it.")
    if st.button("Take a snapshot from the camera", icon=":material/photo_camera:"):
        frame = stream.session.latest_frame() if stream.session else None
        if frame is None:
            st.warning("Start the camera first, then take the snapshot.")
        else:
            st.session_state["practice-snapshot"] = frame
            st.rerun()
