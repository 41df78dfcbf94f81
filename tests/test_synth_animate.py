"""The stroke animator: each case's motion is what its name and the shared vocabulary say."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from trainer.core.base.errors import TrainerError
from trainer.synth.animate import (
    CASES,
    LIFT,
    OFF_LINE,
    PARTIAL,
    Line,
    Pass,
    Plan,
    animate,
    min_jerk,
    plan_for,
)
from trainer.synth.scene import HOLDS, TECHNIQUES, guide

SIZE = (640, 360)
FPS = 25.0


def motion(technique: str, case: str | Plan, seed: int = 0):
    rng = np.random.default_rng(seed)
    plan = plan_for(case, rng) if isinstance(case, str) else case
    path = guide(technique) * SIZE
    side = np.array(HOLDS[technique].lift_side)
    return plan, path, animate(plan, path, side, -side, SIZE, FPS, rng)


def cross_track(points: np.ndarray, path: np.ndarray) -> np.ndarray:
    """(n,) distance of each point to the polyline."""
    best = np.full(len(points), np.inf)
    for a, b in itertools.pairwise(path):
        d = b - a
        t = np.clip((points - a) @ d / (d @ d), 0, 1)
        best = np.minimum(best, np.linalg.norm(points - (a + t[:, None] * d), axis=1))
    return best


def along(points: np.ndarray, path: np.ndarray) -> np.ndarray:
    """(n,) share of the path at the nearest point of the polyline."""
    fine = Line(path).at(np.linspace(0, 1, 2001))[0]
    nearest = np.argmin(np.linalg.norm(points[:, None] - fine[None], axis=2), axis=1)
    return nearest / 2000


def passes(m) -> list[np.ndarray]:
    return [np.flatnonzero(m.stroke == k) for k in range(m.stroke.max() + 1)]


def test_min_jerk_starts_and_ends_at_rest():
    tau = np.linspace(0, 1, 101)
    s = min_jerk(tau)
    assert s[0] == 0 and s[-1] == pytest.approx(1)
    assert s[50] == pytest.approx(0.5)
    assert np.all(np.diff(s) >= 0)
    assert np.diff(s)[0] < 1e-4 and np.diff(s)[-1] < 1e-4  # no speed at either end
    assert np.diff(s)[50] == pytest.approx(1.875 / 100, rel=0.01)  # peak speed 15/8


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_correct_runs_start_to_end_on_the_line(technique):
    plan, path, m = motion(technique, "correct")
    length = Line(path).length
    assert len(passes(m)) == len(plan.passes) == 3
    for idx in passes(m):
        s = along(m.thumb_px[idx], path)
        assert s[0] < 0.03 and s[-1] > 0.97
        assert np.all(np.diff(s) > -0.01)
        assert cross_track(m.thumb_px[idx], path).mean() / length < 0.03


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_reversed_runs_end_to_start(technique):
    plan, path, m = motion(technique, "reversed")
    assert not plan.direction_ok
    for idx in passes(m):
        s = along(m.thumb_px[idx], path)
        assert s[0] > 0.97 and s[-1] < 0.03
        assert np.all(np.diff(s) < 0.01)


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_off_line_offset_is_the_share_asked_for(technique):
    _, path, m = motion(technique, "off_line")
    length = Line(path).length
    for idx in passes(m):
        offset = cross_track(m.thumb_px[idx], path) / length
        assert np.median(offset) == pytest.approx(OFF_LINE, abs=0.01)
        assert offset.mean() > 0.2


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_partial_covers_only_part_of_the_path(technique):
    _, path, m = motion(technique, "partial")
    for idx in passes(m):
        s = along(m.thumb_px[idx], path)
        assert s.min() < 0.02
        assert s.max() == pytest.approx(PARTIAL, abs=0.02)


@pytest.mark.parametrize(
    ("case", "low", "high"),
    [("correct", 2.5, 4.0), ("too_fast", 0.0, 1.0), ("too_slow", 10.0, 30.0)],
)
def test_pass_durations_match_the_shared_numbers(case, low, high):
    for seed in range(3):
        _, _, m = motion("foot-spine-line", case, seed)
        for idx in passes(m):
            duration = len(idx) / FPS
            assert low <= duration <= high


def test_timing_follows_the_speed_profile():
    plan = Plan([Pass(3.0)])
    _, path, m = motion("neck-back-stroke", plan)
    (idx,) = passes(m)
    tau = (m.t[idx] - m.t[idx[0]]) / 3.0
    s = along(m.thumb_px[idx], path)
    np.testing.assert_allclose(s, min_jerk(tau), atol=0.015)


def test_hand_is_lifted_between_passes():
    _, path, m = motion("foot-spine-line", "correct")
    length = Line(path).length
    between = (m.stroke == -1) & (m.lift == 1.0)
    assert between.sum() > FPS  # over a second of lifted travel
    off = cross_track(m.thumb_px[between], path) / length
    assert np.median(off) == pytest.approx(LIFT, abs=0.03)


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_hand_lost_leaves_the_frame_mid_session(technique):
    _, _, m = motion(technique, "hand_lost")
    w, h = SIZE
    out = ~((m.thumb_px >= 0) & (m.thumb_px < [w, h])).all(axis=1)
    assert not out[:5].any() and not out[-5:].any()
    runs = np.diff(np.r_[0, out.astype(int), 0])
    starts, ends = np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)
    assert len(starts) == 1
    # The README: after the second of three passes, out of the picture for over 2 s.
    assert (ends[0] - starts[0]) / FPS > 2.0
    assert np.unique(m.stroke[: starts[0]]).tolist() == [-1, 0, 1]
    assert np.unique(m.stroke[ends[0] :]).tolist() == [-1, 2]


@pytest.mark.parametrize("case", CASES)
def test_every_case_is_a_sample_length_session(case):
    plan, _, m = motion("foot-spine-line", case)
    assert 8.0 <= m.t[-1] <= 20.0
    assert np.all(np.diff(m.t) == pytest.approx(1 / FPS))
    assert np.all(np.abs(m.turn) < np.radians(10))
    assert plan.faults == ([] if case in ("correct", "dim") else [case])  # dim: a correct one


def test_unknown_case_is_refused():
    with pytest.raises(TrainerError, match="unknown case"):
        plan_for("sideways", np.random.default_rng(0))
