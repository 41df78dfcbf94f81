"""The offline thumb smoother: a Rauch-Tung-Striebel smoother on a constant-velocity model.

A causal filter must trail a moving thumb; a review has the whole track, so it can run a
Kalman filter forward and then correct every estimate with the frames after it (Rauch, Tung
and Striebel 1965). The result has no lag. Each run of frames with a hand is smoothed on its
own, so gaps stay gaps. Real time steps are used, so variable frame rates are fine.

Before smoothing, glitches are set aside: a point far from the median of the frames around it
(a re-detection that put the hand elsewhere for a frame or three) is not measured, and the
smoother bridges it from its neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RtsSmoother:
    """Constant-velocity RTS smoother for (N, D) points sampled at times t.

    accel: white-noise acceleration density (units of the signal per s^2 per sqrt(Hz)): how
    sharply the thumb may change speed. noise: standard deviation of one measurement.
    glitch: distance from the median of the `window` frames either side that makes a point a
    glitch (units of the signal).
    """

    accel: float = 1.0
    noise: float = 0.008
    glitch: float = 0.03
    window: int = 3

    def __call__(self, t: np.ndarray, xy: np.ndarray) -> np.ndarray:
        """Smoothed copy of xy; NaN rows stay NaN and split the track into runs."""
        out = np.full(xy.shape, np.nan)
        seen = ~np.isnan(xy[:, 0])
        edges = np.flatnonzero(np.diff(np.concatenate([[0], seen.astype(np.int8), [0]])))
        for a, b in zip(edges[0::2], edges[1::2], strict=True):
            z = np.asarray(xy[a:b], np.float64)
            out[a:b] = self._run(np.asarray(t[a:b], np.float64), z, self._glitches(z))
        return out

    def _glitches(self, z: np.ndarray) -> np.ndarray:
        """(n,) bool: points far from the median of their neighbourhood (a sliding window
        median per axis follows steady motion without lag, but not a short excursion)."""
        n, w = len(z), self.window
        if n < 2 * w + 1:
            return np.zeros(n, bool)
        padded = np.concatenate([np.repeat(z[:1], w, 0), z, np.repeat(z[-1:], w, 0)])
        windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * w + 1, axis=0)
        median = np.median(windows, axis=-1)
        return np.linalg.norm(z - median, axis=1) > self.glitch

    def _run(self, t: np.ndarray, z: np.ndarray, skip: np.ndarray) -> np.ndarray:
        """One run without gaps; `skip`: points not measured (glitches). Every axis shares the
        model and the times, so the gains are computed once (2x2 covariances) for all axes."""
        n = len(t)
        if n < 3:
            return z.copy()
        q, r = self.accel**2, self.noise**2
        x = np.zeros((n, 2, z.shape[1]))  # filtered [position, velocity] per axis
        p = np.zeros((n, 2, 2))
        x_pred, p_pred = np.zeros_like(x), np.zeros_like(p)
        x[0, 0] = z[np.argmin(skip)]  # the first point measured
        p[0] = np.diag([1.0 if skip[0] else r, 1.0])  # speed (and a glitch's place) unknown
        for k in range(1, n):
            dt = t[k] - t[k - 1]
            f = np.array([[1.0, dt], [0.0, 1.0]])
            qk = q * np.array([[dt**3 / 3, dt**2 / 2], [dt**2 / 2, dt]])
            x_pred[k] = f @ x[k - 1]
            p_pred[k] = f @ p[k - 1] @ f.T + qk
            if skip[k]:
                x[k], p[k] = x_pred[k], p_pred[k]
                continue
            gain = p_pred[k][:, 0] / (p_pred[k][0, 0] + r)
            x[k] = x_pred[k] + np.outer(gain, z[k] - x_pred[k][0])
            p[k] = p_pred[k] - np.outer(gain, p_pred[k][0])
        smooth = x.copy()
        for k in range(n - 2, -1, -1):
            dt = t[k + 1] - t[k]
            f = np.array([[1.0, dt], [0.0, 1.0]])
            c = p[k] @ f.T @ np.linalg.inv(p_pred[k + 1])
            smooth[k] = x[k] + c @ (smooth[k + 1] - x_pred[k + 1])
        return smooth[:, 0]
