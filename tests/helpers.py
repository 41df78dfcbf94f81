"""Synthetic thumb tracks from plain lists: minimum-jerk passes along a technique's path."""

from __future__ import annotations

import numpy as np

from trainer.calibration import PathFrame
from trainer.track import Track


def min_jerk(n: int) -> np.ndarray:
    """(n,) minimum-jerk progress 0 -> 1 (Flash and Hogan 1985)."""
    tau = np.linspace(0.0, 1.0, n)
    return 10 * tau**3 - 15 * tau**4 + 6 * tau**5


def path_point(path: PathFrame, s: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Pixel points at progress s with cross-track offset d (both in path lengths)."""
    s = np.asarray(s, dtype=np.float64)
    base = path.point_at(s)
    k = np.clip(np.searchsorted(path.cum / path.length, np.clip(s, 0, 1), side="right") - 1, 0,
                len(path.seg_len) - 1)  # fmt: skip
    u = path.units[k]
    normal = np.stack([-u[:, 1], u[:, 0]], axis=1)
    return base + normal * (np.asarray(d) * path.length)[:, None]


def session(
    points: list[list[float]],
    *,
    passes: int = 5,
    pass_s: float = 3.0,
    return_s: float = 1.0,
    pause_s: float = 0.6,
    span: tuple[float, float] = (0.0, 1.0),
    offset: float = 0.0,
    wobble: float = 0.0,
    reverse: bool = False,
    noise_px: float = 0.0,
    lost: tuple[float, float] | None = None,
    fps: float = 30.0,
    width: int = 640,
    height: int = 480,
    seed: int = 0,
) -> Track:
    """A track of repeated passes (min-jerk, `pass_s` each) with quick returns between them.

    points: the path in normalized coordinates; span: the stretch of it each pass covers;
    offset: constant cross-track offset; wobble: amplitude of a sideways waviness along the
    path (both in path lengths); reverse: passes run end -> start; lost: (from_s, to_s)
    without a hand.
    """
    rng = np.random.default_rng(seed)
    path = PathFrame.from_points(np.asarray(points) * [width, height])
    a, b = span
    if reverse:
        a, b = b, a
    s_parts, t_total = [np.full(round(pause_s * fps), a)], pause_s
    for _ in range(passes):
        s_parts.append(a + (b - a) * min_jerk(round(pass_s * fps)))
        s_parts.append(np.full(round(pause_s * fps), b))
        s_parts.append(b + (a - b) * min_jerk(round(return_s * fps)))
        s_parts.append(np.full(round(pause_s * fps), a))
        t_total += pass_s + return_s + 2 * pause_s
    s = np.concatenate(s_parts)
    t = np.arange(len(s)) / fps
    d = offset + wobble * np.sin(2 * np.pi * 1.5 * s)
    xy = path_point(path, s, d) + rng.normal(0.0, noise_px, (len(s), 2)) if noise_px else None
    if xy is None:
        xy = path_point(path, s, d)
    rows: list[list[float] | None] = [list(p) for p in xy]
    if lost is not None:
        rows = [None if lost[0] <= ti < lost[1] else r for ti, r in zip(t, rows, strict=True)]
    return Track.from_points(t, rows, width, height, fps)
