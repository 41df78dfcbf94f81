"""History: one person's attempts over time, and everyone on one technique side by side."""

from __future__ import annotations

from datetime import UTC

import streamlit as st

from trainer.analysis.material import promote
from trainer.core.technique import technique_title
from trainer.overlay.plots import progress_figure
from trainer.store.access.scope import Scope
from trainer.store.attempts.records import AttemptSummary
from trainer.store.db.schema import PRACTICE_KINDS
from trainer.ui.common import md, table, user_errors
from trainer.ui.login import scope
from trainer.ui.session_history import sessions_view
from trainer.ui.stored import attempt_label, attempt_rows

SCORE = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f")


def page() -> None:
    store = scope()  # nothing of this page before a login
    st.title("History")
    st.caption(
        "Every saved video, practice and guided session: how each person progresses, and "
        "how everyone does on one technique."
    )
    with user_errors():
        attempts = store.list_attempts()
        sessions = store.list_sessions()
        if not attempts and not sessions:
            st.info(
                "No attempt saved yet. Review a video or a sample, or practise, then use "
                "**Save this attempt** under the results.",
                icon=":material/history:",
            )
            return
        by_person, by_technique, by_session = st.tabs(
            ["By person", "By technique", "Guided sessions"]
        )
        with by_person:
            if attempts:
                person_view(store, attempts)
        with by_technique:
            if attempts:
                technique_view(store, attempts)
        with by_session:
            sessions_view(sessions)


def person_view(store: Scope, attempts: list[AttemptSummary]) -> None:
    """A person's numbers, a progress chart per technique and every attempt of theirs."""
    roles = store.people()
    names = sorted({a.person for a in attempts})
    asked = st.query_params.get("person")  # a link from the class table
    name = st.selectbox(
        "Person",
        names,
        index=names.index(asked) if asked in names else 0,
        format_func=lambda n: f"{n} ({roles[n]})",
        key="history-person",
    )
    mine = [a for a in attempts if a.person == name]
    practised = [a for a in mine if a.kind in PRACTICE_KINDS]
    # An instructor's demonstration is scored like any attempt: it counts for Best and Latest.
    scored = sorted((a for a in mine if a.score is not None), key=lambda a: a.created_at)
    scores = [a.score for a in scored]
    cols = st.columns(4)
    cols[0].metric("Attempts", len(mine))
    cols[1].metric("Techniques", len({a.technique for a in mine}))
    cols[2].metric("Best score", f"{max(scores):.0f}" if scores else "-")
    cols[3].metric("Latest score", f"{scores[-1]:.0f}" if scores else "-")
    techniques = sorted({a.technique for a in practised})
    charts = st.columns(2)
    for n, technique in enumerate(techniques):
        p = store.history(name, technique)
        title = f"{technique_title(technique)} ({len(p)} attempt{'s' * (len(p) != 1)})"
        charts[n % 2].pyplot(progress_figure(p, title=title, size=(6, 3.2)))
    st.markdown("**Attempts**, newest first")
    table(
        attempt_rows(mine),
        column_config={"score": SCORE, "person": None},
    )
    if store.teaches and name == store.actor.name:
        reference_panel(store, mine)


def reference_panel(store: Scope, mine: list[AttemptSummary]) -> None:
    """Let an instructor make one of their attempts its technique's reference."""
    st.markdown("**Reference demonstration**")
    best_first = sorted(mine, key=lambda a: -1.0 if a.score is None else a.score, reverse=True)
    current = {t: store.reference(t) for t in {a.technique for a in mine}}

    def label(a: AttemptSummary) -> str:
        ref = current[a.technique]
        now = " · the reference now" if ref is not None and ref.attempt_id == a.id else ""
        return attempt_label(a) + now

    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        "Make this attempt its technique's reference (best first)",
        best_first,
        format_func=label,
        key="history-reference",
    )
    ref = current[chosen.technique]
    already = ref is not None and ref.attempt_id == chosen.id
    if right.button(
        "Make it the reference", icon=":material/star:", key="history-make-ref", disabled=already
    ):
        ref_id = promote(store, chosen.id)
        st.success(
            f"Attempt {ref_id} is now the reference for {technique_title(chosen.technique)}: "
            "students are compared with it on the Compare page.",
            icon=":material/check_circle:",
        )


def technique_view(store: Scope, attempts: list[AttemptSummary]) -> None:
    """Everyone on one technique, highest best score first; the table sorts by any column."""
    names = sorted({a.technique for a in attempts})
    technique = st.selectbox(
        "Technique", names, format_func=technique_title, key="history-technique"
    )
    rows = store.technique_table(technique, sort_by="best")
    ref = store.reference(technique)
    if ref is None:
        st.caption("No reference yet: an instructor sets one from their attempts (By person).")
    else:
        who = next((a.person for a in attempts if a.id == ref.attempt_id), "?")
        st.caption(
            f"Reference: attempt {ref.attempt_id} by {md(who)}, "
            f"{ref.profile.get('n_strokes', '?')} strokes averaged."
        )
    if not rows:
        st.info("Nobody has reviewed or practised this technique yet (only references).")
        return
    table(
        [
            {
                "person": r.person,
                "role": r.role,
                "attempts": r.attempts,
                "best": r.best,
                "mean": r.mean,
                "latest": r.latest,
                "last attempt (UTC)": r.last_at.astimezone(UTC).replace(tzinfo=None),
            }
            for r in rows
        ],
        column_config={"best": SCORE, "mean": SCORE, "latest": SCORE},
    )
