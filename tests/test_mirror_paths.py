"""One meaning for a path: in the camera's own picture. A path clicked on the mirrored view
is kept as filmed; the guide flipped for the other foot has the heel on the other side; the
drift cues of a mirrored session name the sides of the picture the user sees."""

from __future__ import annotations

import numpy as np

from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.practice.mirror import as_seen, swap_sides
from trainer.ui.marking import marked

FOOT = load_technique("foot-spine-line")
NECK = load_technique("neck-back-stroke")


def test_ends_clicked_on_the_mirrored_view_are_kept_as_filmed():
    # Seen mirrored, the heel was clicked at 80% across, the toe at 20%: as filmed, the heel
    # is at 20% and the toe at 80%, the foot's guide the way round it was drawn.
    ends = [(0.8, 0.6), (0.2, 0.58)]
    calibration = marked(ends, FOOT, mirror=True)
    np.testing.assert_allclose(calibration.points[0], [0.2, 0.6], atol=1e-9)
    np.testing.assert_allclose(calibration.points[-1], [0.8, 0.58], atol=1e-9)
    # The middle bends up (toward y = 0.53) as the technique's guide does, not down.
    assert calibration.points[1, 1] < 0.58
    unmirrored = marked([(0.2, 0.6), (0.8, 0.58)], FOOT, mirror=False)
    np.testing.assert_allclose(unmirrored.points, calibration.points, atol=1e-9)


def test_the_guide_flipped_for_the_other_foot_puts_the_heel_on_the_right():
    guide = Calibration.from_technique(FOOT)
    flipped = guide.mirrored()
    np.testing.assert_allclose(flipped.points[:, 0], 1 - guide.points[:, 0])
    np.testing.assert_allclose(flipped.points[:, 1], guide.points[:, 1])
    assert flipped.points[0, 0] > 0.5 > guide.points[0, 0]  # the heel, the path's start
    np.testing.assert_allclose(flipped.mirrored().points, guide.points)
    assert (flipped.technique, flipped.source) == (guide.technique, guide.source)


def test_a_mirrored_session_says_left_and_right_as_seen():
    assert swap_sides("toward the left of the picture") == "toward the right of the picture"
    assert swap_sides("brighter, right? left.") == "brighter, left? right."
    seen = as_seen(NECK, mirror=True)
    assert seen.drift_positive == "toward the right of the picture"
    assert seen.drift_negative == "toward the left of the picture"
    assert as_seen(NECK, mirror=False) is NECK
    # Sides named by the body part, not the picture, are the same either way.
    assert as_seen(FOOT, mirror=True).drift_positive == FOOT.drift_positive == "toward the sole"
