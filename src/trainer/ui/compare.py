"""Compare: one attempt against another, or against its technique's reference, zone by zone."""

from __future__ import annotations

from datetime import UTC

import numpy as np
import streamlit as st

from trainer.analysis.material import Material, compare_with
from trainer.core.comparing.compare import Comparison
from trainer.core.judging.feedback import path_share
from trainer.core.technique import load_technique, technique_title
from trainer.overlay.plots import comparison_figure, path_figure
from trainer.store.access.scope import Scope
from trainer.store.attempts.records import Attempt, AttemptSummary
from trainer.ui.common import md, table, user_errors
from trainer.ui.login import scope
from trainer.ui.stored import attempt_label

REFERENCE = "reference"  # the B choice standing for the technique's reference


def page() -> None:
    store = scope()  # nothing of this page before a login
    st.title("Compare")
    st.caption(
        "Put an attempt beside another one, or beside the technique's reference "
        "demonstration: where along the path they differ in line, speed and timing."
    )
    with user_errors():
        attempts = list(reversed(store.list_attempts()))
        if not attempts:
            st.info(
                "No attempt saved yet: save reviews or practice sessions first.",
                icon=":material/compare_arrows:",
            )
            return
        pair = pick(store, attempts)
        if pair is not None:
            show(store, *pair)


def pick(store: Scope, attempts: list[AttemptSummary]) -> tuple[Attempt, Attempt] | None:
    """Attempt A, and B among the same technique's other attempts or its reference."""
    left, right = st.columns(2)
    asked = st.query_params.get("a", "")  # a link from the class table
    first = next((i for i, x in enumerate(attempts) if str(x.id) == asked), None)
    if asked and first is None:  # another's answers as a missing one
        st.warning(f"Attempt '{md(asked[:20])}' not found.", icon=":material/search_off:")
    a = left.selectbox(
        "Attempt A", attempts, index=first or 0, format_func=attempt_label, key="compare-a"
    )
    ref = store.reference(a.technique)
    others = [x for x in attempts if x.technique == a.technique and x.id != a.id]
    options = ([REFERENCE] if ref is not None and ref.attempt_id != a.id else []) + others
    if not options:
        st.info(
            f"Nothing to compare attempt {a.id} with: no other attempt at "
            f"{technique_title(a.technique)} and no reference yet.",
            icon=":material/info:",
        )
        return None
    b = right.selectbox(
        "Attempt B",
        options,
        format_func=lambda o: (
            f"The reference for {technique_title(a.technique)} (attempt {ref.attempt_id})"
            if o == REFERENCE
            else attempt_label(o)
        ),
        key=f"compare-b-{a.id}",
    )
    b_id = ref.attempt_id if b == REFERENCE else b.id
    return store.load_attempt(a.id), store.load_attempt(b_id)


def material(a: Attempt) -> Material:
    return Material.from_attempt(a, _name(a))


def show(store: Scope, a: Attempt, b: Attempt) -> None:
    """Numbers, findings, the zone table, both paths on one plot, then videos or tracks."""
    c = compare_with(material(a), material(b), store)
    st.subheader(f"{_shown(a)} against {_shown(b)}")
    cols = st.columns(4)
    cols[0].metric("Strokes compared", c.n_strokes)
    cols[1].metric("Reversed", c.n_reversed)
    cols[2].metric("Too short to align", c.n_unmatched)
    cols[3].metric(
        "Mean gap",
        "-" if c.n_strokes == 0 else path_share(c.distance),
        help="Between aligned points of A and B, as a share of the path's length",
    )
    findings = c.findings(_name(b))
    if c.n_strokes == 0:
        st.warning(
            f"No stroke of {_shown(a)} runs the right way to compare.", icon=":material/block:"
        )
    elif findings:
        st.markdown(f"**Where {_shown(a)} differs from {_shown(b)}**")
        st.markdown("\n".join(f"- {md(line)}" for line in findings))
    else:
        st.success(
            f"{_shown(a)} follows {_shown(b)} closely in every zone.",
            icon=":material/check_circle:",
        )
    table(zone_rows(c), column_config=ZONE_COLUMNS)
    st.pyplot(comparison_figure(c, _name(a), _name(b)), width=860)
    side_by_side(store, a, b)


ZONE_COLUMNS = {
    "offset": st.column_config.TextColumn(
        "offset (% of the path)", help="A's mean offset from B; + is right of travel"
    ),
    "speed": st.column_config.NumberColumn("speed A / B", format="%.2fx"),
    "time_a": st.column_config.NumberColumn("time A (s)", format="%.2f"),
    "time_b": st.column_config.NumberColumn("time B (s)", format="%.2f"),
    "lag": st.column_config.NumberColumn(
        "leaves it later by (s)", format="%+.2f", help="> 0: A leaves the zone after B"
    ),
    "covered": st.column_config.ProgressColumn(
        "covered", min_value=0, max_value=100, format="%.0f%%"
    ),
}


def zone_rows(c: Comparison) -> list[dict]:
    """One row per zone: offset, speed ratio, time in it and lag (None where A never got)."""
    return [
        {
            "zone": z.name,
            "offset": None if np.isnan(z.offset) else path_share(z.offset, signed=True),
            "speed": _num(z.speed_ratio),
            "time_a": _num(z.student_s),
            "time_b": _num(z.reference_s),
            "lag": _num(z.lag_s),
            "covered": _num(100 * z.coverage),
        }
        for z in c.zones
    ]


def side_by_side(store: Scope, a: Attempt, b: Attempt) -> None:
    """Both videos when both were kept; otherwise say which was not, and show the tracks."""
    # Read out of the store's folder or its database (PostgreSQL): no copy stays here.
    videos = [store.kept_video(x) if x.video is not None else None for x in (a, b)]
    kept = [v is not None for v in videos]
    if not all(kept):
        gone = " and ".join(_shown(x) for x, k in zip((a, b), kept, strict=True) if not k)
        st.info(
            f"The video of {gone} was not kept, so here are the thumb tracks instead.",
            icon=":material/videocam_off:",
        )
    for col, x, video in zip(st.columns(2), (a, b), videos, strict=True):
        with col:
            st.markdown(
                f"**{_shown(x)}** · {x.kind} · {x.created_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
            )
            if all(kept):
                st.video(video)
            elif x.review is None:
                st.caption("Saved without a review: nothing to draw.")
            else:
                st.pyplot(track_figure(x))


def track_figure(a: Attempt):
    """The attempt's thumb path over its calibrated line, passes coloured by verdict."""
    return path_figure(a.track, a.review, a.calibration, load_technique(a.technique))


def _name(a: Attempt) -> str:
    return f"attempt {a.id} ({a.person})"


def _shown(a: Attempt) -> str:
    return md(_name(a))


def _num(value: float) -> float | None:
    # NaN: never got there; + 0.0 turns a rounded -0.0 into 0.0
    return None if np.isnan(value) else round(float(value), 3) + 0.0
