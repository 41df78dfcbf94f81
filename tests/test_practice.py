"""Practice frame by frame: the coach's view, the session across threads, the tracker pool."""

from __future__ import annotations

import numpy as np
import pytest

from attempt_data import SAMPLES
from clips import make_stroke_clip, thumb_plan
from conftest import require
from trainer.capture.video import read_frames
from trainer.core.judging.feedback import clock, exercise_clock
from trainer.core.path.calibration import Calibration, fit_guide
from trainer.core.technique import load_technique
from trainer.overlay.coach import Coach
from trainer.overlay.palette import FAULTY, GOOD, GOOD_STROKE, NOT_SCORED, UNJUDGED
from trainer.practice.live import LivePractice
from trainer.practice.pool import TrackerPool

W, H, FPS = 640, 480, 25.0


@pytest.fixture(scope="module")
def foot():
    return load_technique("foot-spine-line")


def test_clocks(foot):
    assert clock(0) == "0:00"
    assert clock(125.4) == "2:05"
    assert clock(59.6) == "1:00"
    assert exercise_clock(65, foot) == "1:05 of 2-5 min"


def test_fit_guide_puts_the_ends_on_the_marks_and_keeps_the_bend(foot):
    guide = np.array(foot.guide)
    start, end = np.array([0.1, 0.7]), np.array([0.9, 0.7])
    fitted = fit_guide(guide, start, end)
    np.testing.assert_allclose(fitted[0], start, atol=1e-12)
    np.testing.assert_allclose(fitted[-1], end, atol=1e-12)
    # The middle vertex stays on the same side of the chord, in proportion.
    assert fitted[1, 1] < 0.7
    # Flipped: the path runs the other way and bends the other way.
    flipped = fit_guide(guide, end, start)
    assert flipped[1, 1] > 0.7


def test_fit_guide_of_a_straight_guide_is_the_marked_line():
    fitted = fit_guide(np.array([[0.5, 0.2], [0.5, 0.8]]), [0.3, 0.3], [0.6, 0.9])
    np.testing.assert_allclose(fitted, [[0.3, 0.3], [0.6, 0.9]], atol=1e-12)


def run_coach(technique, plan: np.ndarray) -> Coach:
    coach = Coach(technique, None, W, H)
    for i, xy in enumerate(plan):
        coach.step(i / FPS, xy)
    return coach


def test_coach_counts_good_strokes_and_colours_them(foot):
    path = np.array(foot.guide) * [W, H]
    coach = run_coach(foot, thumb_plan(path, FPS, passes=3))
    state = coach.state
    assert state.stroke_count == 3
    assert state.score == 100  # three passes along the guide, 3 s each
    view = coach.view()
    assert dict(view.hud.rows)["strokes"] == "3"
    # The last pass is still on screen, green, numbered 3.
    assert 3 in view.labels.number.tolist()
    assert view.labels.good.all()
    assert GOOD_STROKE in view.trail.state
    frame = coach.draw(np.full((H, W, 3), 128, np.uint8))
    assert frame.shape == (H, W, 3) and not (frame == 128).all()


def first_verdict(technique, plan: np.ndarray) -> Coach:
    """The coach on the frame where the first pass is judged."""
    coach = Coach(technique, None, W, H)
    for i, xy in enumerate(plan):
        if coach.step(i / FPS, xy).stroke_count:
            return coach
    raise AssertionError("no pass was judged")


def test_coach_marks_a_reversed_pass_as_a_fault(foot):
    path = np.array(foot.guide)[::-1] * [W, H]  # toe to heel
    coach = run_coach(foot, thumb_plan(path, FPS, passes=2))
    assert coach.state.stroke_count == 2
    assert not coach.view().labels.good.any()
    cue = first_verdict(foot, thumb_plan(path, FPS, passes=2)).view().cue
    assert cue.tone == FAULTY
    assert cue.text == "Stroke from the heel to the big toe, not back."


def test_coach_cue_is_green_after_a_good_pass(foot):
    path = np.array(foot.guide) * [W, H]
    cue = first_verdict(foot, thumb_plan(path, FPS, passes=2)).view().cue
    assert cue.tone == GOOD
    assert cue.text == "Good stroke."


def test_coach_trail_forgets_old_points_and_keeps_gaps(foot):
    coach = Coach(foot, None, W, H, trail_s=1.0)
    for i in range(100):
        coach.step(i / FPS, None if 40 <= i < 50 else np.array([100.0 + i, 300.0]))
    view = coach.view()
    assert len(view.trail.xy) == FPS + 1
    assert not np.isnan(view.trail.xy).any()
    assert set(view.trail.state.tolist()) <= {NOT_SCORED, UNJUDGED}


@pytest.fixture(scope="module")
def clip(footage, tmp_path_factory):
    return make_stroke_clip(footage, tmp_path_factory.mktemp("clip") / "clip.mp4", passes=2)


def test_live_session_tracks_scores_and_draws_real_frames(clip, model_path, foot):
    pool = TrackerPool(model_path=model_path)
    session = LivePractice(foot, Calibration.from_technique(foot), pool)
    assert session.snapshot().state is None and session.track() is None
    t0 = 1234.5  # RTP clocks start anywhere
    for f in read_frames(clip):
        raw = f.rgb.copy()
        out = session.process(f.rgb, t0 + f.t, dropped=1 if f.index % 10 == 0 else 0)
        assert out.shape == raw.shape and (out != raw).any()
    snap = session.snapshot()
    assert snap.frames == f.index + 1
    assert snap.dropped == len(range(0, f.index + 1, 10))
    assert snap.state.stroke_count == 2
    assert snap.fps == pytest.approx(FPS, rel=0.05)
    assert (session.latest_frame() == raw).all()  # undrawn
    review = session.finish()
    track = session.track()  # what a saved practice session keeps
    assert len(track) == snap.frames and (track.width, track.height) == (W, H)
    assert track.detected_fraction > 0.8 and track.fps == pytest.approx(FPS, rel=0.05)
    assert len(review.strokes) == 2 and review.good_share == 1.0
    assert session.finish() is review
    # After finishing, frames pass through untouched and the tracker is back in the pool.
    frame = np.zeros((H, W, 3), np.uint8)
    assert (session.process(frame, t0 + 100) == 0).all()
    tracker, shift = pool.acquire()
    assert shift > f.t
    pool.release(tracker, shift)
    pool.close()


def _thumbs(tracker, video, shift: float) -> np.ndarray:
    rows = []
    for f in read_frames(video):
        result = tracker.update(f.rgb, shift + f.t)
        rows.append(np.concatenate([result.thumbs.ravel(), [result.primary]]))
    return np.array(rows)


def test_a_tracker_back_from_the_pool_starts_the_next_stream_afresh(model_path):
    """Both hands stroke the neck in the first stream; the next stream is tracked as a tracker
    never used would track it: no hand, slot, filter or light carried over."""
    first = require(SAMPLES / "neck-back-stroke_correct.mp4", "sample videos (make samples)")
    second = require(SAMPLES / "neck-back-stroke_reversed.mp4", "sample videos (make samples)")
    pool = TrackerPool(model_path=model_path)
    try:
        fresh, _ = pool.acquire()
        expected = _thumbs(fresh, second, 0.0)
        used, _ = pool.acquire()
        last_t = _thumbs(used, first, 0.0).shape[0] / 25.0
        pool.release(used, last_t)
        again, shift = pool.acquire()
        assert again is used and shift > last_t
        got = _thumbs(again, second, shift)
    finally:
        pool.close()
    assert got.shape == expected.shape
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.nanmax(np.abs(got - expected)) < 0.5  # pixels
