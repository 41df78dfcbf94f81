"""Hands that can't be hands: detections far from the path and of a size no hand there has.

In dim light the hand model sometimes puts a "hand" on candle flames or a lamp in the
background. The calibrated path gives the scale of the scene: a palm is 8-11 cm, the paths
the techniques follow are 10-50 cm long, so a real hand's palm is some 0.15 to 1.1 path
lengths, and it works on or near the path. A detection outside the path's corridor whose
palm is far from that size is not followed; either alone is no reason (a hand may rest away
from the path, or come near the camera).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from trainer.core.hands import INDEX_BASE, MIDDLE_BASE, PINKY_BASE, WRIST
from trainer.core.path.calibration import Calibration, PathFrame

CORRIDOR_ACROSS = 0.5  # path lengths either side of the path
CORRIDOR_ALONG = (-0.5, 1.5)  # progress along it, 0 = start, 1 = end
PALM_RANGE = (0.12, 2.5)  # palm length over path length, with room for perspective
PALM_OVER_KNUCKLES = 1.4  # a palm is about 1.4 times as long as its knuckles are wide


def palm_length(landmarks: np.ndarray, width: int, height: int) -> float:
    """A hand's palm length in pixels, from landmarks (21, 3) normalized as MediaPipe gives.

    The longer of wrist to middle-finger base and the knuckles' width scaled to a palm, in 3D
    (MediaPipe's z is on the x scale): a palm seen end-on still shows its knuckles.
    """
    scale = np.array([width, height, width], dtype=np.float64)
    p = landmarks[:, :3] * scale
    along = np.linalg.norm(p[MIDDLE_BASE] - p[WRIST])
    across = np.linalg.norm(p[INDEX_BASE] - p[PINKY_BASE]) * PALM_OVER_KNUCKLES
    return float(max(along, across))


def in_corridor(landmarks: np.ndarray, path: PathFrame, width: int, height: int) -> bool:
    """Any landmark of the hand inside the path's corridor (path in pixels)."""
    s, d = path.project(landmarks[:, :2] * [width, height])
    lo, hi = CORRIDOR_ALONG
    return bool(np.any((np.abs(d) <= CORRIDOR_ACROSS) & (s >= lo) & (s <= hi)))


def plausible_hand(landmarks: np.ndarray, path: PathFrame, width: int, height: int) -> bool:
    """False for a detection both outside the corridor and of a palm size no hand there has.

    landmarks: (21, 3) normalized to the frame; path: the calibrated path in pixels of that
    frame. Landmarks with NaN in them (nothing to judge by) are accepted.
    """
    if not np.isfinite(landmarks[:, :3]).all():
        return True
    if in_corridor(landmarks, path, width, height):
        return True
    ratio = palm_length(landmarks, width, height) / path.length
    lo, hi = PALM_RANGE
    return lo <= ratio <= hi


@dataclass
class HandGate:
    """`plausible_hand` for one calibration, at whatever frame size the frames come in."""

    calibration: Calibration
    _paths: dict[tuple[int, int], PathFrame] = field(default_factory=dict, repr=False)

    def accepts(self, landmarks: np.ndarray, width: int, height: int) -> bool:
        path = self._paths.get((width, height))
        if path is None:
            path = self._paths.setdefault(
                (width, height), self.calibration.in_pixels(width, height)
            )
        return plausible_hand(landmarks, path, width, height)
