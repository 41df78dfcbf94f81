"""Every followed hand in a track: shapes, choice of the judged hand, JSON and the store."""

import json
from dataclasses import replace

import numpy as np
import pytest

from helpers import resting, session, with_hands
from trainer.core import hands
from trainer.core.hands import hand_distance
from trainer.core.track import Track
from trainer.store.db.codec import pack_track, unpack_track

GUIDE = [[0.22, 0.60], [0.50, 0.53], [0.78, 0.58]]


def _two() -> Track:
    stroke = session(GUIDE, passes=1, lost=(2.0, 2.5))
    return with_hands(stroke, resting(stroke, (0.5, 0.85)))


def test_one_hand_track_shows_itself_as_hand_zero():
    track = session(GUIDE, passes=1, lost=(1.0, 1.2))
    hands = track.all_hands
    assert hands.count == 1 and track.hands is None
    np.testing.assert_array_equal(hands.judged, np.where(track.detected, 0, -1))
    np.testing.assert_array_equal(hands.thumb_px[:, 0], track.thumb_px)


def test_pick_gives_nan_where_the_judged_hand_is_not_seen():
    hands = _two().hands
    judged = np.zeros(len(hands.judged), np.int8)
    judged[:3] = -1
    thumb, landmarks, confidence, handedness = hands.pick(judged)
    assert np.isnan(thumb[:3]).all() and (handedness[:3] == -1).all()
    unseen = ~hands.seen[:, 0]
    assert unseen.any() and np.isnan(thumb[unseen]).all() and np.isnan(confidence[unseen]).all()
    shown = hands.seen[:, 0] & (judged == 0)
    np.testing.assert_array_equal(thumb[shown], hands.thumb_px[shown, 0])
    np.testing.assert_array_equal(landmarks[shown], hands.landmarks[shown, 0])


def test_json_round_trip_keeps_every_hand():
    track = _two()
    back = Track.from_dict(json.loads(json.dumps(track.to_dict())))
    assert back.hands is not None and back.hands.count == 2
    np.testing.assert_allclose(back.hands.thumb_px, track.hands.thumb_px, atol=1e-6)
    np.testing.assert_array_equal(back.hands.judged, track.hands.judged)
    assert "hands" not in session(GUIDE, passes=1).to_dict()  # one hand: the format as before


def test_store_round_trip_keeps_every_hand():
    track = _two()
    back = unpack_track(pack_track(track))
    np.testing.assert_allclose(back.hands.landmarks, track.hands.landmarks, atol=1e-6)
    np.testing.assert_allclose(back.hands.thumb_px, track.hands.thumb_px)
    np.testing.assert_array_equal(back.hands.judged, track.hands.judged)
    assert unpack_track(pack_track(session(GUIDE, passes=1))).hands is None


def test_slicing_slices_every_hand():
    part = _two()[10:20]
    assert part.hands.thumb_px.shape == (10, 2, 2) and part.hands.judged.shape == (10,)


def test_mismatched_hands_are_refused():
    track = _two()
    with pytest.raises(ValueError, match="judged"):
        replace(track, hands=replace(track.hands, judged=track.hands.judged[:-1]))
    with pytest.raises(ValueError, match="one of the 2 hands"):
        replace(track, hands=replace(track.hands, judged=np.full(len(track), 2, np.int8)))


def test_hand_distance_is_in_hand_sizes():
    a = np.zeros((21, 3))
    a[9, :2] = [0.0, 0.1]  # middle-finger base 0.1 of the height above the wrist: 48 px
    a[4, :2] = [0.05, 0.05]
    b = a.copy()
    b[:, 0] += 0.075  # 48 px to the right at 640 wide: wrist and thumb both moved one hand size
    size = np.array([640.0, 480.0])
    assert hand_distance(a, b, size) == pytest.approx(1.0)
    assert hand_distance(a, a, size) == 0.0


def test_landmark_names_are_mediapipes_own():
    # MediaPipe's enum and skeleton are the source the names are checked against.
    from mediapipe.tasks.python.vision.hand_landmarker import HandLandmark as Mp
    from mediapipe.tasks.python.vision.hand_landmarker import HandLandmarksConnections

    assert len(Mp) == hands.N_LANDMARKS
    ours = [hands.WRIST, hands.THUMB_TIP, *hands.FINGER_BASES]
    assert ours == [
        Mp.WRIST,
        Mp.THUMB_TIP,
        Mp.INDEX_FINGER_MCP,
        Mp.MIDDLE_FINGER_MCP,
        Mp.RING_FINGER_MCP,
        Mp.PINKY_MCP,
    ]
    assert hands.FINGER_BASES == (
        hands.INDEX_BASE,
        hands.MIDDLE_BASE,
        hands.RING_BASE,
        hands.PINKY_BASE,
    )
    assert hands.THUMB == (Mp.THUMB_CMC, Mp.THUMB_MCP, Mp.THUMB_IP, Mp.THUMB_TIP)
    assert [finger[-1] for finger in hands.FINGERS] == [
        Mp.INDEX_FINGER_TIP,
        Mp.MIDDLE_FINGER_TIP,
        Mp.RING_FINGER_TIP,
        Mp.PINKY_TIP,
    ]
    theirs = {(c.start, c.end) for c in HandLandmarksConnections.HAND_CONNECTIONS}
    assert len(hands.BONES) == len(theirs) and set(hands.BONES) == theirs
