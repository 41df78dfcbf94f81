"""Where the reference path lies in the frame, and projection of thumb points onto it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from trainer.core.base.errors import CalibrationError
from trainer.core.base.fields import Fields, check_name
from trainer.core.path.polyline import arc_length
from trainer.core.technique import Technique

MAX_POINTS = 64  # projecting N frames costs N x points: a hostile file must not ask for more
PROJECT_CHUNK = 8192  # frames projected at once


@dataclass(frozen=True)
class Calibration:
    """The reference path, START to END, in normalized frame coordinates.

    Attributes:
        points: (K, 2) float64, K >= 2, x and y in 0..1 (origin top-left).
        technique: the technique it was marked for; None when not tied to one.
        source: "guide", "file" or "line", for reports.
    """

    points: np.ndarray
    technique: str | None = None
    source: str = "guide"

    def __post_init__(self) -> None:
        pts = np.asarray(self.points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2 or not 2 <= len(pts) <= MAX_POINTS:
            raise CalibrationError(f"a calibration needs 2 to {MAX_POINTS} [x, y] points")
        if not np.all(np.isfinite(pts)):
            raise CalibrationError("calibration points must be finite numbers")
        outside = np.flatnonzero(np.any((pts < 0) | (pts > 1), axis=1))
        if len(outside):
            k = int(outside[0])
            which = "start" if k == 0 else "end" if k == len(pts) - 1 else f"point {k + 1}"
            x, y = pts[k]
            raise CalibrationError(
                f"the path's {which} ({x:g}, {y:g}) falls outside the frame: calibration points "
                "are shares of the frame's width and height, from 0 to 1 (mark them on the picture)"
            )
        if np.any(np.all(np.diff(pts, axis=0) == 0, axis=1)):
            raise CalibrationError("calibration points must not repeat a point back to back")
        object.__setattr__(self, "points", pts)

    @classmethod
    def from_technique(cls, technique: Technique) -> Calibration:
        """The technique's framing guide."""
        return cls(np.array(technique.guide), technique.name, "guide")

    @classmethod
    def from_line(cls, text: str, technique: str | None = None) -> Calibration:
        """Parse "x1,y1,x2,y2" (normalized, start to end)."""
        try:
            values = [float(v) for v in text.split(",")]
        except ValueError:
            values = []
        if len(values) != 4:
            raise CalibrationError(f"--line wants x1,y1,x2,y2 as four numbers, got {text!r}")
        return cls(np.array(values).reshape(2, 2), technique, "line")

    @classmethod
    def from_dict(cls, d: Any) -> Calibration:
        if not isinstance(d, dict) or "points" not in d:
            raise CalibrationError('a calibration is an object with "points": [[x, y], ...]')
        technique = d.get("technique")
        if technique is not None:
            check_name(technique, 'calibration "technique"', CalibrationError)
        f = Fields(d, "", CalibrationError)
        n = len(f.items("points", MAX_POINTS))
        return cls(f.array("points", (n, 2)), technique, "file")

    def to_dict(self) -> dict[str, Any]:
        return {"technique": self.technique, "points": np.round(self.points, 6).tolist()}

    def mirrored(self) -> Calibration:
        """The same path in the picture flipped left to right (a mirrored view, the other foot)."""
        flipped = np.column_stack([1.0 - self.points[:, 0], self.points[:, 1]])
        return Calibration(flipped, self.technique, self.source)

    def check_technique(self, technique: Technique) -> None:
        """Refuse a calibration marked for another technique."""
        if self.technique is not None and self.technique != technique.name:
            raise CalibrationError(
                f"this calibration is for {self.technique!r}, not {technique.name!r}"
            )

    def in_pixels(self, width: int, height: int) -> PathFrame:
        return PathFrame.from_points(self.points * [width, height])


def calibration_for(technique: Technique, calibration: Calibration | None = None) -> Calibration:
    """The calibration to judge against: the one given (checked against the technique), else
    the technique's framing guide."""
    if calibration is None:
        return Calibration.from_technique(technique)
    calibration.check_technique(technique)
    return calibration


def fit_guide(guide: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The guide's shape moved, turned and scaled so its ends land on `start` and `end`.

    Points are normalized (K, 2); the result is clipped to the frame.
    """
    a, b = guide[0], guide[-1]
    src = complex(*(b - a))
    dst = complex(*(np.asarray(end, float) - np.asarray(start, float)))
    if src == 0 or dst == 0:
        return np.array([start, end], dtype=np.float64)
    z = (guide[:, 0] - a[0]) + 1j * (guide[:, 1] - a[1])
    moved = z * (dst / src) + complex(*start)
    return np.clip(np.stack([moved.real, moved.imag], axis=1), 0.0, 1.0)


@dataclass(frozen=True)
class PathFrame:
    """The path as a pixel polyline; projects points to progress s and cross-track d.

    Both s and d are in units of the path length: s = 0 at the start, 1 at the end, beyond
    that along the extended end segments; d > 0 lies to the right of the direction of travel
    as seen on screen (image y points down).

    Attributes:
        points: (K, 2) vertices in pixels.
        starts: (K-1, 2) segment start points; units: (K-1, 2) unit direction vectors.
        seg_len: (K-1,) segment lengths; cum: (K,) length along the path at each vertex.
        length: total length in pixels.
    """

    points: np.ndarray
    starts: np.ndarray
    units: np.ndarray
    seg_len: np.ndarray
    cum: np.ndarray
    length: float

    @classmethod
    def from_points(cls, points_px: np.ndarray) -> PathFrame:
        pts = np.asarray(points_px, dtype=np.float64)
        vec = np.diff(pts, axis=0)
        seg_len = np.hypot(vec[:, 0], vec[:, 1])
        if np.any(seg_len <= 0):
            raise CalibrationError("the path has a zero-length segment")
        cum = arc_length(pts)
        return cls(pts, pts[:-1], vec / seg_len[:, None], seg_len, cum, float(cum[-1]))

    def project(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N, 2) pixel points -> s (N,), d (N,); NaN points give NaN."""
        p = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        if len(p) > PROJECT_CHUNK:  # N x segments temporaries: bounded however long the track
            parts = [
                self.project(p[i : i + PROJECT_CHUNK]) for i in range(0, len(p), PROJECT_CHUNK)
            ]
            return np.concatenate([s for s, _ in parts]), np.concatenate([d for _, d in parts])
        rel = p[:, None, :] - self.starts[None, :, :]  # (N, K-1, 2)
        along = np.einsum("nkj,kj->nk", rel, self.units)
        cross = rel[..., 1] * self.units[:, 0] - rel[..., 0] * self.units[:, 1]
        clamped = np.clip(along, 0.0, self.seg_len)
        dist2 = (along - clamped) ** 2 + cross**2
        nearest = np.argmin(np.where(np.isnan(dist2), np.inf, dist2), axis=1)
        rows = np.arange(len(p))
        a = clamped[rows, nearest]
        # Past either end, follow the extended end segment so s can leave 0..1.
        last = len(self.seg_len) - 1
        raw = along[rows, nearest]
        a = np.where((nearest == 0) & (raw < 0), raw, a)
        a = np.where((nearest == last) & (raw > self.seg_len[last]), raw, a)
        c = cross[rows, nearest]
        # In the outer wedge of a bend the nearest point is the vertex itself.
        gap = raw - a
        d = np.sign(c) * np.sqrt(c**2 + gap**2)
        s = (self.cum[nearest] + a) / self.length
        return s, d / self.length

    def point_at(self, s: np.ndarray | float) -> np.ndarray:
        """Pixel point(s) at progress s along the path (clipped to 0..1)."""
        s = np.clip(np.atleast_1d(np.asarray(s, dtype=np.float64)), 0, 1) * self.length
        x = np.interp(s, self.cum, self.points[:, 0])
        y = np.interp(s, self.cum, self.points[:, 1])
        return np.stack([x, y], axis=1)
