"""Guided session page: a routine's exercises in turn, as the seeds prescribe a session.

Each exercise shows Practice's live view, cue, count and score, with an exercise clock and a
session clock; the session moves on when an exercise's time is up or on Next, and ends with
a summary to save. The logic is in `trainer.core.guided.session` and `trainer.practice.guided`; this
page only wires widgets to it. Space starts and pauses (the camera follows), N moves on:
Streamlit's own button shortcuts.
"""

from __future__ import annotations

import html
import time
import uuid
from dataclasses import dataclass, field

import av
import streamlit as st

from trainer.core.base.settings import Settings
from trainer.core.guided.session import WARN_BEFORE_S, GuidedSession, plan_seconds
from trainer.core.guided.speech import CueVoice
from trainer.core.judging import feedback
from trainer.core.judging.feedback import clock
from trainer.core.routine import Routine, all_routines
from trainer.practice.guided import GuidedPractice
from trainer.practice.live import Snapshot
from trainer.ui.camera import camera, live_columns
from trainer.ui.common import md, table, tracker_pool, user_errors
from trainer.ui.handsfree import Preferences, Speaker, cue, preferences
from trainer.ui.login import scope

KEY = "guided"
RUN = "guided-run"
POLL_S = 0.3


@dataclass
class Run:
    """One guided session on this page: the guide with its camera, whose it is, its voice."""

    practice: GuidedPractice
    person: str
    voice: CueVoice
    speaker: Speaker
    prefs: Preferences = field(default_factory=Preferences)
    saved: int | None = None

    @property
    def guide(self) -> GuidedSession:
        return self.practice.guide

    def act(self, action: str) -> None:
        """A button: toggle, next or stop; its announcements are said."""
        for sentence in getattr(self.practice, action)():
            self.voice.say(sentence)

    async def on_frames(self, frames: list[av.VideoFrame]) -> list[av.VideoFrame]:
        """The newest waiting frame, processed; older ones are dropped, never queued."""
        frame = frames[-1]
        t = frame.time if frame.time is not None else time.monotonic()
        out = self.practice.process(frame.to_ndarray(format="rgb24"), t, len(frames) - 1)
        return [av.VideoFrame.from_ndarray(out, format="rgb24")]


@st.cache_resource
def routines() -> dict[str, Routine]:
    return {r.name: r for r in all_routines()}


def page() -> None:
    scope()  # nothing of this page before a login
    st.title("Guided session")
    st.caption("A whole routine, exercise after exercise, on a clock: the trainer leads.")
    with user_errors():
        run: Run | None = st.session_state.get(RUN)
        if run is None:
            _setup()
        elif run.guide.finished:
            _summary(run)
        else:
            _session(run)


def _setup() -> None:
    """Choose a routine and a person; see the plan; begin."""
    all_ = routines()
    name = st.selectbox(
        "Routine", list(all_), format_func=lambda n: all_[n].title, key="guided-routine"
    )
    routine = all_[name]
    st.markdown(routine.description.strip())
    steps, before = st.columns(2, gap="large")
    steps.markdown("**The exercises, in order**")
    steps.markdown(
        "\n".join(
            f"1. {e.title} ({e.minutes[0]:g}-{e.minutes[1]:g} min"
            f"{', optional' if e.optional else ''})"
            for e in routine.exercises
        )
    )
    before.markdown("**Before you start**")
    before.markdown("\n".join(f"- {note}" for note in routine.preparation))
    # The session is the logged-in account's own: no one else's name to choose.
    seen = scope()
    person = seen.actor.name
    first = not seen.has_sessions(routine.name)
    limit = routine.first_session_max_s if first else None
    st.info(
        feedback.session_plan_sentence(
            md(person), plan_seconds(routine, first), limit, WARN_BEFORE_S
        ),
        icon=":material/timer:",
    )
    if st.button("Begin the session", type="primary", icon=":material/play_arrow:"):
        guide = GuidedSession(routine, first, scale=Settings.from_env().clock_scale)
        mirror = st.session_state.get(f"{KEY}-mirror", Settings.from_env().mirror)
        voice = CueVoice()
        st.session_state[RUN] = Run(
            GuidedPractice(guide, tracker_pool(), mirror=mirror),
            person,
            voice,
            Speaker(voice, uuid.uuid4().hex),
        )
        st.rerun()


def _session(run: Run) -> None:
    """The current exercise: what to do, the buttons, the camera and the live figures."""
    guide = run.guide
    prefs = run.prefs = preferences(KEY)
    run.practice.mirror = prefs.mirror
    run.voice.good_tone = prefs.tone
    for sentence in run.practice.sync():
        run.voice.say(sentence)
    if guide.finished:
        st.rerun()
    exercise = guide.current.exercise
    st.subheader(f"Exercise {guide.index + 1} of {len(guide.records)}: {exercise.title}")
    st.markdown("  \n".join(exercise.instructions))
    with st.expander("Before you start", expanded=False):
        st.markdown("\n".join(f"- {note}" for note in guide.routine.preparation))
    _buttons(run)
    video_col, side_col = live_columns()
    with video_col:
        ctx = camera(KEY, run.on_frames, run.practice.stream_ended, run.practice.wants_camera)
    with side_col:
        speech, panel = st.empty(), st.empty()
        if ctx.state.playing:
            _live(run, prefs, speech, panel)
        with panel.container():
            _figures(run, run.practice.snapshot())
        run.speaker.flush(speech, prefs)


def _buttons(run: Run) -> None:
    status = run.guide.status()
    start = "Resume" if status.session_s > 0 else "Start"
    on = run.practice.wants_camera
    a, b, c = st.columns(3)
    a.button(
        "Pause" if on else start,
        key="guided-toggle",
        shortcut="Space",
        type="primary",
        icon=":material/pause:" if on else ":material/play_arrow:",
        on_click=run.act,
        args=("toggle",),
        width="stretch",
    )
    b.button(
        "Next exercise",
        key="guided-next",
        shortcut="N",
        icon=":material/skip_next:",
        on_click=run.act,
        args=("next",),
        width="stretch",
    )
    c.button(
        "End the session",
        key="guided-stop",
        icon=":material/stop:",
        on_click=run.act,
        args=("stop",),
        width="stretch",
    )


def _live(run: Run, prefs: Preferences, speech, panel) -> None:
    """Refresh the figures and say the cues until the exercise changes or the page reruns."""
    index = run.guide.index
    while True:  # a rerun (a button, STOP) ends this loop
        for sentence in run.practice.sync():
            run.voice.say(sentence)
        if run.guide.finished or run.guide.index != index:
            st.rerun()
        snap = run.practice.snapshot()
        if snap.state is not None and run.guide.running:
            run.voice.hear(snap.state)
        with panel.container():
            _figures(run, snap)
        run.speaker.flush(speech, prefs)
        time.sleep(POLL_S)


def _figures(run: Run, snap: Snapshot) -> None:
    """Cue, strokes, score, the exercise and session clocks, and the first-session warning."""
    status = run.guide.status()
    state = snap.state
    if run.practice.waiting:
        cue(None, "Waiting for the camera: the clocks start with its first picture.")
    elif not status.running:
        paused = "Paused: press Resume or the space bar." if status.session_s else None
        cue(None, paused or "Press Start or the space bar to begin.")
    else:
        cue(state, "Waiting for the camera…")
    if status.warning and status.limit_s is not None:
        left = feedback.first_session_warning(status.limit_s - status.session_s, status.limit_s)
        st.markdown(
            f'<div data-testid="guide-banner" style="font-size:1.3rem;font-weight:600;'
            f'color:#b26a00">{html.escape(left)}</div>',
            unsafe_allow_html=True,
        )
    a, b = st.columns(2)
    a.metric("Strokes", state.stroke_count if state else 0)
    b.metric("Score so far", "-" if state is None or state.score is None else f"{state.score:.0f}")
    c, d = st.columns(2)
    c.metric("Exercise", f"{clock(status.exercise_s)} / {clock(status.planned_s)}")
    limit = "" if status.limit_s is None else f" / {clock(status.limit_s)}"
    d.metric("Session", f"{clock(status.session_s)}{limit}")
    st.progress(min(status.exercise_s / status.planned_s, 1.0))


def _summary(run: Run) -> None:
    """Each exercise's score, time and main fault; save the session with its attempts."""
    guide = run.guide
    st.subheader("Session summary")
    run.speaker.flush(st.empty(), run.prefs)  # the end of the session, said
    done = sum(r.ended_by is not None for r in guide.records)
    if guide.complete:
        st.success(f"{guide.routine.title}: complete.", icon=":material/check_circle:")
    else:
        st.warning(
            f"{guide.routine.title}: stopped after {done} of {len(guide.records)} exercises, "
            "saved as incomplete.",
            icon=":material/warning:",
        )
    a, b, c, d = st.columns(4)
    a.metric("Session time", clock(guide.session_s()))
    b.metric("Exercises", f"{done} of {len(guide.records)}")
    c.metric("Strokes", guide.strokes)
    d.metric("Score", "-" if guide.score is None else f"{guide.score:.0f}")
    table(
        [
            {
                "exercise": f"{n}. {r.exercise.title}",
                "time": f"{clock(r.seconds)} of {clock(r.planned_s)}" if r.ended_by else "-",
                "strokes": r.strokes,
                "score": r.score,
                "main fault": r.main_fault or ("-" if r.strokes else "no strokes"),
            }
            for n, r in enumerate(guide.records, start=1)
        ],
        column_config={
            "score": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f")
        },
    )
    _save(run)
    if st.button("Begin another session", icon=":material/replay:"):
        del st.session_state[RUN]
        st.rerun()


def _save(run: Run) -> None:
    with st.container(border=True, key="guided-save"):
        if run.saved is None and st.button(
            f"Save this session for {md(run.person)}", type="primary", icon=":material/save:"
        ):
            run.saved = scope().save_session(run.guide)
        if run.saved is not None:
            parts = sum(len(r.parts) for r in run.guide.records)
            st.success(
                f"Saved as session {run.saved} for {md(run.person)}, with {parts} practice "
                f"attempt{'s' * (parts != 1)}: find it on the History page.",
                icon=":material/check_circle:",
            )
