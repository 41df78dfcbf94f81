"""Hands in view that are not judged (holding the foot, resting): drawn greyed, thin.

So the user sees that the trainer knows the hand is there and is deliberately not scoring it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.core.hands import BONES, N_LANDMARKS, THUMB_TIP, WRIST
from trainer.overlay.annotators import INK, NEUTRAL, _px, _unit


@dataclass(frozen=True)
class IdleHands:
    """points: (M, 21, 2) pixel landmarks of the M hands in view that are not judged."""

    points: np.ndarray

    @classmethod
    def none(cls) -> IdleHands:
        return cls(np.zeros((0, N_LANDMARKS, 2)))

    @classmethod
    def beside(cls, landmarks: np.ndarray, judged: Collection[int], size: np.ndarray) -> IdleHands:
        """The hands of one frame (landmarks (H, 21, 3) normalized, NaN: not seen) other than
        the judged ones (-1: none judged; none: every hand seen is idle)."""
        others = [k for k in range(len(landmarks)) if k not in judged]
        seen = [k for k in others if not np.isnan(landmarks[k, WRIST, 0])]
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
