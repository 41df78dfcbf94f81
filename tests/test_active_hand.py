"""The judged hand among several: stroke by stroke, the one moving along the path."""

import numpy as np
import pytest

from helpers import min_jerk, resting, session, with_hands
from trainer.core.judging.live_scorer import LiveScorer
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.strokes.active_hand import LivePicker, judge_hands
from trainer.core.strokes.two_hands import merge_gaps, side_line
from trainer.core.technique import load_technique
from trainer.core.track import Track

FOOT = load_technique("foot-spine-line")
NECK = load_technique("neck-back-stroke")
FOOT_GUIDE = [list(p) for p in FOOT.guide]
NECK_GUIDE = [list(p) for p in NECK.guide]


def _stroking(**kw) -> Track:
    return session(FOOT_GUIDE, passes=4, noise_px=0.8, **kw)


@pytest.mark.parametrize("stroker", [0, 1])
def test_the_stroking_hand_is_judged_whichever_was_found_first(stroker):
    stroke = _stroking()
    rest = resting(stroke, (0.5, 0.85))  # holding the foot below the line
    hands = [rest, stroke] if stroker == 1 else [stroke, rest]
    # The tracker's own choice is the resting hand here: the review must not keep it.
    track = with_hands(*hands, judged=1 - stroker)
    result = judge_track(track, FOOT)
    assert len(result.strokes) == 4
    assert result.score >= 80 and all(s.good for s in result.strokes)
    chosen = judge_hands(track, FOOT, Calibration.from_technique(FOOT).in_pixels(640, 480))
    assert (chosen.hands.judged[chosen.detected] == stroker).all()
    np.testing.assert_allclose(chosen.thumb_px, stroke.thumb_px)


def test_judging_the_resting_hand_alone_finds_no_stroke():
    """What the review would say if it kept the first hand found: the issue's 0 of 3."""
    rest = resting(_stroking(), (0.5, 0.85))
    assert judge_track(rest, FOOT).strokes == ()


def test_hands_that_take_turns_are_each_judged_for_their_own_strokes():
    turn = session(FOOT_GUIDE, passes=2, noise_px=0.8).thumb_px
    n = len(turn)
    still = np.array([0.5, 0.85]) * [640, 480]
    # a strokes twice then rests where it ended; b rests, then strokes twice
    a_xy = np.concatenate([turn, np.repeat(turn[-1:], n, axis=0)])
    b_xy = np.concatenate([np.repeat(still[None], n, axis=0), turn])
    t = np.arange(2 * n) / 30.0
    track = with_hands(Track.from_points(t, a_xy), Track.from_points(t, b_xy))
    chosen = judge_hands(track, FOOT, Calibration.from_technique(FOOT).in_pixels(640, 480))
    judged = chosen.hands.judged
    assert (judged[:n] == 0).all()
    # b rests 0.4 s on the path before its first stroke, which starts slowly (min-jerk)
    assert (judged[n + 30 :] == 1).all()
    result = judge_track(track, FOOT)
    assert len(result.strokes) == 4 and all(s.good for s in result.strokes)


def test_a_holding_hand_moving_off_the_path_is_ignored():
    stroke = _stroking()
    # the other hand shifts its grip along the foot, but far from the line (0.8 path lengths)
    wander = session(FOOT_GUIDE, passes=4, offset=0.8, seed=3, noise_px=0.8)
    track = with_hands(wander, stroke, judged=0)
    result = judge_track(track, FOOT)
    assert len(result.strokes) == 4 and result.score >= 80


def _both(left_offset: float, right_offset: float, seed: int = 0) -> Track:
    """Two hands down the back of the neck; offsets in path lengths, + is picture-left."""
    left = session(NECK_GUIDE, passes=3, offset=left_offset, seed=seed, noise_px=0.8)
    right = session(NECK_GUIDE, passes=3, offset=right_offset, seed=seed + 1, noise_px=0.8)
    return with_hands(right, left)


def test_both_hands_on_their_side_lines_are_both_good_and_named():
    side = NECK.side_offset
    result = judge_track(_both(side, -side), NECK)
    assert len(result.strokes) == 6
    assert sorted(s.hand for s in result.strokes) == ["left"] * 3 + ["right"] * 3
    assert result.score >= 80 and all(s.good for s in result.strokes)


def test_a_hand_off_its_side_line_is_named_in_the_feedback():
    side = NECK.side_offset
    # the left hand strokes on the spine itself: side_offset (0.15) off its own line
    result = judge_track(_both(0.0, -side), NECK)
    left = [s for s in result.strokes if s.hand == "left"]
    right = [s for s in result.strokes if s.hand == "right"]
    assert left and all("off_line" in s.faults for s in left)
    assert right and all(s.good for s in right)
    assert any(f.startswith("Left hand: Stay on the line") for f in result.feedback)
    assert not any(f.startswith("Right hand") for f in result.feedback)
    assert left[0].feedback[0].startswith("Left hand: ")


def test_one_hand_stroking_a_two_hand_technique_is_judged_on_the_path_itself():
    stroke = session(NECK_GUIDE, passes=3, noise_px=0.8)
    rest = resting(stroke, (0.15, 0.5))
    result = judge_track(with_hands(stroke, rest), NECK)
    assert len(result.strokes) == 3 and result.score >= 80
    assert all(s.hand is None for s in result.strokes)


def test_side_line_of_a_vertical_path_moves_sideways():
    # top to bottom: positive cross-track offsets lie on the picture's left
    cal = Calibration(np.array([[0.5, 0.2], [0.5, 0.8]]), "neck-back-stroke")
    moved = side_line(cal, 0.1, 640, 480)
    length = 0.6 * 480
    np.testing.assert_allclose(moved.points[:, 0], 0.5 - 0.1 * length / 640)
    np.testing.assert_allclose(moved.points[:, 1], [0.2, 0.8])
    path = cal.in_pixels(640, 480)
    _, d = path.project(moved.points * [640, 480])
    np.testing.assert_allclose(d, 0.1)


def test_overlapping_gaps_merge():
    assert merge_gaps([(5.0, 7.0), (1.0, 2.0), (6.0, 9.0)]) == [(1.0, 2.0), (5.0, 9.0)]


def _live(track: Track, technique=FOOT) -> list[tuple[int, bool]]:
    path = Calibration.from_technique(technique).in_pixels(track.width, track.height)
    picker = LivePicker(technique, path)
    return [picker.update(float(t), track.hands.thumb_px[i]) for i, t in enumerate(track.t)]


def test_live_picker_takes_the_stroking_hand_once_it_moves():
    stroke = _stroking()
    track = with_hands(resting(stroke, (0.5, 0.85)), stroke)
    picks = _live(track)
    judged = np.array([j for j, _ in picks])
    assert judged[0] == 0  # nothing moves yet: the first hand seen
    first_move = np.argmax(judged == 1)
    assert sum(switched for _, switched in picks) == 1 and picks[first_move][1]
    assert (judged[first_move:] == 1).all()
    # taken within 0.4 s of the first pass's start (rest 0.4 s, then a slow min-jerk start)
    assert track.t[first_move] < 0.4 + 0.7


def test_live_picker_ignores_a_hand_moving_off_the_path():
    stroke = _stroking()
    wander = session(FOOT_GUIDE, passes=4, offset=0.8, seed=3, noise_px=0.8)
    picks = _live(with_hands(stroke, wander))
    assert all(j == 0 for j, _ in picks) and not any(s for _, s in picks)


def test_a_live_switch_does_not_join_two_hands_into_one_stroke():
    """Hand a strokes half the line and stops; hand b, waiting there, strokes the other half:
    two partial strokes by two hands, not one whole stroke."""
    path = Calibration.from_technique(FOOT).in_pixels(640, 480)
    fps, rest, half = 30.0, 12, 45
    s_a = np.concatenate([np.zeros(rest), 0.5 * min_jerk(half), np.full(half + 60, 0.5)])
    s_b = np.concatenate([np.full(rest + half + 30, 0.5), 0.5 + 0.5 * min_jerk(half), np.ones(30)])
    t = np.arange(len(s_a)) / fps
    a = Track.from_points(t, path.point_at(s_a))
    b = Track.from_points(t, path.point_at(s_b) + np.array([0.0, 4.0]))
    track = with_hands(a, b)
    scorer = LiveScorer(FOOT, None, 640, 480)
    for (judged, switched), ti, thumbs in zip(_live(track), t, track.hands.thumb_px, strict=True):
        if switched:
            scorer.switch_hand(float(ti))
        scorer.update(float(ti), thumbs[judged])
    scorer.finish()
    result = scorer.review()
    assert len(result.strokes) == 2
    assert all("partial" in s.faults for s in result.strokes)
