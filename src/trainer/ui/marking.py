"""Marking the path on a picture: click its start, then its end; the guide's shape fits between.

Used by Practice (on a snapshot of the camera) and Review (on the video's first frame). The
picture may be shown mirrored (Practice's selfie view): the ends are clicked on what is shown,
the calibration is of the picture as filmed.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit_image_coordinates import streamlit_image_coordinates

from trainer.core.path.calibration import Calibration, fit_guide
from trainer.core.technique import Technique
from trainer.overlay.annotators import INK, WHITE, Guide, GuideAnnotator

FOLLOW_LABEL = "The path follows the body"
FOLLOW_HELP = (
    "The path is marked on the first frame and then moves with the body part under it "
    "(the foot or neck may shift while you work). Untick to keep it fixed in the picture."
)


def _ends(key: str) -> list[tuple[float, float]]:
    """The ends clicked so far (normalized), taking in the click that caused this run."""
    ends: list[tuple[float, float]] = st.session_state.setdefault(f"{key}-ends", [])
    click = st.session_state.get(f"{key}-click")
    if click and click.get("unix_time") != st.session_state.get(f"{key}-seen"):
        st.session_state[f"{key}-seen"] = click.get("unix_time")
        x = min(max(click["x"] / max(click["width"], 1), 0.0), 1.0)
        y = min(max(click["y"] / max(click["height"], 1), 0.0), 1.0)
        # A third click starts again from the start.
        ends[:] = [*ends, (x, y)] if len(ends) == 1 else [(x, y)]
    return ends


def _drawn(frame: np.ndarray, technique: Technique, ends, calibration) -> np.ndarray:
    """The picture with what is marked so far: the start dot, or the whole fitted path."""
    picture = frame.copy()
    h, w = picture.shape[:2]
    if calibration is not None:
        guide = Guide.from_calibration(calibration, technique, w, h)
        return GuideAnnotator().annotate(picture, guide)
    if ends:
        # The start dot, drawn as the guide draws it: white with a dark ring.
        x, y = ends[0][0] * w, ends[0][1] * h
        r = max(4.0, 9 * h / 480)
        yy, xx = np.ogrid[:h, :w]
        dist = np.hypot(xx - x, yy - y)
        picture[dist <= r + r / 4] = INK
        picture[dist <= r] = WHITE
    return picture


def marked(ends, technique: Technique, mirror: bool) -> Calibration:
    """The path between two ends clicked on the picture as shown (normalized; `mirror`: shown
    flipped), in the picture as filmed: the guide's shape fitted between them."""
    filmed = [(1.0 - x, y) if mirror else (x, y) for x, y in ends]
    guide = np.array(technique.guide, dtype=np.float64)
    points = fit_guide(guide, np.array(filmed[0]), np.array(filmed[1]))
    return Calibration(points, technique.name, "marked")


def mark_ends(
    frame: np.ndarray, technique: Technique, key: str, mirror: bool = False
) -> Calibration | None:
    """The clickable picture; the marked calibration once both ends are clicked, else None.

    frame: as filmed; mirror: shown flipped left to right (the clicks are on what is shown).
    """
    ends = _ends(key)
    calibration = marked(ends, technique, mirror) if len(ends) == 2 else None
    shown = calibration.mirrored() if mirror and calibration is not None else calibration
    start, end = technique.start_name, technique.end_name
    if not ends:
        st.markdown(f"Click **{start}** (the start of the path) on the picture.")
    elif len(ends) == 1:
        st.markdown(f"Start marked. Now click **{end}** (the end of the path).")
    else:
        (x0, y0), (x1, y1) = ends
        st.markdown(
            f"Path marked from ({x0:.2f}, {y0:.2f}) to ({x1:.2f}, {y1:.2f}). "
            "Click again to start over."
        )
    picture = np.ascontiguousarray(frame[:, ::-1]) if mirror else frame
    streamlit_image_coordinates(
        _drawn(picture, technique, ends, shown),
        key=f"{key}-click",
        width="content",
        cursor="crosshair",
    )
    return calibration
