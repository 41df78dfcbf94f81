"""Whether the light is too poor to follow the hand, live and over a whole review.

The tracker says per frame whether the light was dim (a dim room, whose frames the model
sees brightened) and whether it stayed too dark even after that. Too dark for the trainer:
most frames too dark even brightened, or mostly dim frames with the hand found in under half
of them. Frames in good light without a hand are not about light: the hand is not shown.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from typing import Any

from trainer.core.judging import feedback
from trainer.core.judging.verdict import Review

MOSTLY = 0.5  # share of frames: "most frames"
FOUND_AT_LEAST = 0.5  # in dim light, a hand in under this share of frames: too dark
WINDOW_S = 3.0  # the live verdict looks at this much of the latest video
MIN_WINDOW_S = 1.0  # and says nothing before it has seen this much
TOO_DARK = "too_dark"


def too_dark(found_share: float, dim_share: float, dark_share: float) -> bool:
    """The verdict from shares of frames: with a hand, dim, too dark even brightened."""
    return dark_share >= MOSTLY or (dim_share >= MOSTLY and found_share < FOUND_AT_LEAST)


class LightWatch:
    """The live form: `update` per frame; True while the latest seconds were too dark."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._frames: deque[tuple[float, bool, bool, bool]] = deque()

    def update(self, t: float, found: bool, dim: bool, dark: bool) -> bool:
        frames = self._frames
        frames.append((t, found, dim, dark))
        while frames[0][0] < t - self.window_s:
            frames.popleft()
        if t - frames[0][0] < MIN_WINDOW_S:
            return False
        n = len(frames)
        found, dim, dark = (sum(f[k] for f in frames) / n for k in (1, 2, 3))
        return too_dark(found, dim, dark)


def track_too_dark(detected_fraction: float, meta: dict[str, Any]) -> bool:
    """The verdict on a whole track, from its share of frames with a hand and its meta.

    meta: the track's meta; its "light" entry (from the tracker) holds the shares of dim and
    too-dark frames. Tracks without one (older ones, ground truths) are never too dark.
    """
    light = meta.get("light")
    if not light:
        return False
    return too_dark(detected_fraction, light["dim_share"], light["dark_share"])


def with_light_advice(review: Review, detected_fraction: float, meta: dict[str, Any]) -> Review:
    """The review with "too dark" advice first when the track's light says so (see above)."""
    if not track_too_dark(detected_fraction, meta):
        return review
    return dataclasses.replace(
        review,
        faults=(TOO_DARK, *review.faults),
        feedback=(feedback.too_dark_sentence(detected_fraction), *review.feedback),
    )
