"""Rendering in dim light: the light's gain, the candles, and the same strokes in any light."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.capture.exposure import luminance
from trainer.capture.video import read_frames
from trainer.synth.animate import Pass, Plan
from trainer.synth.lighting import CANDLE_SPOTS, Lighting, dim, nearest_tone
from trainer.synth.render import SKIN_TONES
from trainer.synth.samples import render

W, H = 640, 360


def test_light_scales_linear_values_so_a_dim_room_is_dim_not_black():
    even = Lighting(level=0.01)
    gain = even.gain(W, H, np.array([320.0, 180.0]))
    # 1% of the light is 0.01 ** (1 / 2.2) = 12.3% of the display value, everywhere.
    assert gain.min() == pytest.approx(0.1233, abs=0.001)
    assert gain.max() == pytest.approx(0.1233, abs=0.001)


def test_warm_low_key_light_is_brightest_and_reddest_at_its_centre():
    gain = dim(0.1).gain(W, H, np.array([320.0, 180.0]))
    centre, corner = gain[180, 320], gain[0, 0]
    assert centre[0] > centre[1] > centre[2]  # red over green over blue: warm
    assert corner.sum() < 0.8 * centre.sum()  # the room falls away into the dark
    assert centre[0] == pytest.approx(0.1 ** (1 / 2.2), rel=0.01)


def test_the_camera_is_noisier_in_the_dark_up_to_its_gain():
    sigmas = [Lighting(level=x).noise_sigma for x in (1.0, 0.3, 0.05, 0.01, 0.001)]
    assert sigmas[0] == pytest.approx(2.5)
    assert sigmas == sorted(sigmas)
    assert sigmas[-1] == sigmas[-2] == pytest.approx(2.5 * 4**0.25)  # gain at its most


def test_skin_on_skin_picks_the_closest_other_tone():
    assert nearest_tone(SKIN_TONES["medium"], SKIN_TONES) in (
        SKIN_TONES["olive"],
        SKIN_TONES["fair"],
    )
    assert nearest_tone(SKIN_TONES["dark"], SKIN_TONES) == SKIN_TONES["brown"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The same short stroke rendered in daylight and at 3% of it."""
    out = tmp_path_factory.mktemp("light")
    plan = Plan([Pass(1.0)])
    bright = render("neck-back-stroke", plan, out / "bright.mp4", seed=4)
    dark = render("neck-back-stroke", plan, out / "dim.mp4", seed=4, lighting=dim(0.03))
    frames = {
        name: next(f.rgb for f in read_frames(out / f"{name}.mp4") if f.index == 10)
        for name in ("bright", "dim")
    }
    return bright, dark, frames


def test_the_same_strokes_in_any_light(pair):
    bright, dark, _ = pair
    np.testing.assert_array_equal(bright.t, dark.t)
    np.testing.assert_array_equal(bright.thumb_px, dark.thumb_px)
    assert bright.light is None
    assert dark.light["level"] == 0.03 and dark.light["candles"]


def test_the_dim_frame_is_dark_warm_and_lit_by_candles(pair):
    _, _, frames = pair
    bright, dark = frames["bright"], frames["dim"]
    assert luminance(dark) < 0.5 * luminance(bright)
    r, _, b = dark.reshape(-1, 3).astype(float).mean(axis=0)
    assert r > 1.2 * b  # warm
    for x, y in np.array(CANDLE_SPOTS["neck-back-stroke"]) * [W, H]:
        flame = dark[round(y) - 3 : round(y) + 4, round(x) - 3 : round(x) + 4]
        assert flame.max() > 200  # a flame burns there
    assert dark[330:, :40].mean() < 40  # and the far corner of the room is dark
