"""Exposure for the model: the statistic, the gamma, the lookup table and its smoothing."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from trainer.capture.exposure import Exposure, gamma_for, gamma_table, hand_box, luminance


def grey(value: int, h: int = 480, w: int = 640) -> np.ndarray:
    return np.full((h, w, 3), value, np.uint8)


def test_luminance_of_flat_frames_and_of_a_box():
    assert luminance(grey(102)) == pytest.approx(0.4, abs=0.003)
    frame = grey(200)
    frame[240:, 320:] = 20  # the bottom-right quarter is dark
    assert luminance(frame) == pytest.approx(200 / 255, abs=0.003)
    assert luminance(frame, (0.6, 0.6, 0.9, 0.9)) == pytest.approx(20 / 255, abs=0.003)
    # A box reaching past the frame is clipped to it.
    assert luminance(frame, (0.75, 0.75, 1.4, 1.4)) == pytest.approx(20 / 255, abs=0.003)
    # Pure green is brighter than pure blue (Rec. 601 weights 0.587 and 0.114).
    green, blue = np.zeros((60, 80, 3), np.uint8), np.zeros((60, 80, 3), np.uint8)
    green[..., 1], blue[..., 2] = 255, 255
    assert luminance(green) == pytest.approx(0.587, abs=0.003)
    assert luminance(blue) == pytest.approx(0.114, abs=0.003)


def test_a_black_backdrop_does_not_count_as_darkness():
    """A lit subject on black (a low-key picture) is measured by the subject."""
    frame = grey(2)
    frame[:, :200] = 128  # under a third of the picture is the lit subject
    assert luminance(frame) > 0.4
    assert gamma_for(luminance(frame)) == 1.0


@pytest.mark.parametrize("level", [0.18, 0.22, 0.27, 0.31, 0.35])
def test_gamma_takes_a_dim_level_to_about_the_target(level):
    g = gamma_for(level)
    assert g < 1.0
    assert level**g == pytest.approx(0.4, abs=0.025)


def test_gamma_leaves_well_exposed_levels_alone_and_is_bounded():
    for level in (0.4, 0.55, 0.9, 1.0):
        assert gamma_for(level) == 1.0
    assert gamma_for(0.39) == 1.0  # within a step of 1: no change worth the copy
    assert gamma_for(0.01) == gamma_for(0.0) == 0.5  # never brighter than gamma 0.5
    levels = np.linspace(0.005, 0.5, 60)
    gammas = [gamma_for(x) for x in levels]
    assert all(a <= b for a, b in itertools.pairwise(gammas))  # darker: stronger


def test_the_table_is_the_gamma_curve():
    table = gamma_table(0.5)
    assert table.dtype == np.uint8 and table.shape == (256,)
    assert table[0] == 0 and table[255] == 255
    assert table[64] == round(255 * (64 / 255) ** 0.5)  # 128
    assert (np.diff(table.astype(int)) >= 0).all()


def test_bright_frames_pass_through_untouched():
    exposure = Exposure()
    frame = grey(150)
    assert exposure.prepare(frame, 0.0) is frame
    assert not exposure.dim and not exposure.dark and exposure.gamma == 1.0


def test_dark_frames_are_brightened_on_a_copy():
    exposure = Exposure()
    frame = grey(40)  # luminance 0.157
    before = frame.copy()
    out = exposure.prepare(frame, 0.0)
    assert out is not frame and (frame == before).all()  # the user's frame is untouched
    assert luminance(out) == pytest.approx(0.4, abs=0.03)
    assert exposure.dim and not exposure.dark


def test_very_dark_frames_are_reported_too_dark():
    exposure = Exposure()
    out = exposure.prepare(grey(8), 0.0)  # luminance 0.031: even at gamma 0.5 only 0.18
    assert exposure.dark and exposure.dim
    assert luminance(out) == pytest.approx((8 / 255) ** 0.5, abs=0.01)


def test_turned_off_it_measures_but_changes_nothing():
    exposure = Exposure(enabled=False)
    frame = grey(8)
    assert exposure.prepare(frame, 0.0) is frame
    assert exposure.dim and exposure.dark


def test_the_light_is_smoothed_over_time():
    """A lamp switched on: the curve eases off over a fraction of a second, no flicker."""
    exposure = Exposure()
    fps = 30
    exposure.prepare(grey(25), 0.0)
    dark_gamma = exposure.gamma
    gammas = [dark_gamma]
    for i in range(1, 2 * fps):
        exposure.prepare(grey(160), i / fps)
        gammas.append(exposure.gamma)
    assert dark_gamma < 0.7
    assert gammas[1] < 0.8  # one frame later the light is not yet taken at its word
    assert gammas[-1] == 1.0  # two seconds later it is
    assert all(a <= b for a, b in itertools.pairwise(gammas))  # one way only
    settled = next(i for i, g in enumerate(gammas) if g == 1.0)
    assert 3 <= settled <= fps  # within a second, not at once


def test_a_flickering_frame_does_not_swing_the_curve():
    exposure = Exposure()
    for i in range(30):
        exposure.prepare(grey(30), i / 30)
    steady = exposure.gamma
    exposure.prepare(grey(200), 1.0)  # one frame of a flash
    assert exposure.gamma - steady <= 0.15


def test_the_region_around_a_hand_decides_when_there_is_one():
    frame = grey(25)
    frame[100:300, 200:400] = 150  # a lit hand in a dark room
    landmarks = np.zeros((21, 3))
    landmarks[:, 0] = np.linspace(0.4, 0.55, 21)
    landmarks[:, 1] = np.linspace(0.3, 0.55, 21)
    box = hand_box(landmarks)
    assert box[0] < 0.4 and box[1] < 0.3 and box[2] > 0.55 and box[3] > 0.55  # grown
    lit = Exposure()
    lit.prepare(frame, 0.0, box)
    room = Exposure()
    room.prepare(frame, 0.0)
    assert lit.gamma > room.gamma  # the lit hand needs less brightening than the room
