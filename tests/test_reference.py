"""Reference profiles: arc-length resampling in path coordinates and the mean of strokes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from trainer.core.base.errors import ComparisonError
from trainer.core.comparing.reference import RESAMPLE_POINTS, PathProfile, Reference


def eased(duration: float, fps: float = 30.0, s1: float = 1.0, wobble: float = 0.02):
    """A pass start -> s1 that speeds up and slows down, with a gentle sideways curve."""
    t = np.arange(0.0, duration, 1 / fps)
    s = s1 * (0.5 - 0.5 * np.cos(np.pi * t / duration))
    return t, s, wobble * np.sin(2 * np.pi * s)


def test_straight_constant_speed_stroke():
    t = np.linspace(0, 3, 91)
    p = PathProfile.from_samples(t, t / 3, np.zeros_like(t))
    assert len(p) == RESAMPLE_POINTS
    np.testing.assert_allclose(p.s, np.linspace(0, 1, RESAMPLE_POINTS), atol=1e-9)
    np.testing.assert_allclose(p.d, 0, atol=1e-12)
    np.testing.assert_allclose(p.speed, 1 / 3, rtol=1e-6)
    np.testing.assert_allclose(p.elapsed, np.linspace(0, 3, RESAMPLE_POINTS), atol=1e-9)
    assert p.forward and p.elapsed[-1] == pytest.approx(3)


def test_points_are_equally_spaced_along_the_stroke_whatever_its_pace():
    t, s, d = eased(3.0)
    p = PathProfile.from_samples(t, s, d)
    steps = np.hypot(np.diff(p.s), np.diff(p.d))
    np.testing.assert_allclose(steps, steps.mean(), rtol=0.02)
    # Slow at both ends, fast in the middle.
    assert p.speed[RESAMPLE_POINTS // 2] > 3 * p.speed[1]


def test_frame_rate_does_not_change_the_profile():
    slow = PathProfile.from_samples(*eased(3.0, fps=25))
    fast = PathProfile.from_samples(*eased(3.0, fps=60))
    np.testing.assert_allclose(slow.s, fast.s, atol=0.01)
    np.testing.assert_allclose(slow.d, fast.d, atol=0.002)
    np.testing.assert_allclose(slow.elapsed, fast.elapsed, atol=0.06)


def test_pauses_and_lost_frames_are_time_not_distance():
    t = np.arange(0, 4, 1 / 30)
    # Still for 0.5 s, then 1 path length per second, then still again; 5 frames lost.
    s = np.where(t < 0.5, 0, np.minimum(t - 0.5, 1.0))
    d = np.zeros_like(t)
    s[40:45] = np.nan
    p = PathProfile.from_samples(t, s, d)
    assert p.elapsed[0] == 0
    assert p.elapsed[-1] == pytest.approx(1.5, abs=0.04)  # from the last still frame to s = 1
    np.testing.assert_allclose(p.s[-1], 1.0)
    assert PathProfile.from_samples(t, np.full_like(t, 0.3), d) is None
    assert PathProfile.from_samples(t[:1], s[:1], d[:1]) is None


def test_reference_is_the_mean_of_forward_strokes():
    wobbles = [0.01, 0.02, 0.03]
    profiles = [
        PathProfile.from_samples(*eased(dur, wobble=w))
        for dur, w in zip([2.5, 3, 3.5], wobbles, strict=True)
    ]
    t, s, d = eased(3.0)
    backwards = PathProfile.from_samples(t, 1 - s, d)
    ref = Reference.from_profiles("foot-spine-line", [*profiles, backwards], attempt_id=7)
    assert ref.n_strokes == 3 and ref.attempt_id == 7
    assert ref.profile.elapsed[-1] == pytest.approx(3.0, abs=0.05)
    mid = RESAMPLE_POINTS // 4  # near s = 0.25 the curve is at its widest
    assert ref.profile.d[mid] == pytest.approx(np.mean([p.d[mid] for p in profiles]))
    assert ref.spread[mid] == pytest.approx(np.std([p.d[mid] for p in profiles]))
    with pytest.raises(ComparisonError, match="no forward stroke"):
        Reference.from_profiles("foot-spine-line", [backwards])


def test_reference_dict_round_trip():
    ref = Reference.from_profiles("neck-back-stroke", [PathProfile.from_samples(*eased(3.0))])
    again = Reference.from_dict(json.loads(json.dumps(ref.to_dict())))
    assert (again.technique, again.n_strokes, again.attempt_id) == ("neck-back-stroke", 1, None)
    np.testing.assert_allclose(again.profile.speed, ref.profile.speed, atol=1e-6)
    np.testing.assert_allclose(again.spread, ref.spread, atol=1e-6)
    with pytest.raises(ComparisonError, match="must be a list of 50 numbers"):
        Reference.from_dict({**ref.to_dict(), "d": [0.0]})
    with pytest.raises(ComparisonError, match="not a reference"):
        Reference.from_dict({k: v for k, v in ref.to_dict().items() if k != "spread"})


def test_arc_length_counts_movement_across_the_path_too():
    # 0.3 along the path in the first second, then 0.4 across it in the next: 0.7 in all,
    # so 8 points fall 0.1 apart, three on the first leg after the start and four on the second.
    p = PathProfile.from_samples(np.array([0.0, 1.0, 2.0]), [0.0, 0.3, 0.3], [0.0, 0.0, 0.4], n=8)
    np.testing.assert_allclose(p.s, [0, 0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3], atol=1e-12)
    np.testing.assert_allclose(p.d, [0, 0, 0, 0, 0.1, 0.2, 0.3, 0.4], atol=1e-12)
    np.testing.assert_allclose(p.elapsed, [0, 1 / 3, 2 / 3, 1, 1.25, 1.5, 1.75, 2], atol=1e-12)
