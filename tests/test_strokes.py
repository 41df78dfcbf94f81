import numpy as np

from helpers import min_jerk
from trainer.core.strokes.segmenter import LOST, REVERSAL, STILL, StrokeSegmenter, segment
from trainer.core.technique import Segmentation

FPS = 30.0
P = Segmentation()  # start 0.08, stop 0.03 path lengths/s; stop after 1 s still


def run(s: np.ndarray, params: Segmentation = P, missing: np.ndarray | None = None):
    """Segment a 1-D progress trace moving along x (path lengths)."""
    t = np.arange(len(s)) / FPS
    xy = np.column_stack([s, np.zeros_like(s)])
    if missing is not None:
        xy[missing] = np.nan
    return segment(t, xy, s, params)


def still(seconds: float, at: float) -> np.ndarray:
    return np.full(round(seconds * FPS), at)


def glide(a: float, b: float, seconds: float) -> np.ndarray:
    return a + (b - a) * min_jerk(round(seconds * FPS))


def test_one_pass_between_pauses_is_one_stroke_trimmed_to_the_motion():
    s = np.concatenate([still(1, 0), glide(0, 1, 3), still(2, 1)])
    (stroke,) = run(s)
    assert stroke.ended_by == STILL
    # The pass runs over frames 30..120; only its nearly motionless ends (~0.3 s of a
    # minimum-jerk pass, moving < 0.03 path lengths/s) are trimmed.
    assert 30 <= stroke.start_index <= 41 and 109 <= stroke.end_index <= 120
    assert len(stroke) == stroke.end_index - stroke.start_index


def test_hysteresis_speed_between_the_thresholds_starts_nothing():
    # 0.05 path lengths/s: above stop (0.03), below start (0.08) -> never a stroke.
    s = np.concatenate([still(1, 0), np.linspace(0, 0.3, 180)])
    assert run(s) == []


def test_hysteresis_a_dip_between_the_thresholds_does_not_end_a_stroke():
    # Fast, then 2 s at 0.05 path lengths/s (below start, above stop), then fast again.
    s = np.concatenate(
        [
            still(1, 0),
            np.linspace(0, 0.3, 30),
            np.linspace(0.3, 0.4, 60)[1:],
            np.linspace(0.4, 0.7, 30)[1:],
            still(2, 0.7),
        ]
    )
    strokes = run(s)
    assert len(strokes) == 1 and strokes[0].ended_by == STILL


def test_a_pause_shorter_than_stop_s_joins_the_stroke_a_longer_one_splits():
    short = np.concatenate([still(1, 0), glide(0, 0.5, 1.5), still(0.6, 0.5), glide(0.5, 1, 1.5)])
    assert len(run(np.concatenate([short, still(2, 1)]))) == 1
    long = np.concatenate([still(1, 0), glide(0, 0.5, 1.5), still(1.5, 0.5), glide(0.5, 1, 1.5)])
    assert len(run(np.concatenate([long, still(2, 1)]))) == 2


def test_turning_back_without_stopping_splits_at_the_turn():
    # Along the path at 0.4 path lengths/s, a U-turn of radius 0.1 without slowing, back.
    t = np.arange(0, 6, 1 / FPS)
    out = np.column_stack([0.4 * t[t < 2.5], np.zeros(np.sum(t < 2.5))])
    angle = np.linspace(-np.pi / 2, np.pi / 2, round(np.pi * 0.1 / 0.4 * FPS))
    turn = np.column_stack([1.0 + 0.1 * np.cos(angle), 0.1 + 0.1 * np.sin(angle)])
    back = np.column_stack([1.0 - 0.4 * t[: round(2.0 * FPS)], np.full(round(2.0 * FPS), 0.2)])
    xy = np.concatenate([np.zeros((30, 2)), out, turn, back, np.tile(back[-1], (60, 1))])
    tt = np.arange(len(xy)) / FPS
    first, second = segment(tt, xy, xy[:, 0], P)
    assert first.ended_by == REVERSAL and second.ended_by == STILL
    far = 30 + len(out) + len(turn) // 2  # the furthest point along the path
    assert abs(first.end_index - far) <= 2 and second.start_index == first.end_index


def test_a_stop_and_going_back_is_two_strokes():
    s = np.concatenate([still(1, 0), glide(0, 1, 3), glide(1, 0, 1), still(2, 0)])
    first, second = run(s)
    turn = 30 + 90  # the frame where the thumb reached the end
    assert turn - 8 <= first.end_index <= turn + 1 and turn <= second.start_index <= turn + 8


def test_a_short_gap_is_bridged_a_long_one_ends_the_stroke():
    s = np.concatenate([still(1, 0), glide(0, 1, 3), still(2, 1)])
    short = np.zeros(len(s), bool)
    short[70:76] = True  # 0.2 s without a hand
    (bridged,) = run(s, missing=short)
    assert bridged.start_index < 70 and bridged.end_index > 76
    long = np.zeros(len(s), bool)
    long[70:85] = True  # 0.5 s
    first, second = run(s, missing=long)
    assert first.ended_by == LOST and first.end_index <= 70 and second.start_index >= 85


def test_too_short_or_too_small_movements_are_dropped():
    flick = np.concatenate([still(1, 0), glide(0, 0.3, 0.2), still(2, 0.3)])
    assert run(flick) == []  # 0.2 s < min_duration_s
    nudge = np.concatenate([still(1, 0), glide(0, 0.06, 0.8), still(2, 0.06)])
    assert run(nudge) == []  # 0.06 path lengths < min_length


def test_streaming_tells_each_stroke_once_it_is_over():
    """Still to frame 30, to the end by frame 120, back by 150, still to 210."""
    s = np.concatenate([still(1, 0), glide(0, 1, 3), glide(1, 0, 1), still(2, 0)])
    machine = StrokeSegmenter(P)
    told, opened = [], []
    for i, v in enumerate(s):
        told += [(i, stroke) for stroke in machine.push(i, i / FPS, np.array([v, 0.0]), float(v))]
        opened.append(machine.open_start)
    assert machine.finish() == [] and machine.moving is False
    (at1, first), (at2, second) = told
    assert 30 <= first.start_index <= 41 and 109 <= first.end_index <= 120
    # Its speed over a 0.2 s window lags: the return may keep up to 6 still frames after 150.
    assert 120 <= second.start_index <= 128 and 141 <= second.end_index <= 156
    # The pass is told once the thumb is back by `reversal` (0.15 path lengths, frame ~128 of
    # the minimum-jerk return); the return once the thumb has been still for stop_s (1 s).
    assert 120 < at1 <= 135 and 180 <= at2 <= 190
    # While a stroke is open its first frame is known; before, between and after, nothing.
    assert opened[:30] == [None] * 30 and set(opened[60:at1]) == {first.start_index}
    assert set(opened[at1:at2]) == {second.start_index} and set(opened[at2:]) == {None}
