"""Lengths along a polyline: the one arc-length rule for paths, passes and strokes."""

from __future__ import annotations

import numpy as np


def arc_length(points: np.ndarray) -> np.ndarray:
    """(N,) length along the polyline through (N, 2) points at each point: 0 at the first, the
    whole length at the last (0 for fewer than 2 points)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])
