"""Reference demonstrations: an instructor's good strokes, resampled and averaged.

Every stroke is first put in path coordinates (s along the path, d across it, both in path
lengths, from the calibration), then resampled at points equally spaced by arc length in that
plane, so strokes of any speed, resolution or camera distance line up point by point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainer.core.base.errors import ComparisonError
from trainer.core.base.fields import MAX_ID, Fields, check_name
from trainer.core.path.polyline import arc_length

RESAMPLE_POINTS = 50
MAX_PROFILE_POINTS = 10_000  # a stored profile longer than this is not one of ours


@dataclass(frozen=True)
class PathProfile:
    """A stroke (or a mean of strokes) at M points equally spaced by arc length in (s, d).

    Attributes:
        s: (M,) float64 progress along the path, in path lengths (0 start, 1 end).
        d: (M,) float64 offset across the path, in path lengths (> 0 right of travel).
        speed: (M,) float64 speed along the stroke, path lengths per second.
        elapsed: (M,) float64 seconds since the stroke's first point.
    """

    s: np.ndarray
    d: np.ndarray
    speed: np.ndarray
    elapsed: np.ndarray

    def __len__(self) -> int:
        return len(self.s)

    @property
    def forward(self) -> bool:
        """The stroke runs start -> end of the path."""
        return bool(self.s[-1] > self.s[0])

    @classmethod
    def from_samples(
        cls, t: np.ndarray, s: np.ndarray, d: np.ndarray, n: int = RESAMPLE_POINTS
    ) -> PathProfile | None:
        """Resample one stroke's frames (t, s, d: (N,), NaN: no hand); None if it never moves."""
        t, s, d = (np.asarray(a, dtype=np.float64) for a in (t, s, d))
        seen = ~(np.isnan(s) | np.isnan(d))
        t, s, d = t[seen], s[seen], d[seen]
        if len(t) < 2:
            return None
        arc = arc_length(np.column_stack([s, d]))
        # Frames that did not move add no arc length; keep the first of each still run.
        moved = np.concatenate([[True], np.diff(arc) > 0])
        t, s, d, arc = t[moved], s[moved], d[moved], arc[moved]
        if len(arc) < 2:
            return None
        grid = np.linspace(0.0, arc[-1], n)
        elapsed = np.interp(grid, arc, t) - t[0]
        return cls(
            s=np.interp(grid, arc, s),
            d=np.interp(grid, arc, d),
            speed=_rate(grid, elapsed),
            elapsed=elapsed,
        )

    @classmethod
    def mean(cls, profiles: Sequence[PathProfile]) -> PathProfile:
        """Point-by-point mean of profiles of equal length."""
        if not profiles:
            raise ComparisonError("no strokes to average")
        stack = {k: np.mean([getattr(p, k) for p in profiles], axis=0) for k in _FIELDS}
        return cls(**stack)

    def to_dict(self) -> dict[str, Any]:
        return {k: np.round(getattr(self, k), 6).tolist() for k in _FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PathProfile:
        """A stored profile: s, d, speed and elapsed, finite numbers of one length."""
        f = Fields(d, "not a path profile", ComparisonError)
        m = len(f.items("s", MAX_PROFILE_POINTS))
        return cls(**{k: f.array(k, (m,), -1e9, 1e9) for k in _FIELDS})


_FIELDS = ("s", "d", "speed", "elapsed")


def _rate(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dx/dt by central differences (one-sided at the ends); t strictly increasing."""
    rate = np.empty_like(x)
    rate[1:-1] = (x[2:] - x[:-2]) / (t[2:] - t[:-2])
    rate[0] = (x[1] - x[0]) / (t[1] - t[0])
    rate[-1] = (x[-1] - x[-2]) / (t[-1] - t[-2])
    return rate


@dataclass(frozen=True)
class Reference:
    """A technique's reference: the mean path and speed profile of a demonstration's strokes.

    Attributes:
        technique: the technique's name.
        profile: the mean of the strokes' profiles (M points).
        spread: (M,) float64 standard deviation of d across the strokes, in path lengths.
        n_strokes: how many strokes were averaged.
        attempt_id: the demonstration attempt in the store, None when not stored.
    """

    technique: str
    profile: PathProfile
    spread: np.ndarray
    n_strokes: int
    attempt_id: int | None = None

    @classmethod
    def from_profiles(
        cls, technique: str, profiles: Sequence[PathProfile], attempt_id: int | None = None
    ) -> Reference:
        """The reference of strokes already resampled; only forward strokes count."""
        good = [p for p in profiles if p.forward]
        if not good:
            raise ComparisonError(f"no forward stroke to make a {technique} reference from")
        return cls(
            technique=technique,
            profile=PathProfile.mean(good),
            spread=np.std([p.d for p in good], axis=0),
            n_strokes=len(good),
            attempt_id=attempt_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "technique": self.technique,
            "n_strokes": self.n_strokes,
            "attempt_id": self.attempt_id,
            "spread": np.round(self.spread, 6).tolist(),
            **self.profile.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Reference:
        """A stored reference, every field checked (ComparisonError names the bad one)."""
        profile = PathProfile.from_dict(d)
        f = Fields(d, "not a reference profile", ComparisonError)
        attempt_id = None if d.get("attempt_id") is None else f.integer("attempt_id", 1, MAX_ID)
        return cls(
            technique=check_name(f.value("technique"), "reference technique", ComparisonError),
            profile=profile,
            spread=f.array("spread", (len(profile),), 0, 1e9),
            n_strokes=f.integer("n_strokes", 0, 10**9),
            attempt_id=attempt_id,
        )
