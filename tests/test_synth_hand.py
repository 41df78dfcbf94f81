"""The hand model: a skeleton measured on a real photo, posed by rotating joints."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from trainer.synth.hand import (
    FINGERS,
    GRIPS,
    THUMB,
    jitter,
    place,
    pose,
    reference_skeleton,
    roll_toward,
    rotation,
    toward_palm,
)

CHAINS = ((0, *THUMB), *FINGERS)


def bone_lengths(joints: np.ndarray) -> np.ndarray:
    return np.array(
        [np.linalg.norm(joints[b] - joints[a]) for c in CHAINS for a, b in itertools.pairwise(c)]
    )


def test_reference_is_a_measured_photo_in_palm_units():
    sk = reference_skeleton()
    assert sk.source.endswith(".jpg")
    assert np.linalg.norm(sk.palm[9] - sk.palm[0]) == pytest.approx(1.0)
    np.testing.assert_allclose(sk.palm[0], 0.0)
    # a human hand: the middle finger is 0.75-1.0 palm lengths, the thumb beside the index
    assert 0.75 < sk.lengths[2].sum() < 1.0
    assert sk.palm[1, 0] > 0 and sk.palm[5, 0] > sk.palm[17, 0]


@pytest.mark.parametrize("grip", list(GRIPS))
def test_posing_rotates_joints_but_keeps_bones(grip):
    rest = reference_skeleton().palm
    posed = pose(GRIPS[grip])
    np.testing.assert_allclose(bone_lengths(posed), bone_lengths(rest), rtol=1e-9)
    palm = [0, 1, 5, 9, 13, 17]
    np.testing.assert_allclose(posed[palm], rest[palm])


def test_fingers_curl_toward_the_palm_and_close_up_for_the_neck():
    press, flat = pose(GRIPS["press"]), pose(GRIPS["flat"])
    for f in FINGERS:
        assert press[f[-1], 2] > press[f[0], 2] + 0.3  # tip well in front of the palm
    spread = [np.linalg.norm(p[8, :2] - p[20, :2]) for p in (press, flat)]
    assert spread[1] < spread[0]
    # the thumb stays stretched out: its tip is far from the index knuckle
    assert np.linalg.norm(press[4] - press[5]) > 0.6


def test_left_hand_is_the_mirror_image():
    right, left = pose(GRIPS["press"]), pose(GRIPS["press"], left=True)
    np.testing.assert_allclose(left[:, 0], -right[:, 0])
    np.testing.assert_allclose(left[:, 1:], right[:, 1:])


def test_jitter_moves_angles_within_bounds():
    base = GRIPS["flat"]
    moved = jitter(base, np.random.default_rng(1), 5.0)
    assert moved != base
    diffs = np.abs(np.subtract(moved.flex, base.flex))
    assert diffs.max() <= 5.0 and diffs.max() > 0


def test_rotation_shows_the_back_of_the_hand_fingers_up():
    rot = rotation(0.0)
    np.testing.assert_allclose(rot @ rot.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(rot) == pytest.approx(1.0)
    assert (rot @ [0, 1, 0])[1] == pytest.approx(-1)  # fingers up the picture
    assert (rot @ [0, 0, 1])[2] == pytest.approx(1)  # palm away from the camera
    turned = rotation(np.pi / 2) @ [0, 1, 0]
    np.testing.assert_allclose(turned, [1, 0, 0], atol=1e-12)  # clockwise on screen


def test_place_puts_the_thumb_tip_on_the_point_at_scale():
    joints = pose(GRIPS["press"])
    screen = place(joints, np.array([300.0, 200.0]), 120.0, rotation(0.3))
    np.testing.assert_allclose(screen[4, :2], [300, 200])
    assert np.linalg.norm(screen[9, :2] - screen[0, :2]) == pytest.approx(120.0)


@pytest.mark.parametrize("left", [False, True])
def test_roll_toward_puts_the_palm_where_asked(left):
    joints = pose(GRIPS["flat"], left=left)
    for direction in ([0, -1], [1, -0.35], [-1, 0.2]):
        d = np.array(direction) / np.linalg.norm(direction)
        roll = roll_toward(joints, d, 0.3, -0.1)
        screen = place(joints, np.zeros(2), 100.0, rotation(roll, 0.3, -0.1))
        np.testing.assert_allclose(toward_palm(screen), d, atol=1e-9)
        v = screen[[0, 5, 9, 13, 17], :2].mean(axis=0) - screen[4, :2]
        np.testing.assert_allclose(v / np.linalg.norm(v), d, atol=1e-9)
