"""Two real hands in one clip through the real model: identity, the judged hand, the review.

The clips slide a real hand from the shared footage (and its mirror image, a left hand) along
known paths (tests/clips.py), so each hand's thumb tip is known in every frame.
"""

import json

import numpy as np
import pytest

from clips import make_hands_clip, rest_plan, thumb_plan
from trainer.capture.video import read_frames
from trainer.capture.video_tracking import track_video
from trainer.cli import main
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.overlay.annotated_video import render_annotated
from trainer.overlay.annotators import NEUTRAL
from trainer.practice.live import LivePractice
from trainer.practice.pool import TrackerPool

W, H, FPS = 960, 540, 25.0
LINE = np.array([[0.12, 0.55], [0.55, 0.50]])  # the stroke, left of the resting hand


def _plans() -> tuple[np.ndarray, np.ndarray]:
    stroke = thumb_plan(LINE * [W, H], FPS, passes=3)
    return stroke, rest_plan(np.array([0.85 * W, 0.45 * H]), len(stroke), FPS)


@pytest.fixture(scope="module")
def rest_and_stroke(footage, tmp_path_factory):
    """The resting hand is hand 0 of the clip (found first), the stroking hand hand 1."""
    stroke, rest = _plans()
    path = tmp_path_factory.mktemp("two") / "rest_and_stroke.mp4"
    return make_hands_clip(footage, path, [rest, stroke], (W, H), FPS), stroke, rest


def _slot_of(track, truth: np.ndarray) -> tuple[int, np.ndarray]:
    """The slot that follows `truth`, and its error per frame (px)."""
    errors = np.linalg.norm(track.hands.thumb_px - truth[:, None], axis=2)
    slot = int(np.argmin(np.nanmedian(errors, axis=0)))
    return slot, errors[:, slot]


@pytest.mark.parametrize("workers", [1, 2])
def test_both_hands_are_followed_each_in_its_own_slot(rest_and_stroke, model_path, workers):
    video, stroke, rest = rest_and_stroke
    track = track_video(video, model_path=model_path, workers=workers)
    assert track.hands is not None and track.hands.count == 2
    assert track.hands.seen.mean(axis=0).min() >= 0.95
    s_slot, s_err = _slot_of(track, stroke)
    r_slot, r_err = _slot_of(track, rest)
    assert s_slot != r_slot
    # Identity kept in every frame: never the other hand (the hands are 250+ px apart)
    assert np.nanmax(s_err) < 25 and np.nanmax(r_err) < 25
    # Without a path, the hand that travelled is the judged one
    np.testing.assert_array_equal(track.hands.judged[track.detected], s_slot)
    tip = np.linalg.norm(track.thumb_px - stroke, axis=1)
    assert np.nanmedian(tip) < 5


def test_review_judges_the_stroking_hand(rest_and_stroke, model_path, tmp_path, capsys):
    video, _, _ = rest_and_stroke
    line = ",".join(f"{v:g}" for v in LINE.ravel())
    args = ["review", str(video), "--technique", "foot-spine-line", "--line", line, "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stroke_count"] == 3 and out["score"] >= 80
    # the JSON keeps both hands, the judged thumb in "thumb_px"
    assert len(out["track"]["hands"]["confidence"][0]) == 2


def test_track_json_thumb_is_the_judged_thumb(rest_and_stroke, model_path, capsys):
    video, stroke, _ = rest_and_stroke
    assert main(["track", str(video), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    thumbs = np.array([f["thumb"] if f["thumb"] else [np.nan] * 2 for f in out["frames"]])
    assert np.nanmedian(np.linalg.norm(thumbs * [W, H] - stroke, axis=1)) < 5
    assert "hands" in out["track"]


def test_both_hands_stroking_the_neck_are_judged_on_their_side_lines(footage, model_path, tmp_path):
    neck = load_technique("neck-back-stroke")
    centre = np.array(neck.guide) * [W, H]
    shift = np.array([neck.side_offset * np.hypot(*(centre[-1] - centre[0])), 0.0])
    left = thumb_plan(centre - shift, FPS, passes=3)
    right = thumb_plan(centre + shift, FPS, passes=3)
    video = make_hands_clip(footage, tmp_path / "both.mp4", [right, left], (W, H), FPS)
    track = track_video(video, model_path=model_path)
    result = judge_track(track, neck)
    assert len(result.strokes) == 6
    assert sorted(s.hand for s in result.strokes) == ["left"] * 3 + ["right"] * 3
    assert result.score >= 80 and all(s.good for s in result.strokes)
    # the hand named left is the one stroking left of the spine in the picture
    left_slot, left_err = _slot_of(track, left)
    first_left = next(s for s in result.strokes if s.hand == "left")
    frames = slice(first_left.start_index, first_left.end_index)
    assert np.nanmedian(track.hands.thumb_px[frames, left_slot, 0]) < centre[0, 0]
    assert np.nanmedian(left_err) < 5


def test_following_one_hand_only_is_a_setting(rest_and_stroke, model_path):
    video, _, rest = rest_and_stroke
    track = track_video(video, model_path=model_path, max_hands=1)
    assert track.hands is None and track.detected_fraction >= 0.95
    # the one hand followed is the first one found: here the resting hand
    assert np.nanmedian(np.linalg.norm(track.thumb_px - rest, axis=1)) < 10


def test_one_hand_footage_makes_a_one_hand_track(footage, model_path):
    track = track_video(footage / "videos" / "finger_press_desk_cam1.mp4", model_path=model_path)
    assert track.hands is None


def test_practice_judges_the_stroking_hand_and_greys_the_other(rest_and_stroke, model_path):
    video, stroke, rest = rest_and_stroke
    foot = load_technique("foot-spine-line")
    pool = TrackerPool(model_path=model_path)
    session = LivePractice(foot, Calibration(LINE, foot.name, "line"), pool)
    for f in read_frames(video):
        out = session.process(f.rgb, f.t)
    session.finish()
    pool.close()
    assert session.snapshot().state.stroke_count == 3
    track = session.track()
    assert track.hands is not None
    r_slot, _ = _slot_of(track, rest)
    # the resting hand's thumb tip is drawn as a grey dot on the last frame
    x, y = np.round(track.hands.landmarks[-1, r_slot, 4, :2] * [W, H]).astype(int)
    assert tuple(out[y, x]) == NEUTRAL
    s_slot, _ = _slot_of(track, stroke)
    assert (track.hands.judged[track.detected] == s_slot).mean() > 0.9


def test_annotated_video_greys_the_resting_hand(rest_and_stroke, model_path, tmp_path):
    video, _, rest = rest_and_stroke
    foot = load_technique("foot-spine-line")
    track = track_video(video, model_path=model_path)
    out = render_annotated(
        video, track, foot, Calibration(LINE, foot.name, "line"), tmp_path / "a.mp4"
    )
    r_slot, _ = _slot_of(track, rest)
    frame = next(f for f in read_frames(out) if f.index == 100)
    x, y = np.round(track.hands.landmarks[100, r_slot, 4, :2] * [W, H]).astype(int)
    # H.264 shifts colours a little: grey, within a few levels
    assert np.abs(frame.rgb[y, x].astype(int) - NEUTRAL).max() <= 12
