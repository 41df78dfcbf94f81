"""The thumb-tip track: what the tracker saw, frame by frame, as parallel numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainer.core.hands import N_LANDMARKS, THUMB_TIP, HandTracks

__all__ = ["LEFT", "NO_HAND", "N_LANDMARKS", "RIGHT", "THUMB_TIP", "HandTracks", "Track"]

LEFT, RIGHT, NO_HAND = 0, 1, -1
MIN_STEP_S = 1e-3  # frames closer than this are taken a millisecond apart (or refused)


@dataclass(frozen=True)
class Track:
    """One video's thumb track; N frames, none ever dropped.

    Attributes:
        t: (N,) float64 seconds from the stream's timestamps.
        thumb_px: (N, 2) float64 smoothed tip of the judged thumb in pixels of the original
            frame; NaN: no hand.
        landmarks: (N, 21, 3) float64 raw landmarks of the judged hand, x and y normalized to
            the frame, z relative.
        confidence: (N,) float64 handedness score of the judged hand; NaN: no hand.
        handedness: (N,) int8, LEFT, RIGHT or NO_HAND.
        width, height: the original frame size in pixels (after rotation).
        fps: the stream's nominal frame rate (informational; `t` is what counts).
        hands: every hand followed, when there were several (None: one hand, the judged one).
    """

    t: np.ndarray
    thumb_px: np.ndarray
    landmarks: np.ndarray
    confidence: np.ndarray
    handedness: np.ndarray
    width: int
    height: int
    fps: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)
    hands: HandTracks | None = None

    def __post_init__(self) -> None:
        n = len(self.t)
        shapes = {
            "thumb_px": (self.thumb_px.shape, (n, 2)),
            "landmarks": (self.landmarks.shape, (n, N_LANDMARKS, 3)),
            "confidence": (self.confidence.shape, (n,)),
            "handedness": (self.handedness.shape, (n,)),
        }
        for name, (got, want) in shapes.items():
            if got != want:
                raise ValueError(f"Track.{name} has shape {got}, expected {want}")
        if n > 1 and np.any(np.diff(self.t) <= 0):
            raise ValueError("Track.t must be strictly increasing")
        if self.hands is not None:
            self.hands.check(n)

    def __len__(self) -> int:
        return len(self.t)

    @property
    def size(self) -> np.ndarray:
        return np.array([self.width, self.height], dtype=np.float64)

    @property
    def thumb(self) -> np.ndarray:
        """(N, 2) thumb tip normalized to the frame (0..1)."""
        return self.thumb_px / self.size

    @property
    def detected(self) -> np.ndarray:
        """(N,) bool: a hand was found in the frame."""
        return ~np.isnan(self.thumb_px[:, 0])

    @property
    def detected_fraction(self) -> float:
        return float(self.detected.mean()) if len(self) else 0.0

    @property
    def all_hands(self) -> HandTracks:
        """Every followed hand; a one-hand track gives its own hand as hand 0."""
        if self.hands is not None:
            return self.hands
        return HandTracks(
            self.thumb_px[:, None],
            self.landmarks[:, None],
            self.confidence[:, None],
            self.handedness[:, None],
            np.where(self.detected, 0, -1).astype(np.int8),
        )

    @property
    def duration_s(self) -> float:
        if len(self) < 2:
            return 0.0
        return float(self.t[-1] - self.t[0] + np.median(np.diff(self.t)))

    def __getitem__(self, index: slice | np.ndarray) -> Track:
        return Track(
            t=self.t[index],
            thumb_px=self.thumb_px[index],
            landmarks=self.landmarks[index],
            confidence=self.confidence[index],
            handedness=self.handedness[index],
            width=self.width,
            height=self.height,
            fps=self.fps,
            meta=dict(self.meta),
            hands=None if self.hands is None else self.hands[index],
        )

    @classmethod
    def from_points(
        cls,
        t: list[float] | np.ndarray,
        thumb_px: list[list[float] | None] | np.ndarray,
        width: int = 640,
        height: int = 480,
        fps: float = 0.0,
    ) -> Track:
        """A track from plain lists (None for a frame with no hand); landmarks stay NaN."""
        xy = np.array(
            [(np.nan, np.nan) if p is None else p for p in thumb_px], dtype=np.float64
        ).reshape(-1, 2)
        n = len(xy)
        found = ~np.isnan(xy[:, 0])
        landmarks = np.full((n, N_LANDMARKS, 3), np.nan)
        landmarks[found, THUMB_TIP, :2] = xy[found] / [width, height]
        landmarks[found, THUMB_TIP, 2] = 0.0
        return cls(
            t=np.asarray(t, dtype=np.float64),
            thumb_px=xy,
            landmarks=landmarks,
            confidence=np.where(found, 1.0, np.nan),
            handedness=np.where(found, RIGHT, NO_HAND).astype(np.int8),
            width=width,
            height=height,
            fps=fps,
        )

    @classmethod
    def from_hands(
        cls,
        t: np.ndarray,
        hands: HandTracks,
        width: int,
        height: int,
        fps: float = 0.0,
        meta: dict[str, Any] | None = None,
    ) -> Track:
        """A track of the hands followed, the judged hand's arrays as its own. With one hand
        ever seen, the track holds that hand alone (no `hands`), as tracks always did."""
        used = np.flatnonzero(hands.seen.any(axis=0))
        several = len(used) >= 2
        if not several:
            hands = hands.only(int(used[0]) if len(used) else 0)
        thumb, landmarks, confidence, handedness = hands.pick(hands.judged)
        return cls(
            t=np.asarray(t, dtype=np.float64),
            thumb_px=thumb,
            landmarks=landmarks,
            confidence=confidence,
            handedness=handedness,
            width=width,
            height=height,
            fps=fps,
            meta=dict(meta or {}),
            hands=hands if several else None,
        )

    @classmethod
    def empty(cls, width: int, height: int, fps: float = 0.0) -> Track:
        return cls.from_points([], [], width, height, fps)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; NaN becomes null."""

        def clean(a: np.ndarray) -> Any:
            obj = np.round(a, 6).astype(object)
            obj[np.isnan(a)] = None
            return obj.tolist()

        out = {
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "meta": self.meta,
            "t": np.round(self.t, 6).tolist(),
            "thumb_px": clean(self.thumb_px),
            "landmarks": clean(self.landmarks),
            "confidence": clean(self.confidence),
            "handedness": self.handedness.tolist(),
        }
        if self.hands is not None:
            out["hands"] = self.hands.to_dict(clean)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Track:
        def arr(v: Any) -> np.ndarray:
            return np.array(v, dtype=object).astype(np.float64) if len(v) else np.array(v, float)

        n = len(d["t"])
        return cls(
            t=np.asarray(d["t"], dtype=np.float64),
            thumb_px=arr(d["thumb_px"]).reshape(n, 2),
            landmarks=arr(d["landmarks"]).reshape(n, N_LANDMARKS, 3),
            confidence=arr(d["confidence"]).reshape(n),
            handedness=np.asarray(d["handedness"], dtype=np.int8).reshape(n),
            width=int(d["width"]),
            height=int(d["height"]),
            fps=float(d.get("fps", 0.0)),
            meta=dict(d.get("meta", {})),
            hands=HandTracks.from_dict(d["hands"], n, arr) if d.get("hands") else None,
        )
