"""The One-Euro filter (Casiez, Roussel and Vogel, CHI 2012) for jittery positions.

Low cut-off when the thumb is still (less jitter), higher when it moves fast (less lag).
It uses the real time step between samples, so variable frame rates are handled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


def _alpha(cutoff_hz: float, dt: float) -> float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


@dataclass
class OneEuroFilter:
    """Smooths a stream of D-dimensional points; `reset()` after a gap.

    min_cutoff (Hz) sets the smoothing at rest; beta how fast the cut-off rises with speed
    (in units of the signal per second); d_cutoff (Hz) smooths the speed estimate itself.
    """

    min_cutoff: float = 1.0
    beta: float = 0.02
    d_cutoff: float = 1.0
    _x: np.ndarray | None = field(default=None, init=False, repr=False)
    _dx: np.ndarray | None = field(default=None, init=False, repr=False)
    _t: float = field(default=0.0, init=False, repr=False)

    def reset(self) -> None:
        self._x = self._dx = None

    def __call__(self, t: float, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if self._x is None or t <= self._t:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t
            return x.copy()
        dt = t - self._t
        dx = (x - self._x) / dt
        self._dx = self._dx + _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self.beta * float(np.linalg.norm(self._dx))
        self._x = self._x + _alpha(cutoff, dt) * (x - self._x)
        self._t = t
        return self._x.copy()


def smooth_track_points(t: np.ndarray, xy: np.ndarray, make_filter) -> np.ndarray:
    """Filter (N, D) points sampled at times t with a causal filter from `make_filter()`; NaN
    rows stay NaN and restart it, as the live tracker does."""
    out = np.full_like(xy, np.nan, dtype=np.float64)
    f = make_filter()
    for i, (ti, p) in enumerate(zip(t, xy, strict=True)):
        if np.isnan(p[0]):
            f.reset()
            continue
        out[i] = f(float(ti), p)
    return out
