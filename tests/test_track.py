import json

import numpy as np
import pytest

from trainer.core.track import NO_HAND, RIGHT, THUMB_TIP, Track


def test_from_points_keeps_every_frame_and_marks_gaps():
    track = Track.from_points([0.0, 0.1, 0.2, 0.3], [[10, 20], None, None, [30, 40]], 100, 50)
    assert len(track) == 4
    assert track.detected.tolist() == [True, False, False, True]
    assert track.detected_fraction == 0.5
    np.testing.assert_allclose(track.thumb[3], [0.3, 0.8])
    assert track.handedness.tolist() == [RIGHT, NO_HAND, NO_HAND, RIGHT]
    np.testing.assert_allclose(track.landmarks[0, THUMB_TIP, :2], [0.1, 0.4])


def test_json_round_trip_keeps_nan_as_null():
    track = Track.from_points([0.0, 0.04, 0.08], [[1.5, 2.5], None, [3.0, 4.0]], 64, 48, fps=25)
    text = json.dumps(track.to_dict())
    assert "NaN" not in text
    back = Track.from_dict(json.loads(text))
    np.testing.assert_array_equal(back.detected, track.detected)
    np.testing.assert_allclose(back.thumb_px[[0, 2]], track.thumb_px[[0, 2]])
    assert (back.width, back.height, back.fps) == (64, 48, 25)


def test_slicing_keeps_frame_size():
    track = Track.from_points(np.arange(10) * 0.1, [[i, i] for i in range(10)], 320, 240)
    part = track[2:5]
    assert len(part) == 3
    assert part.t[0] == pytest.approx(0.2)
    assert (part.width, part.height) == (320, 240)


def test_duration_counts_the_last_frame():
    track = Track.from_points([0.0, 0.5, 1.0], [[0, 0]] * 3)
    assert track.duration_s == pytest.approx(1.5)


def test_rejects_times_that_go_back():
    with pytest.raises(ValueError, match="increasing"):
        Track.from_points([0.0, 0.2, 0.1], [[0, 0]] * 3)


def test_rejects_mismatched_shapes():
    track = Track.from_points([0.0, 0.1], [[0, 0], [1, 1]])
    with pytest.raises(ValueError, match="thumb_px"):
        Track(
            t=track.t,
            thumb_px=np.zeros((3, 2)),
            landmarks=track.landmarks,
            confidence=track.confidence,
            handedness=track.handedness,
            width=640,
            height=480,
        )
