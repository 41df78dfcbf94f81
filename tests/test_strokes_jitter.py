"""Strokes from jittery tracks (MediaPipe's tip jitters ~1-3 px at rest): a pause at a
turn-around stays off the next pass."""

import numpy as np

from helpers import CASES, GUIDE, pass_frames, session
from trainer.core.path.calibration import PathFrame
from trainer.core.strokes.segmenter import REVERSAL, segment
from trainer.core.technique import load_technique

FOOT = load_technique("foot-spine-line")
PATH = PathFrame.from_points(np.asarray(GUIDE["foot-spine-line"]) * [640, 480])
# A ±0.2 s centred speed sees a 0.8 s minimum-jerk pass clear stop_speed 2 frames before its
# first frame; 1.5 px of jitter moves that crossing by a frame or two more.
LEAD = 4


def strokes_of(case: str, seed: int, noise_px: float = 1.5):
    track = session(GUIDE["foot-spine-line"], noise_px=noise_px, seed=seed, **CASES[case])
    found = ~np.isnan(track.thumb_px[:, 0])
    s = np.full(len(track.t), np.nan)
    s[found] = PATH.project(track.thumb_px[found])[0]
    return segment(track.t, track.thumb_px / PATH.length, s, FOOT.segmentation)


def test_a_pause_after_a_turn_around_is_not_glued_onto_the_pass():
    # Seed 63: the travel back ends by turning around, 12 still frames before the 3rd pass.
    strokes = strokes_of("too_fast", 63)
    first, _ = pass_frames(**CASES["too_fast"])[2]
    back = next(x for x in strokes if x.end_index <= first + 1 and x.end_index > first - 20)
    assert back.ended_by == REVERSAL
    nxt = next(x for x in strokes if x.start_index >= back.end_index)
    assert first - 3 <= nxt.start_index <= first + 3


def test_no_pass_starts_long_before_its_motion():
    for case in CASES:
        for seed in range(100):
            strokes = strokes_of(case, seed)
            for first, end in pass_frames(**CASES[case]):
                # The stroke covering most of the pass (the travel back may end a frame in).
                mine = max(strokes, key=lambda x: min(x.end_index, end) - max(x.start_index, first))
                assert mine.start_index >= first - LEAD, (case, seed, first)
