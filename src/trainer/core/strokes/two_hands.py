"""Both hands stroking (a technique with `hands = 2`): each along its own side line.

Seed 003 strokes the back of the neck with "the fingers of both hands ... at the level of the
spine": one thumb either side of it. Each hand that moves along the path is judged against the
path moved `side_offset` path lengths to its own side, and is named by where it is in the
picture (the hand on the left of the picture is the left hand, as for someone filming over
their own shoulder or from behind the person massaged). A track shown mirrored while it was
filmed (`meta["mirrored"]`, Practice's selfie view) names them as they were seen, swapped.
"""

from __future__ import annotations

import numpy as np

from trainer.core.path.calibration import Calibration
from trainer.core.strokes.active_hand import Movement, movements
from trainer.core.technique import Technique
from trainer.core.track import Track


def side_line(calibration: Calibration, shift: float, width: int, height: int) -> Calibration:
    """The path moved `shift` path lengths across itself (positive: the side where the
    cross-track offset d is positive), square to its start-to-end chord; kept in the frame."""
    path = calibration.in_pixels(width, height)
    chord = path.points[-1] - path.points[0]
    ux, uy = chord / np.hypot(*chord)
    moved = path.points + np.array([-uy, ux]) * shift * path.length
    points = np.clip(moved / [width, height], 0.0, 1.0)
    return Calibration(points, calibration.technique, calibration.source)


def both_hands(
    track: Track, technique: Technique, calibration: Calibration
) -> list[tuple[str, int, Calibration]] | None:
    """(name, hand index, side line) of each of the two hands stroking along the path, left
    hand first; None unless two hands move along it."""
    hands = track.hands
    if hands is None:
        return None
    path = calibration.in_pixels(track.width, track.height)
    moves = movements(track.t, hands, path, technique)
    active = sorted({m.hand for m in moves})
    if len(active) < 2:
        return None
    offset = {k: float(np.median([m.offset for m in moves if m.hand == k])) for k in active}
    seen = -1.0 if track.meta.get("mirrored") else 1.0  # x across the picture as it was shown
    x = {
        k: seen * _median_x(hands.thumb_px[:, k, 0], [m for m in moves if m.hand == k])
        for k in active
    }
    outer = max(active, key=offset.get)  # the hand further to the positive side of the path
    left = min(active, key=x.get)
    shift = technique.side_offset
    return [
        (
            "left" if k == left else "right",
            k,
            side_line(calibration, shift if k == outer else -shift, track.width, track.height),
        )
        for k in sorted(active, key=x.get)
    ]


def _median_x(x: np.ndarray, moves: list[Movement]) -> float:
    """Where a hand's thumb was across the picture while it moved along the path."""
    return float(np.nanmedian(np.concatenate([x[m.start : m.end] for m in moves])))


def merge_gaps(gaps: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping stretches without a hand as one (both hands gone at once is one gap)."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(gaps):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
