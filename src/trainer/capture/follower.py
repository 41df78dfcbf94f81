"""One hand followed in VIDEO mode by a landmarker of its own.

A VIDEO-mode landmarker with `num_hands=1` tracks its hand from the previous frame's landmarks
and runs the palm detector only while it has no hand. That is where two followers could end up
on the same hand, so while a follower searches it is shown the frame with every other followed
hand painted over; once it holds its hand it sees the frame as it is (hands may then touch and
overlap without one hiding the other's thumb).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from trainer.capture.filters import OneEuroFilter
from trainer.capture.landmarker import Hands, Landmarker

MASK_GROW = 0.25  # the painted hull of another hand reaches this share of its size further
LOST_S = 0.5  # a hand unseen this long is found anew (and no longer hidden from others)


def mask_hands(rgb: np.ndarray, hands: list[np.ndarray]) -> np.ndarray:
    """A copy of rgb with each hand (landmarks (21, 3), normalized) painted over, its convex
    hull grown by MASK_GROW, in the picture's mean colour (no edges for the palm detector)."""
    out = rgb.copy()
    h, w = rgb.shape[:2]
    colour = tuple(int(c) for c in cv2.mean(rgb)[:3])
    for landmarks in hands:
        points = landmarks[:, :2] * [w, h]
        centre = points.mean(axis=0)
        grown = centre + (points - centre) * (1.0 + 2 * MASK_GROW)
        hull = cv2.convexHull(np.round(grown).astype(np.int32))
        cv2.fillConvexPoly(out, hull, colour)
    return out


@dataclass
class Memory:
    """What a slot remembers of its hand: its latest landmarks and when they were seen (kept
    while it is lost, for identity and to hide it from searching followers), when it was found
    (the older of two followers on one hand stays), and MediaPipe's labels for it so far."""

    last: np.ndarray | None = None
    seen_t: float = -np.inf
    since: float = 0.0
    votes: np.ndarray = field(default_factory=lambda: np.zeros(2, np.int64))


@dataclass
class Follower:
    """One hand's landmarker and filter. active: following or searching (an inactive follower
    costs nothing); holding: VIDEO mode holds the hand; lost_at: when it last lost it."""

    landmarker: Landmarker
    filter: OneEuroFilter
    memory: Memory = field(default_factory=Memory)
    active: bool = False
    holding: bool = False
    lost_at: float = 0.0

    def follow(self, small: np.ndarray, t: float, others: list[np.ndarray]) -> Hands:
        """Track in one (downscaled) frame; while searching, the other hands are hidden."""
        frame = small if self.holding or not others else mask_hands(small, others)
        return self.landmarker.detect(frame, round(t * 1000))

    def forget(self, small: np.ndarray, t: float) -> None:
        """Make VIDEO mode drop its hand (an empty frame), so it searches afresh next time."""
        if self.holding:
            self.landmarker.detect(np.zeros_like(small), round(t * 1000) - 1)
        self.holding = False
        self.lost_at = t
        self.filter.reset()

    def seen(self, hands: Hands, t: float) -> None:
        """Its hand (hands[0]) as found in this frame, by itself or by an IMAGE-mode check."""
        m = self.memory
        if t - m.seen_t > LOST_S:
            m.since = t
        m.seen_t, m.last = t, hands.landmarks[0]
        m.votes[int(hands.handedness[0])] += 1

    def missed(self, t: float) -> None:
        if self.holding:
            self.lost_at = t
        self.holding = False
        self.filter.reset()
