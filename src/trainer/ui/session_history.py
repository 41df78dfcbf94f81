"""History of guided sessions: each session's routine, time, completeness and exercises."""

from __future__ import annotations

from datetime import UTC

import streamlit as st

from trainer.core.judging.feedback import clock
from trainer.core.routine import routine_title
from trainer.core.technique import technique_title
from trainer.store.sessions.guided import StoredSession
from trainer.ui.common import table

SCORE = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f")
EVERYONE = "Everyone"


def sessions_view(sessions: list[StoredSession]) -> None:
    """Every saved guided session, newest first, and the exercises of the one picked."""
    if not sessions:
        st.info(
            "No guided session saved yet: follow a routine on the Guided session page, then "
            "save it from its summary.",
            icon=":material/self_improvement:",
        )
        return
    names = sorted({s.person for s in sessions})
    who = st.selectbox("Whose sessions", [EVERYONE, *names], key="history-session-person")
    shown = [s for s in reversed(sessions) if who in (EVERYONE, s.person)]
    table(
        [
            {
                "session": s.id,
                "when (UTC)": s.created_at.astimezone(UTC).replace(tzinfo=None),
                "person": s.person,
                "routine": routine_title(s.routine),
                "first": s.first,
                "complete": s.complete,
                "time": clock(s.seconds),
                "exercises done": _done(s),
                "strokes": s.summary.get("strokes"),
                "score": s.summary.get("score"),
            }
            for s in shown
        ],
        column_config={"score": SCORE},
    )
    chosen = st.selectbox(
        "Exercises of session",
        shown,
        format_func=lambda s: (
            f"#{s.id} · {s.person} · {routine_title(s.routine)} · {_done(s)}"
            + ("" if s.complete else " · incomplete")
        ),
        key="history-session",
    )
    _exercises(chosen)


def _exercises(chosen: StoredSession) -> None:
    """One session's exercises: time, strokes, score, main fault and the attempts saved."""
    attempts: dict[int, list[int]] = {}
    for index, attempt_id in chosen.attempts:
        attempts.setdefault(index, []).append(attempt_id)
    table(
        [
            {
                "exercise": f"{n + 1}. {e['title']}",
                "technique": technique_title(e["technique"]),
                "time": f"{clock(e['seconds'])} of {clock(e['planned_s'])}"
                if e["ended_by"]
                else "not reached",
                "strokes": e["strokes"],
                "score": e["score"],
                "main fault": e["main_fault"] or "-",
                "attempts": ", ".join(f"#{a}" for a in attempts.get(n, [])) or "-",
            }
            for n, e in enumerate(chosen.summary["exercises"])
        ],
        column_config={"score": SCORE},
    )


def _done(s: StoredSession) -> str:
    exercises = s.summary["exercises"]
    done = sum(e["ended_by"] is not None for e in exercises)
    return f"{done} of {len(exercises)} exercises"
