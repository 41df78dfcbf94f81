"""Where the path is in each frame when it follows the body part: per-frame similarities.

The path is given in the first frame; a 2x3 similarity matrix per frame maps first-frame
pixels to that frame's pixels (`capture/body.py` estimates them). Scoring maps the thumb back
into the first frame with the inverse, so the path the core judges against never moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
LOST_MIN_S = 0.2  # shorter losses of the body part are not worth a sentence


def apply(matrix: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """(N, 2) points moved by a 2x3 matrix."""
    p = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    return p @ matrix[:, :2].T + matrix[:, 2]


def invert(matrix: np.ndarray) -> np.ndarray:
    """The 2x3 matrix undoing `matrix` (a similarity: never singular unless scale 0)."""
    linear = np.linalg.inv(matrix[:, :2])
    return np.hstack([linear, -(linear @ matrix[:, 2])[:, None]])


@dataclass(frozen=True)
class PathPose:
    """The path in one frame: matrix (2, 3) first frame -> this frame, pixels; lost: the body
    part could not be followed in this frame, so the matrix is the last one that was."""

    matrix: np.ndarray
    lost: bool = False

    def to_first(self, xy: np.ndarray) -> np.ndarray:
        """(N, 2) points of this frame in first-frame pixels."""
        return apply(invert(self.matrix), xy)


FIXED = PathPose(IDENTITY)


@dataclass(frozen=True)
class PathMotion:
    """The path through a video: matrices (N, 2, 3) first frame -> frame i; lost (N,) bool."""

    matrices: np.ndarray
    lost: np.ndarray

    def __len__(self) -> int:
        return len(self.lost)

    def __getitem__(self, i: int) -> PathPose:
        return PathPose(self.matrices[i], bool(self.lost[i]))

    @classmethod
    def from_poses(cls, poses: list[PathPose]) -> PathMotion:
        matrices = np.array([p.matrix for p in poses], dtype=np.float64).reshape(-1, 2, 3)
        return cls(matrices, np.array([p.lost for p in poses], dtype=bool))

    @property
    def followed_share(self) -> float:
        """Share of the frames in which the body part was followed."""
        return float(1.0 - self.lost.mean()) if len(self) else 0.0

    def to_first(self, xy: np.ndarray) -> np.ndarray:
        """(N, 2) per-frame points (frame i's in row i) in first-frame pixels; NaN stays NaN."""
        linear = np.linalg.inv(self.matrices[:, :, :2])
        rel = np.asarray(xy, dtype=np.float64) - self.matrices[:, :, 2]
        return np.einsum("nij,nj->ni", linear, rel)

    def lost_spans(self, t: np.ndarray, min_s: float = LOST_MIN_S) -> list[tuple[float, float]]:
        """(start, end) seconds of each run of lost frames lasting at least min_s."""
        return lost_spans(np.asarray(t, dtype=np.float64), self.lost, min_s)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: per frame the matrix's two rows (a, b, tx), (c, d, ty), and lost spans."""
        return {
            "transforms": np.round(self.matrices, 5).tolist(),
            "lost": np.flatnonzero(self.lost).tolist(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PathMotion:
        matrices = np.asarray(d["transforms"], dtype=np.float64).reshape(-1, 2, 3)
        lost = np.zeros(len(matrices), dtype=bool)
        lost[np.asarray(d.get("lost", []), dtype=int)] = True
        return cls(matrices, lost)


class PoseLog:
    """Poses appended frame by frame, readable as a PathMotion at any time without copying
    the whole history (the live scorer summarizes after every stroke)."""

    def __init__(self, frames_before: int = 0) -> None:
        self._matrices = np.empty((max(64, 2 * frames_before), 2, 3))
        self._lost = np.zeros(len(self._matrices), dtype=bool)
        self._matrices[:frames_before] = IDENTITY
        self._n = frames_before

    def append(self, pose: PathPose) -> None:
        if self._n == len(self._lost):
            self._matrices = np.concatenate([self._matrices, np.empty_like(self._matrices)])
            self._lost = np.concatenate([self._lost, np.zeros_like(self._lost)])
        self._matrices[self._n] = pose.matrix
        self._lost[self._n] = pose.lost
        self._n += 1

    def motion(self) -> PathMotion:
        return PathMotion(self._matrices[: self._n], self._lost[: self._n])


def lost_spans(t: np.ndarray, lost: np.ndarray, min_s: float) -> list[tuple[float, float]]:
    """(start, end) seconds of runs of True in `lost` (end: the first frame found again, or the
    last frame), keeping runs of at least min_s."""
    spans = []
    edges = np.flatnonzero(np.diff(np.r_[0, lost.astype(np.int8), 0]))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        start, end = float(t[a]), float(t[min(b, len(t) - 1)])
        if end - start >= min_s:
            spans.append((round(start, 3), round(end, 3)))
    return spans
