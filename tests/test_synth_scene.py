"""The foot and neck scenes: the stroke line on the framing guide, on the body part."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.core.base.errors import TrainerError
from trainer.synth.animate import Line
from trainer.synth.scene import HOLDS, TECHNIQUES, make_scene

SKIN = (200, 140, 105)
# The default framing guides of the brief's shared vocabulary.
GUIDES = {
    "foot-spine-line": [[0.22, 0.60], [0.50, 0.53], [0.78, 0.58]],
    "neck-back-stroke": [[0.50, 0.22], [0.50, 0.80]],
}


@pytest.mark.parametrize("technique", TECHNIQUES)
@pytest.mark.parametrize("seed", [0, 1])
def test_stroke_line_is_the_guide_and_lies_on_skin(technique, seed):
    scene = make_scene(technique, 640, 360, np.random.default_rng(seed), SKIN)
    assert scene.image.shape == (360, 640, 3) and scene.image.dtype == np.float32
    assert scene.image.min() >= 0.0 and scene.image.max() <= 1.2
    np.testing.assert_allclose(scene.path, GUIDES[technique])
    points = Line(scene.path_px).at(np.linspace(0, 1, 50))[0].round().astype(int)
    colours = scene.image[points[:, 1], points[:, 0]] * 255
    hue = colours / colours.sum(axis=1, keepdims=True)
    skin_hue = np.array(SKIN) / sum(SKIN)
    # every point of the line is on skin: its hue is the skin's, whatever the brightness
    assert np.abs(hue - skin_hue).max() < 0.03


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_seeds_give_other_scenes(technique):
    a = make_scene(technique, 320, 180, np.random.default_rng(1), SKIN).image
    b = make_scene(technique, 320, 180, np.random.default_rng(2), SKIN).image
    assert np.abs(a - b).mean() > 0.01


def test_every_technique_says_how_the_hand_holds_it():
    assert set(HOLDS) == set(TECHNIQUES) == {"foot-spine-line", "neck-back-stroke"}
    with pytest.raises(TrainerError, match="unknown technique"):
        make_scene("spine-pinch", 640, 360, np.random.default_rng(0))
