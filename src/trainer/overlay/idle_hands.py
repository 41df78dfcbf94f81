"""Hands in view that are not judged (holding the foot, resting): drawn greyed, thin.

So the user sees that the trainer knows the hand is there and is deliberately not scoring it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.overlay.annotators import INK, NEUTRAL, _px, _unit

# MediaPipe's hand skeleton: the palm and each finger from its base to its tip.
BONES = (
    (0, 1), (1, 2), (2, 3), (3, 4),
    (0, 5), (5, 6), (6, 7), (7, 8),
    (5, 9), (9, 10), (10, 11), (11, 12),
    (9, 13), (13, 14), (14, 15), (15, 16),
    (13, 17), (0, 17), (17, 18), (18, 19), (19, 20),
)  # fmt: skip
THUMB_TIP = 4


@dataclass(frozen=True)
class IdleHands:
    """points: (M, 21, 2) pixel landmarks of the M hands in view that are not judged."""

    points: np.ndarray

    @classmethod
    def none(cls) -> IdleHands:
        return cls(np.zeros((0, 21, 2)))

    @classmethod
    def beside(cls, landmarks: np.ndarray, judged: Collection[int], size: np.ndarray) -> IdleHands:
        """The hands of one frame (landmarks (H, 21, 3) normalized, NaN: not seen) other than
        the judged ones (-1: none judged; none: every hand seen is idle)."""
        others = [k for k in range(len(landmarks)) if k not in judged]
        seen = [k for k in others if not np.isnan(landmarks[k, 0, 0])]
        return cls(landmarks[seen, :, :2] * size)


@dataclass(frozen=True)
class IdleHandsAnnotator:
    """Each idle hand's skeleton in grey, with a grey dot on its thumb tip."""

    thickness: float = 2.0

    def annotate(self, scene: np.ndarray, hands: IdleHands) -> np.ndarray:
        u = _unit(scene)
        for hand in hands.points:
            if np.isnan(hand).any():
                continue
            pts = np.round(hand).astype(np.int32)
            lines = [pts[[a, b]] for a, b in BONES]
            cv2.polylines(scene, lines, False, NEUTRAL, _px(self.thickness, u), cv2.LINE_AA)
            tip = tuple(pts[THUMB_TIP])
            cv2.circle(scene, tip, _px(7, u), INK, -1, cv2.LINE_AA)
            cv2.circle(scene, tip, _px(5, u), NEUTRAL, -1, cv2.LINE_AA)
        return scene
