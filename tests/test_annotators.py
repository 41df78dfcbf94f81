"""Annotators draw what they are given, where it belongs, in the verdict's colour."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique, technique_names
from trainer.overlay.annotators import (
    Cue,
    CueAnnotator,
    Guide,
    GuideAnnotator,
    Hud,
    HudAnnotator,
    StrokeLabelAnnotator,
    StrokeLabels,
    Trail,
    TrailAnnotator,
)
from trainer.overlay.palette import FAULT, FAULTY, GOOD, GOOD_STROKE, INK, UNJUDGED, ZONE_COLORS

W, H = 640, 480


def blank() -> np.ndarray:
    return np.full((H, W, 3), 128, np.uint8)


def close_to(pixel: np.ndarray, color: tuple[int, int, int], tol: int = 40) -> bool:
    return bool(np.all(np.abs(pixel.astype(int) - color) <= tol))


@pytest.fixture(scope="module")
def guide() -> Guide:
    tech = load_technique("foot-spine-line")
    return Guide.from_calibration(Calibration.from_technique(tech), tech, W, H)


def test_guide_follows_the_path_in_zone_colours(guide):
    scene = GuideAnnotator(labels=False).annotate(blank(), guide)
    for k in range(len(guide.zone_names)):
        mid = (guide.zone_edges[k] + guide.zone_edges[k + 1]) / 2
        x, y = np.round(guide.point_at(np.array([mid]))[0]).astype(int)
        assert close_to(scene[y, x], ZONE_COLORS[k]), (guide.zone_names[k], scene[y, x])
    # Far from the path nothing changes.
    assert (scene[20, 20] == 128).all()
    assert (scene[H - 20, W // 2] == 128).all()


def test_guide_ends_are_where_the_calibration_puts_them(guide):
    np.testing.assert_allclose(guide.point_at(np.array([0.0, 1.0])), guide.points[[0, -1]])
    assert guide.zone_names == ("sacrum", "lumbar", "thoracic", "cervical")
    assert guide.start_name == "heel" and guide.end_name == "big toe"


def test_trail_is_coloured_by_verdict():
    xs = np.linspace(100, 500, 41)
    xy = np.stack([xs, np.full_like(xs, 240.0)], axis=1)
    state = np.array([GOOD_STROKE] * 20 + [FAULT] * 21, np.int8)
    scene = TrailAnnotator().annotate(blank(), Trail(xy, state))
    assert close_to(scene[240, 200], GOOD)
    assert close_to(scene[240, 400], FAULTY)
    assert (scene[100, 300] == 128).all()


def test_trail_breaks_where_the_hand_was_lost():
    xs = np.linspace(100, 500, 41)
    xy = np.stack([xs, np.full_like(xs, 240.0)], axis=1)
    xy[18:23] = np.nan  # x from 280 to 320: no hand
    state = np.full(41, UNJUDGED, np.int8)
    scene = TrailAnnotator().annotate(blank(), Trail(xy, state))
    assert (scene[240, 300] == 128).all()
    assert not (scene[240, 200] == 128).all()


def test_empty_trail_draws_nothing():
    scene = TrailAnnotator().annotate(blank(), Trail(np.zeros((0, 2)), np.zeros(0, np.int8)))
    assert (scene == 128).all()


def test_stroke_labels_are_discs_in_verdict_colour():
    labels = StrokeLabels(
        np.array([[200.0, 200.0], [400.0, 200.0]]), np.array([1, 2]), np.array([True, False])
    )
    scene = StrokeLabelAnnotator(radius=12).annotate(blank(), labels)
    # Discs sit below the point (zone names are above the path); sample the disc's rim area.
    assert close_to(scene[224 + 9, 200], GOOD)
    assert close_to(scene[224 + 9, 400], FAULTY)


def test_cue_darkens_a_band_at_the_bottom_and_writes_in_its_tone():
    scene = CueAnnotator().annotate(blank(), Cue("Stay on the line.", FAULTY))
    band = scene[H - 40 : H - 5]
    assert band.mean() < 100  # darkened
    reds = (band[..., 0] > 180) & (band[..., 1] < 120)
    assert reds.sum() > 100  # the text and the tone bar


def test_long_cues_wrap_onto_more_lines():
    short = CueAnnotator().annotate(blank(), Cue("Good stroke."))
    long_text = "Stroke from the heel to the big toe along the line, " * 3
    long = CueAnnotator().annotate(blank(), Cue(long_text))

    def band_top(s):
        return int(np.flatnonzero((s[:, 5] != 128).any(axis=1))[0])

    assert band_top(long) < band_top(short) - 40


def test_hud_panel_in_the_top_left_corner():
    scene = HudAnnotator().annotate(blank(), Hud((("strokes", "3"), ("score", "87"))))
    corner = scene[10:60, 10:100]
    assert corner.mean() < 110
    assert (scene[H - 10, W - 10] == 128).all()
    assert (scene[200:, :] == 128).all()
    assert close_to(scene[15, 15], INK, 70)


def test_guide_points_are_placed_by_length_along_its_bends():
    # Legs of 50 and 60 pixels: 110 in all.
    bent = Guide(
        points=np.array([[0.0, 0.0], [30.0, 40.0], [30.0, 100.0]]),
        zone_edges=np.array([0.0, 1.0]),
        zone_names=("all",),
        forward=True,
        start_name="start",
        end_name="end",
    )
    np.testing.assert_allclose(
        bent.point_at(np.array([0.0, 25 / 110, 50 / 110, 0.5, 1.0, 1.5])),
        [[0, 0], [15, 20], [30, 40], [30, 45], [30, 100], [30, 100]],
    )


@pytest.mark.parametrize("name", technique_names())
def test_each_guide_label_is_drawn_once(name, monkeypatch):
    # Every text the guide writes, as cv2 is asked to write it: the ends' names, then the zones'.
    drawn: list[str] = []
    put_text = cv2.putText

    def spy(img: np.ndarray, text: str, *args):
        drawn.append(text)
        return put_text(img, text, *args)

    monkeypatch.setattr(cv2, "putText", spy)
    tech = load_technique(name)
    guide = Guide.from_calibration(Calibration.from_technique(tech), tech, W, H)
    GuideAnnotator().annotate(blank(), guide)
    assert len(drawn) == 2 + len(tech.zones)
    assert len(set(drawn)) == len(drawn), drawn


@pytest.mark.parametrize("name", technique_names())
def test_each_guide_label_can_be_read_off_the_line(name):
    # What the labels add to the picture: drawn with and without them, the pixels that differ.
    tech = load_technique(name)
    guide = Guide.from_calibration(Calibration.from_technique(tech), tech, W, H)
    bare = GuideAnnotator(labels=False).annotate(blank(), guide)
    labelled = GuideAnnotator().annotate(blank(), guide)
    names = (labelled != bare).any(axis=2)
    line = (bare != 128).any(axis=2)
    assert not (names & line).any(), "a label covers the line"
    # Each name a patch of its own (text and its box), none hiding or touching another.
    count, _ = cv2.connectedComponents(names.astype(np.uint8))
    assert count - 1 == 2 + len(tech.zones)
    # Whole: inside the picture, not cut at its edge.
    assert not (names[0].any() or names[-1].any() or names[:, 0].any() or names[:, -1].any())


def test_the_neck_guide_names_its_end_and_its_lowest_zone_apart():
    tech = load_technique("neck-back-stroke")
    guide = Guide.from_calibration(Calibration.from_technique(tech), tech, W, H)
    assert guide.end_name == "base of the neck"  # the point the arrow marks
    assert guide.zone_names == ("upper neck", "middle of the neck", "lower neck")
