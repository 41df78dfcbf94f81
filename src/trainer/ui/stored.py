"""The attempt store for the pages: opened once per location, shared by every session."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import streamlit as st

from trainer.core.base.settings import Settings
from trainer.core.technique import technique_title
from trainer.store.attempts.records import AttemptSummary
from trainer.store.store import Store


def open_store() -> Store:
    """The store TRAINER_DATA_DIR / TRAINER_DATABASE_URL point at."""
    s = Settings.from_env()
    return _store(str(s.data_dir), s.database_url)


@st.cache_resource(show_spinner=False)
def _store(data_dir: str, database_url: str) -> Store:
    return Store.open(Settings(data_dir=Path(data_dir), database_url=database_url))


def attempt_label(a: AttemptSummary) -> str:
    """One line naming an attempt: number, who, what, when and its score.

    Times in UTC (the store's), as the progress charts draw them.
    """
    score = "no score" if a.score is None else f"{a.score:.0f}/100"
    when = a.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"#{a.id} · {a.person} · {technique_title(a.technique)} · {a.kind} · {score} · {when}"


def attempt_rows(attempts: list[AttemptSummary]) -> list[dict]:
    """Attempts as table rows, newest first."""
    return [
        {
            "attempt": a.id,
            "when (UTC)": a.created_at.astimezone(UTC).replace(tzinfo=None),
            "person": a.person,
            "technique": technique_title(a.technique),
            "kind": a.kind,
            "score": a.score,
            "strokes": a.n_strokes,
            "minutes": None if a.duration_s is None else round(a.duration_s / 60, 1),
            "video kept": a.video_kept,
        }
        for a in reversed(attempts)
    ]
