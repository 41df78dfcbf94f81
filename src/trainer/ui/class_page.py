"""My class (instructors): each student of their classes with their latest score on each
technique, linked to their History."""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from trainer.core.technique import technique_title
from trainer.store.db.schema import PRACTICE_KINDS
from trainer.ui.common import table, user_errors
from trainer.ui.login import scope

SCORE = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f")


def page() -> None:
    seen = scope()  # nothing of this page before a login
    st.title("My class")
    st.caption(
        "Your students and their latest score on each technique, each linked to their history."
    )
    if not seen.teaches:
        st.info("This page is an instructor's.", icon=":material/lock:")
        return
    with user_errors():
        students = sorted(n for n, role in seen.people().items() if role == "student")
        if not students:
            st.info("No student in your classes yet: an admin puts them there.")
            return
        latest: dict[tuple[str, str], tuple] = {}
        counts: dict[str, int] = {}
        for a in seen.list_attempts(kinds=PRACTICE_KINDS):
            if a.person not in students:
                continue  # the instructor's own
            counts[a.person] = counts.get(a.person, 0) + 1
            latest[(a.person, a.technique)] = (a.score, a.created_at)  # oldest first: last wins
        rows = [
            {
                "student": name,
                "technique": technique_title(technique),
                "latest score": score,
                "when (UTC)": when.replace(tzinfo=None),
                "attempts": counts[name],
                "history": f"/history?person={quote(name)}",
            }
            for (name, technique), (score, when) in sorted(latest.items())
        ]
        rows += [{"student": n, "attempts": 0} for n in students if n not in counts]
        table(
            rows,
            column_config={
                "latest score": SCORE,
                "history": st.column_config.LinkColumn(display_text="History"),
            },
        )
