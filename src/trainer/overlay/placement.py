"""Where the guide's names go on a frame: beside the line, inside the frame, clear of each
other. Geometry only; `annotators` draws them."""

from __future__ import annotations

import numpy as np

Box = tuple[int, int, int, int]  # x0, y0, x1, y1

# How far from the line a name goes (at 480 pixels high), then farther while it would cover
# another name.
GAP, STEP, TRIES = 14.0, 12.0, 8


def label_side(points: np.ndarray, width: int) -> np.ndarray:
    """Unit vector (pixels, y down) from the line to where its names go: above a level line;
    beside an upright one, away from the middle of the picture (the other hand's line is
    toward it when both hands stroke)."""
    chord = points[-1] - points[0]
    if abs(chord[0]) >= abs(chord[1]):
        return np.array([0.0, -1.0])
    outward = 1.0 if points[:, 0].mean() > width / 2 else -1.0
    return np.array([outward, 0.0])


def box_beside(
    at: np.ndarray,
    side: np.ndarray,
    size: tuple[int, int],
    shape: tuple[int, ...],
    placed: list[Box],
    u: float,
) -> Box:
    """A box of `size` (w, h) `side` of the point `at`, its near edge a gap away (scaled by
    u, the frame's height over 480), inside a frame of `shape`, moved farther out while it
    would cover a `placed` box."""
    w, h = size
    reach = abs(side[0]) * w / 2 + abs(side[1]) * h / 2  # from the box's centre to its edge
    for k in range(TRIES):
        centre = at + side * (reach + max(1, round((GAP + k * STEP) * u)))
        box = box_inside(centre, w, h, shape)
        if not any(overlap(box, other) for other in placed):
            break
    return box


def box_inside(centre: np.ndarray, w: int, h: int, shape: tuple[int, ...]) -> Box:
    """A w x h box centred at `centre`, moved inside the frame."""
    x0 = int(np.clip(round(centre[0] - w / 2), 0, max(0, shape[1] - w)))
    y0 = int(np.clip(round(centre[1] - h / 2), 0, max(0, shape[0] - h)))
    return x0, y0, x0 + w, y0 + h


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
