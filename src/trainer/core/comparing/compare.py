"""Compare a student's strokes with a reference, zone by zone along the path.

Each student stroke, resampled by arc length in path coordinates, is aligned with the part of
the reference it spans by dynamic time warping (dtaidistance's C implementation). Aligned
pairs give, at every reference point, the student's offset across the path and the time the
stroke is there. Speeds come from times between reference points, not from frame-to-frame
steps, which tracking jitter inflates.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from dtaidistance import dtw_ndim

from trainer.core.base.errors import ComparisonError
from trainer.core.comparing.reference import PathProfile, Reference
from trainer.core.judging import feedback

Zone = tuple[str, float, float]


def even_zones(n: int = 4) -> list[Zone]:
    """n equal zones named by their share of the path, for techniques without named zones."""
    edges = np.linspace(0.0, 1.0, n + 1)
    return [
        (f"{round(100 * a)}-{round(100 * b)}%", float(a), float(b))
        for a, b in itertools.pairwise(edges)
    ]


@dataclass(frozen=True)
class ZoneDiff:
    """How the student differs from the reference in one zone (NaN: the student never got there).

    offset: mean student d minus reference d, path lengths (> 0: right of travel).
    speed_ratio: the student's speed through the zone over the reference's (> 1: faster).
    student_s, reference_s: seconds spent in the zone, over the part the student covered.
    lag_s: how much later than the reference the student leaves the zone, counted from the
        first point both reached (timing: where along the path the student falls behind).
    coverage: share of the zone's points the strokes reached, averaged over strokes.
    backwards: a stroke run end to start (not compared) went through the zone.
    """

    name: str
    start: float
    end: float
    offset: float
    speed_ratio: float
    student_s: float
    reference_s: float
    lag_s: float
    coverage: float
    backwards: bool = False

    @property
    def time_diff_s(self) -> float:
        return self.student_s - self.reference_s

    def to_dict(self) -> dict[str, Any]:
        return _clean(
            {
                "name": self.name,
                "start": self.start,
                "end": self.end,
                "offset": self.offset,
                "speed_ratio": self.speed_ratio,
                "student_s": self.student_s,
                "reference_s": self.reference_s,
                "time_diff_s": self.time_diff_s,
                "lag_s": self.lag_s,
                "coverage": self.coverage,
                "backwards": self.backwards,
            }
        )


@dataclass(frozen=True)
class Comparison:
    """Student strokes against a reference; along-path arrays hold the reference's M points.

    Attributes:
        technique: the reference's technique.
        s: (M,) float64 reference progress along the path, path lengths.
        reference_d, student_d: (M,) float64 offsets across the path; student NaN where no
            stroke reached the point.
        reference_speed, student_speed: (M,) float64 path lengths per second; the student's is
            the reference's scaled by the ratio of times between neighbouring points.
        reference_elapsed, student_elapsed: (M,) float64 seconds from the first point the
            student reached (reference's from its own first point).
        zones: one ZoneDiff per zone, start to end.
        n_strokes: student strokes aligned; n_reversed: strokes run end -> start (not aligned);
        n_unmatched: strokes that overlap too little of the reference to align.
        distance: mean RMS gap between aligned points, path lengths.
    """

    technique: str
    s: np.ndarray
    reference_d: np.ndarray
    student_d: np.ndarray
    reference_speed: np.ndarray
    student_speed: np.ndarray
    reference_elapsed: np.ndarray
    student_elapsed: np.ndarray
    zones: list[ZoneDiff] = field(default_factory=list)
    n_strokes: int = 0
    n_reversed: int = 0
    n_unmatched: int = 0
    distance: float = float("nan")

    @property
    def offset(self) -> np.ndarray:
        """(M,) student minus reference offset across the path."""
        return self.student_d - self.reference_d

    def to_dict(self) -> dict[str, Any]:
        along = (
            "s",
            "reference_d",
            "student_d",
            "reference_speed",
            "student_speed",
            "reference_elapsed",
            "student_elapsed",
        )
        return _clean(
            {
                "technique": self.technique,
                "n_strokes": self.n_strokes,
                "n_reversed": self.n_reversed,
                "n_unmatched": self.n_unmatched,
                "distance": self.distance,
                "zones": [z.to_dict() for z in self.zones],
                "along": {k: getattr(self, k) for k in along},
            }
        )

    def findings(self, against: str = "the reference") -> list[str]:
        """One plain sentence per zone where the attempt differs noticeably from `against`."""
        lines = (
            feedback.zone_finding(
                z.name,
                not np.isnan(z.offset),
                z.offset,
                z.speed_ratio,
                z.lag_s,
                against,
                z.backwards,
            )
            for z in self.zones
        )
        return [line for line in lines if line is not None]


@dataclass
class _Aligned:
    """Per-stroke values at the reference points (NaN where a stroke did not reach)."""

    d: list[np.ndarray] = field(default_factory=list)
    time_at: list[np.ndarray] = field(default_factory=list)
    rms: list[float] = field(default_factory=list)


def compare(
    strokes: Sequence[PathProfile], reference: Reference, zones: Sequence[Zone] | None = None
) -> Comparison:
    """Align each forward stroke with the reference and sum up where they differ."""
    ref = reference.profile
    if len(ref) < 2:
        raise ComparisonError("the reference has fewer than 2 points")
    zones = list(zones) if zones else even_zones()
    aligned = _Aligned()
    unmatched = 0
    backwards = [(p.s.min(), p.s.max()) for p in strokes if not p.forward]
    for stroke in strokes:
        if not stroke.forward:
            continue
        elif not _align(stroke, ref, aligned):
            unmatched += 1
    m = len(ref)
    d = _nanmean(aligned.d, m)
    # Time per reference segment, each stroke's own, then averaged over strokes.
    student_seg = _nanmean([np.diff(a) for a in aligned.time_at], m - 1)
    ref_seg = np.diff(ref.elapsed)
    covered = [~np.isnan(x) for x in aligned.d]
    student_elapsed = _elapsed(student_seg)
    ref_elapsed = ref.elapsed - ref.elapsed[np.argmax(~np.isnan(student_elapsed))]
    return Comparison(
        technique=reference.technique,
        s=ref.s,
        reference_d=ref.d,
        student_d=d,
        reference_speed=ref.speed,
        student_speed=ref.speed * _point_ratio(ref_seg, student_seg),
        reference_elapsed=ref_elapsed,
        student_elapsed=student_elapsed,
        zones=[
            replace(
                _zone_diff(z, ref, d, student_seg, ref_seg, student_elapsed - ref_elapsed, covered),
                backwards=any(lo < z[2] and hi > z[1] for lo, hi in backwards),
            )
            for z in zones
        ],
        n_strokes=len(aligned.d),
        n_reversed=len(backwards),
        n_unmatched=unmatched,
        distance=float(np.mean(aligned.rms)) if aligned.rms else float("nan"),
    )


def _align(stroke: PathProfile, ref: PathProfile, out: _Aligned) -> bool:
    """DTW-align a stroke with the reference points it spans; False if it spans under 2."""
    inside = np.flatnonzero((ref.s >= stroke.s.min()) & (ref.s <= stroke.s.max()))
    if len(inside) < 2:
        return False
    j0, j1 = inside[0], inside[-1] + 1
    # Aligned on the shape across the path, not on where it lies: a stroke shifted sideways
    # would otherwise be warped toward the reference points nearest it across the path, and
    # its speed misread (the offset is measured after the alignment).
    a = np.ascontiguousarray(np.column_stack([stroke.s, stroke.d - np.mean(stroke.d)]))
    ref_d = ref.d[j0:j1]
    b = np.ascontiguousarray(np.column_stack([ref.s[j0:j1], ref_d - np.mean(ref_d)]))
    path = dtw_ndim.warping_path(a, b, use_c=True)
    pi, pj = np.asarray(path).T
    pj = pj + j0
    # The gap itself, offset included, along the alignment.
    gap = np.hypot(stroke.s[pi] - ref.s[pj], stroke.d[pi] - ref.d[pj])
    m = len(ref)
    count = np.bincount(pj, minlength=m).astype(np.float64)
    hit = count > 0
    with np.errstate(invalid="ignore"):
        d = np.bincount(pj, stroke.d[pi], minlength=m) / count
        # Mean time at each point: steadier than the first arrival where the stroke creeps.
        time_at = np.bincount(pj, stroke.elapsed[pi], minlength=m) / count
    d[~hit] = time_at[~hit] = np.nan
    out.d.append(d)
    out.time_at.append(time_at)
    out.rms.append(float(np.sqrt(np.mean(gap**2))))
    return True


def _nanmean(rows: list[np.ndarray], m: int) -> np.ndarray:
    """Column means ignoring NaN; NaN where a column has no value (and no warning)."""
    if not rows:
        return np.full(m, np.nan)
    stack = np.vstack(rows)
    n = np.sum(~np.isnan(stack), axis=0)
    total = np.nansum(stack, axis=0)
    return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def _elapsed(segments: np.ndarray) -> np.ndarray:
    """(M,) cumulative time from the first point reached; NaN where not reached."""
    out = np.full(len(segments) + 1, np.nan)
    known = ~np.isnan(segments)
    if known.any():
        first = int(np.argmax(known))
        out[first] = 0.0
        out[first + 1 :] = np.cumsum(np.where(known, segments, 0.0)[first:])
        out[1:][~known] = np.nan
    return out


def _point_ratio(ref_seg: np.ndarray, student_seg: np.ndarray, half: int = 2) -> np.ndarray:
    """(M,) reference over student time across the `half` segments either side of each point.

    A window, because times at single points are coarse (about a frame).
    """
    known = ~np.isnan(student_seg)
    kernel = np.ones(2 * half)
    points = slice(half - 1, len(ref_seg) + half)  # full convolution index j + half - 1
    ref_sum = np.convolve(np.where(known, ref_seg, 0.0), kernel)[points]
    student_sum = np.convolve(np.where(known, student_seg, 0.0), kernel)[points]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(student_sum > 0, ref_sum / student_sum, np.nan)


def _zone_diff(
    zone: Zone,
    ref: PathProfile,
    d: np.ndarray,
    student_seg: np.ndarray,
    ref_seg: np.ndarray,
    lag: np.ndarray,
    covered: list[np.ndarray],
) -> ZoneDiff:
    name, start, end = zone
    points = (ref.s >= start) & ((ref.s < end) | (end >= 1.0) & (ref.s <= end))
    mid = (ref.s[:-1] + ref.s[1:]) / 2
    segs = (mid >= start) & (mid < end) & ~np.isnan(student_seg)
    reached = points & ~np.isnan(d)
    if not reached.any():
        nan = float("nan")
        return ZoneDiff(name, start, end, nan, nan, nan, nan, nan, 0.0)
    student_s, reference_s = float(np.sum(student_seg[segs])), float(np.sum(ref_seg[segs]))
    last = np.flatnonzero(reached & ~np.isnan(lag))
    return ZoneDiff(
        name=name,
        start=start,
        end=end,
        offset=float(np.mean(d[reached] - ref.d[reached])),
        speed_ratio=reference_s / student_s if student_s > 0 else float("nan"),
        student_s=student_s,
        reference_s=reference_s,
        lag_s=float(lag[last[-1]]) if len(last) else float("nan"),
        coverage=float(np.mean([c[points].mean() for c in covered])),
    )


def _clean(value: Any) -> Any:
    """JSON-ready: arrays to lists, NaN to None, floats rounded."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    return value
