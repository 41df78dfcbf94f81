"""Every hand followed through a video, each keeping its own identity (its index).

Identity comes from position, never from MediaPipe's handedness label: the label flips between
frames, assumes a mirrored picture and is documented as unreliable. A hand is the same hand as
in the frame before when its wrist and thumb tip are where that hand's were.

MediaPipe's landmark indices (the wrist, the thumb tip, the fingers' bases, the skeleton) are
named here, once for the whole package.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

# MediaPipe's 21 hand landmarks, named here for the whole package: 0 the wrist, then each
# finger from its base knuckle to its tip (1-4 the thumb, 5-8 index ... 17-20 little finger).
N_LANDMARKS = 21
WRIST = 0
THUMB = (1, 2, 3, 4)
FINGERS = ((5, 6, 7, 8), (9, 10, 11, 12), (13, 14, 15, 16), (17, 18, 19, 20))  # index first
THUMB_TIP = THUMB[-1]
FINGER_BASES = tuple(finger[0] for finger in FINGERS)
INDEX_BASE, MIDDLE_BASE, RING_BASE, PINKY_BASE = FINGER_BASES
# The skeleton: each finger from where it grows (the wrist, or the knuckle beside it) to its
# tip; the little finger's base also joins the wrist, closing the palm.
BONES = (
    *pairwise((WRIST, *THUMB)),
    *pairwise((WRIST, *FINGERS[0])),
    *pairwise((INDEX_BASE, *FINGERS[1])),
    *pairwise((MIDDLE_BASE, *FINGERS[2])),
    (RING_BASE, PINKY_BASE),
    (WRIST, PINKY_BASE),
    *pairwise(FINGERS[3]),
)
NOT_JUDGED = -1


@dataclass(frozen=True)
class HandTracks:
    """N frames, H hands; hand k is the same hand in every frame (NaN while it is not seen).

    Attributes:
        thumb_px: (N, H, 2) smoothed thumb tip of each hand in pixels.
        landmarks: (N, H, 21, 3) raw landmarks, x and y normalized to the frame, z relative.
        confidence: (N, H) MediaPipe's handedness score.
        handedness: (N, H) int8 MediaPipe's label (LEFT, RIGHT or NO_HAND): informational.
        judged: (N,) int8 the hand whose thumb the track judges in each frame, -1 for none.
    """

    thumb_px: np.ndarray
    landmarks: np.ndarray
    confidence: np.ndarray
    handedness: np.ndarray
    judged: np.ndarray

    def check(self, n: int) -> None:
        """Raise ValueError unless every array has n frames and the same number of hands."""
        h = self.count
        shapes = {
            "thumb_px": (self.thumb_px.shape, (n, h, 2)),
            "landmarks": (self.landmarks.shape, (n, h, N_LANDMARKS, 3)),
            "confidence": (self.confidence.shape, (n, h)),
            "handedness": (self.handedness.shape, (n, h)),
            "judged": (self.judged.shape, (n,)),
        }
        for name, (got, want) in shapes.items():
            if got != want:
                raise ValueError(f"Track.hands.{name} has shape {got}, expected {want}")
        if np.any(self.judged >= h) or np.any(self.judged < NOT_JUDGED):
            raise ValueError(f"Track.hands.judged must name one of the {h} hands or be -1")

    @property
    def count(self) -> int:
        return int(self.thumb_px.shape[1]) if self.thumb_px.ndim == 3 else 0

    @property
    def seen(self) -> np.ndarray:
        """(N, H) bool: hand k was found in frame i."""
        return ~np.isnan(self.thumb_px[..., 0])

    def __getitem__(self, index: slice | np.ndarray) -> HandTracks:
        return HandTracks(
            self.thumb_px[index],
            self.landmarks[index],
            self.confidence[index],
            self.handedness[index],
            self.judged[index],
        )

    def only(self, k: int) -> HandTracks:
        """Hand k alone (as hand 0)."""
        judged = np.where(self.judged == k, 0, NOT_JUDGED).astype(np.int8)
        sel = [k]
        return HandTracks(
            self.thumb_px[:, sel],
            self.landmarks[:, sel],
            self.confidence[:, sel],
            self.handedness[:, sel],
            judged,
        )

    def pick(self, judged: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per frame, the thumb, landmarks, confidence and label of hand `judged[i]` (NaN and
        NO_HAND where judged is -1 or that hand is not seen)."""
        n = len(judged)
        k = np.clip(judged, 0, max(self.count - 1, 0))
        rows = np.arange(n)
        chosen = (judged >= 0) & self.seen[rows, k] if self.count else np.zeros(n, bool)
        thumb = np.where(chosen[:, None], self.thumb_px[rows, k], np.nan)
        landmarks = np.where(chosen[:, None, None], self.landmarks[rows, k], np.nan)
        confidence = np.where(chosen, self.confidence[rows, k], np.nan)
        handedness = np.where(chosen, self.handedness[rows, k], -1).astype(np.int8)
        return thumb, landmarks, confidence, handedness

    def to_dict(self, clean: Any) -> dict[str, Any]:
        """JSON-ready form; `clean` turns an array into lists with NaN as null."""
        return {
            "thumb_px": clean(self.thumb_px),
            "landmarks": clean(self.landmarks),
            "confidence": clean(self.confidence),
            "handedness": self.handedness.tolist(),
            "judged": self.judged.tolist(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], n: int, arr: Any) -> HandTracks:
        """From `to_dict`'s form; `arr` turns lists with nulls into float arrays."""
        h = len(d["confidence"][0]) if n else 0
        return cls(
            thumb_px=arr(d["thumb_px"]).reshape(n, h, 2),
            landmarks=arr(d["landmarks"]).reshape(n, h, N_LANDMARKS, 3),
            confidence=arr(d["confidence"]).reshape(n, h),
            handedness=np.asarray(d["handedness"], dtype=np.int8).reshape(n, h),
            judged=np.asarray(d["judged"], dtype=np.int8).reshape(n),
        )


def hand_size(landmarks: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Wrist to middle-finger base in pixels; landmarks (..., 21, 3) normalized."""
    span = landmarks[..., MIDDLE_BASE, :2] - landmarks[..., WRIST, :2]
    return np.linalg.norm(span * size, axis=-1)


def hand_distance(a: np.ndarray, b: np.ndarray, size: np.ndarray) -> np.ndarray:
    """How far hand a is from hand b, in units of a's size: the mean of the wrist's and the
    thumb tip's distances. a, b: (..., 21, 3) normalized landmarks (broadcast)."""
    points = [WRIST, THUMB_TIP]
    apart = np.linalg.norm((a[..., points, :2] - b[..., points, :2]) * size, axis=-1).mean(axis=-1)
    return apart / np.maximum(hand_size(a, size), 1.0)
