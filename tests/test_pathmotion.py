"""The path following the body part, in the core: per-frame similarities, the thumb mapped back
into the first frame, lost stretches reported, and the transforms in the review's JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import session
from trainer.core.judging.live_scorer import LiveScorer
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import IDENTITY, PathMotion, PathPose, apply, invert
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.documents.decoding import review_from_json

FOOT = load_technique("foot-spine-line")


def similarity(angle_deg: float, scale: float, dx: float, dy: float) -> np.ndarray:
    a = np.radians(angle_deg)
    c, s = scale * np.cos(a), scale * np.sin(a)
    return np.array([[c, -s, dx], [s, c, dy]])


def test_apply_and_invert_undo_each_other():
    m = similarity(30.0, 2.0, 10.0, -4.0)
    # (1, 0) turned 30 degrees, doubled, then shifted: worked out by hand.
    np.testing.assert_allclose(apply(m, [[1.0, 0.0]]), [[10 + np.sqrt(3), -4 + 1.0]])
    pts = np.array([[3.0, 4.0], [-2.0, 7.5]])
    np.testing.assert_allclose(apply(invert(m), apply(m, pts)), pts, atol=1e-12)
    np.testing.assert_allclose(PathPose(m).to_first(apply(m, pts)), pts, atol=1e-12)


def test_motion_maps_each_frame_back_and_keeps_gaps():
    ms = np.stack([IDENTITY, similarity(0, 1, 5, 0), similarity(90, 1, 0, 0)])
    motion = PathMotion(ms, np.zeros(3, bool))
    xy = np.array([[1.0, 1.0], [6.0, 2.0], [np.nan, np.nan]])
    np.testing.assert_allclose(motion.to_first(xy)[:2], [[1.0, 1.0], [1.0, 2.0]])
    assert np.isnan(motion.to_first(xy)[2]).all()


def test_lost_spans_keep_runs_long_enough():
    t = np.arange(20) * 0.1
    lost = np.zeros(20, bool)
    lost[2:3] = True  # 0.1 s: too short to mention
    lost[5:10] = True  # 0.5 to 1.0 s
    lost[16:] = True  # to the end: 1.6 to 1.9 s
    motion = PathMotion(np.repeat(IDENTITY[None], 20, axis=0), lost)
    assert motion.lost_spans(t) == [(0.5, 1.0), (1.6, 1.9)]
    assert motion.followed_share == pytest.approx(10 / 20)
    assert PathMotion(motion.matrices, np.ones(20, bool)).followed_share == 0.0


def moving(track: Track, matrices: np.ndarray) -> Track:
    """The same strokes on a body part that moves by `matrices` (first frame -> frame i)."""
    xy = np.array([apply(m, p[None])[0] for m, p in zip(matrices, track.thumb_px, strict=True)])
    rows = [None if np.isnan(p[0]) else list(p) for p in xy]
    return Track.from_points(track.t, rows, track.width, track.height, track.fps)


def drift(n: int, dx: float, dy: float, angle_deg: float, centre) -> np.ndarray:
    """(n, 2, 3) a shift and turn about `centre`, all of it over the first fifth, then held."""
    out = []
    for k in np.clip(np.linspace(0.0, 5.0, n), 0.0, 1.0):
        r = similarity(angle_deg * k, 1.0, 0.0, 0.0)
        r[:, 2] = centre - r[:, :2] @ centre + [dx * k, dy * k]
        out.append(r)
    return np.array(out)


@pytest.fixture(scope="module")
def strokes() -> Track:
    return session(FOOT.guide, passes=3)


def test_strokes_on_a_moving_foot_are_on_the_path_only_when_it_follows(strokes):
    # The foot shifts 12% of the frame width and turns 6 degrees: 0.14 path lengths across.
    matrices = drift(len(strokes), 0.12 * 640, -50.0, 6.0, np.array([320.0, 270.0]))
    track = moving(strokes, matrices)
    calibration = Calibration.from_technique(FOOT)
    followed = judge_track(
        track, FOOT, calibration, PathMotion(matrices, np.zeros(len(track), bool))
    )
    fixed = judge_track(track, FOOT, calibration)
    still = judge_track(strokes, FOOT, calibration)
    assert followed.score == pytest.approx(still.score, abs=0.5)
    assert not {"off_line", "partial"} & set(followed.faults)
    assert "off_line" in fixed.faults or "partial" in fixed.faults
    assert fixed.score < followed.score - 10


def test_the_review_says_when_the_body_part_was_lost_and_carries_the_transforms(strokes):
    n = len(strokes)
    lost = np.zeros(n, bool)
    lost[60:90] = True  # 30 frames at 30 fps: 2.0 s to 3.0 s
    matrices = np.repeat(similarity(0, 1, 3.0, 0.0)[None], n, axis=0)
    result = judge_track(strokes, FOOT, None, PathMotion(matrices, lost))
    assert result.body_lost == ((2.0, 3.0),)
    sentence = result.feedback[result.faults.index("body_lost")]
    assert "lost at 2.0-3.0 s" in sentence and "held still" in sentence
    d = json.loads(json.dumps(result.to_dict()))
    assert len(d["path_motion"]["transforms"]) == n
    assert d["path_motion"]["transforms"][0] == [[1.0, 0.0, 3.0], [0.0, 1.0, 0.0]]
    assert d["path_motion"]["lost"] == list(range(60, 90))
    back = review_from_json(d)
    np.testing.assert_allclose(back.path_motion.matrices, matrices)
    assert back.body_lost == result.body_lost


def test_a_fixed_path_review_has_no_transforms_and_old_json_still_loads(strokes):
    d = json.loads(json.dumps(judge_track(strokes, FOOT).to_dict()))
    assert d["path_motion"] is None and d["body_lost"] == []
    old = {k: v for k, v in d.items() if k not in ("path_motion", "body_lost")}
    assert review_from_json(old).path_motion is None


def test_live_scoring_follows_the_body_frame_by_frame(strokes):
    matrices = drift(len(strokes), -60.0, 30.0, -5.0, np.array([320.0, 270.0]))
    track = moving(strokes, matrices)
    live = LiveScorer(FOOT, None, track.width, track.height)
    for t, p, m in zip(track.t, track.thumb_px, matrices, strict=True):
        live.update(float(t), None if np.isnan(p[0]) else p, PathPose(m))
    live.finish()
    offline = judge_track(track, FOOT, None, PathMotion(matrices, np.zeros(len(track), bool)))
    assert live.review().score == pytest.approx(offline.score)
    assert live.review().path_motion.matrices.shape == (len(track), 2, 3)
