"""Staged samples: a second hand holding, two hands stroking, the body part moving; their truth."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.capture.video import read_frames
from trainer.core.path.calibration import PathFrame
from trainer.synth.animate import Pass, Plan
from trainer.synth.samples import render
from trainer.synth.staging import SHIFT, SIDE, TURN_DEG, side_line, sway
from trainer.synth.truth import GroundTruth


def test_a_side_line_lies_beside_the_path_where_the_core_measures_it():
    path = np.array([[320.0, 80.0], [320.0, 290.0]])  # down the neck
    frame = PathFrame.from_points(path)
    _, d = frame.project(side_line(path, 0.15))
    np.testing.assert_allclose(d, 0.15)
    assert side_line(path, 0.15)[0, 0] < 320  # right of travel downwards is screen left


def test_the_body_part_sways_as_far_as_the_issue_measured():
    t = np.arange(400) / 25.0
    m = sway(t, np.array([320.0, 200.0]), 640, np.random.default_rng(3))
    np.testing.assert_allclose(m[0], [[1, 0, 0], [0, 1, 0]], atol=1e-12)  # still at first
    shift = np.hypot(*(m[-1] @ [320.0, 200.0, 1.0] - [320.0, 200.0]))
    assert shift == pytest.approx(SHIFT * 640, rel=1e-6)
    angle = np.degrees(np.arctan2(m[-1, 1, 0], m[-1, 0, 0]))
    assert abs(angle) == pytest.approx(TURN_DEG)
    np.testing.assert_allclose(np.hypot(m[:, 0, 0], m[:, 1, 0]), 1.0)  # no scaling


@pytest.fixture(scope="module")
def moving(tmp_path_factory):
    video = tmp_path_factory.mktemp("moving") / "clip.mp4"
    plan = Plan([Pass(1.2)], pause=0.2, travel=0.3)
    return video, render("neck-back-stroke", plan, video, seed=4, case="moving")


def test_a_moving_sample_has_the_path_of_every_frame(moving, tmp_path):
    video, truth = moving
    assert len(list(read_frames(video))) == len(truth.t)
    np.testing.assert_allclose(truth.path_at(0), truth.calibration["points"], atol=1e-4)
    last = truth.path_at(len(truth.t) - 1) * [truth.width, truth.height]
    first = np.array(truth.calibration["points"]) * [truth.width, truth.height]
    assert np.abs(last - first).max() > 30
    truth.save(tmp_path / "t.json")
    back = GroundTruth.load(tmp_path / "t.json")
    np.testing.assert_allclose(back.transforms, truth.transforms, atol=1e-5)
    # the thumb rides on the moving neck: mapped back, it runs down the first frame's line
    on_body = [
        np.linalg.solve(m[:, :2], p - m[:, 2])
        for m, p, s in zip(truth.transforms, truth.thumb_px, truth.stroke, strict=True)
        if s == 0
    ]
    _, d = PathFrame.from_points(first).project(np.array(on_body))
    assert np.abs(d).max() < 0.05


def test_two_hands_stroke_either_side_of_the_spine(tmp_path):
    plan = Plan([Pass(1.2)], pause=0.2, travel=0.3)
    truth = render("neck-back-stroke", plan, tmp_path / "two.mp4", seed=4, case="two_hands")
    assert truth.roles == ("stroke", "stroke") and truth.sides == (-SIDE, SIDE)
    path = PathFrame.from_points(np.array(truth.calibration["points"]) * [640, 360])
    during = truth.stroke == 0
    for k, side in enumerate(truth.sides):
        _, d = path.project(truth.hands[during, k, 0])
        assert np.median(d) == pytest.approx(side, abs=0.02)
    np.testing.assert_allclose(truth.hands[:, 0, 0][during], truth.thumb_px[during])


def test_the_holding_hand_rests_while_the_other_strokes(tmp_path):
    plan = Plan([Pass(1.2)], pause=0.2, travel=0.3)
    truth = render("foot-spine-line", plan, tmp_path / "held.mp4", seed=4, case="held")
    assert truth.roles == ("stroke", "hold")
    holder = truth.hands[:, 1, 0]
    stroker = truth.hands[:, 0, 0]
    assert np.ptp(holder, axis=0).max() < 0.05 * 640  # shifting a little
    assert np.ptp(stroker, axis=0).max() > 0.3 * 640  # along the whole line
