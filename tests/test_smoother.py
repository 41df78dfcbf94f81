"""The offline smoother: no lag, less jitter, gaps kept, glitches bridged."""

import numpy as np
import pytest

from helpers import min_jerk, path_point
from trainer.capture.filters import OneEuroFilter, smooth_track_points
from trainer.capture.smoother import RtsSmoother
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.core.track import Track


def _stroke(fps: float = 25.0, seconds: float = 0.8, length: float = 0.5):
    """A fast min-jerk stroke (0.5 of the diagonal in 0.8 s) with rests either side."""
    n = round(seconds * fps)
    x = np.concatenate([np.zeros(10), length * min_jerk(n), np.full(10, length)])
    t = np.arange(len(x)) / fps
    return t, np.stack([x, np.full_like(x, 0.3)], axis=1)


def test_no_lag_on_a_fast_stroke_where_a_causal_filter_trails():
    t, xy = _stroke()
    smooth = RtsSmoother()(t, xy)
    causal = smooth_track_points(t, xy, lambda: OneEuroFilter(1.5, 4.0, 1.0))
    moving = slice(10, len(t) - 10)
    lag_smooth = np.abs(smooth[moving, 0] - xy[moving, 0]).max()
    lag_causal = np.abs(causal[moving, 0] - xy[moving, 0]).max()
    # peak speed is 1.17 diagonals/s: one frame behind is 0.047; the smoother keeps to 1/5 of it
    assert lag_smooth < 0.01
    assert lag_causal > 3 * lag_smooth
    # nor does it lead: the error changes sign along the stroke instead of trailing it
    assert abs(np.mean(smooth[moving, 0] - xy[moving, 0])) < 0.003


def test_reduces_jitter_on_a_still_and_a_moving_thumb():
    rng = np.random.default_rng(1)
    t = np.arange(200) / 30
    truth = np.stack([0.2 + 0.05 * t, np.full_like(t, 0.4)], axis=1)  # slow steady drift
    noisy = truth + rng.normal(0, 0.003, truth.shape)
    out = RtsSmoother()(t, noisy)
    assert np.sqrt(np.mean((out - truth) ** 2)) < 0.5 * np.sqrt(np.mean((noisy - truth) ** 2))


def test_gaps_stay_gaps_and_split_the_runs():
    t = np.arange(40) / 20
    xy = np.zeros((40, 2))
    xy[:20, 0] = 0.1
    xy[20:25] = np.nan
    xy[25:, 0] = 0.6
    out = RtsSmoother()(t, xy)
    assert np.isnan(out[20:25]).all() and not np.isnan(out[:20]).any()
    # each run smoothed on its own: nothing of the first run leaks into the second
    np.testing.assert_allclose(out[:20, 0], 0.1, atol=1e-9)
    np.testing.assert_allclose(out[25:, 0], 0.6, atol=1e-9)


def test_a_short_glitch_is_bridged_from_its_neighbours():
    t = np.arange(30) / 25
    xy = np.stack([np.linspace(0.3, 0.4, 30), np.full(30, 0.5)], axis=1)
    glitched = xy.copy()
    glitched[12:15] += [0.08, -0.07]  # a wrong hand for three frames, ~0.1 of the diagonal away
    out = RtsSmoother()(t, glitched)
    assert np.abs(out - xy).max() < 0.004


def test_a_jump_that_stays_is_followed():
    t = np.arange(40) / 25
    xy = np.full((40, 2), 0.3)
    xy[20:] = 0.45  # tracking corrected: the tip really is elsewhere from here on
    out = RtsSmoother()(t, xy)
    np.testing.assert_allclose(out[26:], 0.45, atol=0.01)
    np.testing.assert_allclose(out[:15], 0.3, atol=0.01)


def test_uneven_time_steps():
    """Positions of a steady motion sampled at uneven times come out on that motion."""
    rng = np.random.default_rng(2)
    t = np.cumsum(rng.uniform(0.02, 0.08, 60))
    xy = np.stack([0.1 + 0.2 * t, 0.5 - 0.1 * t], axis=1)
    np.testing.assert_allclose(RtsSmoother()(t, xy), xy, atol=1e-3)


def test_short_runs_come_back_unchanged():
    t = np.array([0.0, 0.04, 0.5, 0.54])
    xy = np.array([[0.1, 0.1], [0.11, 0.1], [np.nan, np.nan], [0.3, 0.3]])
    out = RtsSmoother()(t, xy)
    np.testing.assert_allclose(out[[0, 1, 3]], xy[[0, 1, 3]])
    assert np.isnan(out[2]).all()


def test_a_lingering_pause_is_still_found_through_jitter():
    """The lingering thresholds (0.04 path lengths/s for 0.5 s) were set on the old causal
    filter's calm tip; the smoothed tip keeps a 1.2 s pause at the lumbar zone as one pause,
    where 0.8 px of jitter a frame hides it in the unsmoothed positions."""
    foot = load_technique("foot-spine-line")
    path = Calibration.from_technique(foot).in_pixels(640, 480)
    s = np.concatenate([np.zeros(20), 0.3 * min_jerk(30), np.full(30, 0.3)])
    s = np.concatenate([s, 0.3 + 0.7 * min_jerk(50), np.ones(50)])
    t = np.arange(len(s)) / 25.0
    clean = path_point(path, s, np.zeros_like(s))
    diag = np.hypot(640, 480)
    for seed in range(8):
        noisy = clean + np.random.default_rng(seed).normal(0, 0.8, clean.shape)
        smooth = RtsSmoother()(t, noisy / diag) * diag
        found = judge_track(Track.from_points(t, smooth), foot).lingers
        assert found == {"lumbar": {"count": 1, "seconds": pytest.approx(1.2, abs=0.4)}}
        assert judge_track(Track.from_points(t, noisy), foot).lingers == {}
