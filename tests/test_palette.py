"""The one palette: known verdicts get known colours, on video, in plots and in the app."""

from __future__ import annotations

import math

import pytest

from trainer.core.judging.live_scorer import LiveState
from trainer.overlay.palette import (
    FAULT,
    GOOD_STROKE,
    NOT_SCORED,
    UNJUDGED,
    cue_color,
    cue_css,
    hex_color,
    state_color,
    trail_state,
    verdict_color,
    zone_color,
)

GREEN, RED, GREY = (46, 204, 113), (235, 77, 61), (190, 190, 190)
YELLOW, WHITE = (255, 209, 80), (255, 255, 255)


def live(cue: str, verdict: str | None = None, good: bool | None = None, warning=None):
    """A live state with only what the cue's colour depends on set."""
    return LiveState(
        index=0,
        cue=cue,
        stroke_count=0 if verdict is None else 1,
        score=None,
        last_verdict=verdict,
        last_good=good,
        trail=(),
        in_stroke_from=None,
        elapsed_s=0.0,
        along=math.nan,
        offset=math.nan,
        zone=None,
        warning=warning,
    )


def test_a_pass_is_green_without_faults_red_with_and_grey_unscored():
    assert verdict_color(True) == GREEN
    assert verdict_color(False) == RED
    assert verdict_color(None) == GREY


def test_trail_states_follow_the_verdict_and_the_stroke_in_progress_is_yellow():
    assert [trail_state(g) for g in (True, False, None)] == [GOOD_STROKE, FAULT, NOT_SCORED]
    assert state_color(UNJUDGED) == YELLOW
    assert state_color(GOOD_STROKE) == GREEN and state_color(FAULT) == RED
    assert state_color(99) == GREY


def test_zones_take_four_colours_in_turn():
    assert zone_color(0) == zone_color(4) == (94, 179, 255)
    assert zone_color(1) == (180, 140, 255) and zone_color(7) == (120, 230, 220)


def test_hex_is_for_matplotlib_and_css():
    assert hex_color(GREEN) == "#2ecc71"
    assert hex_color((0, 10, 255)) == "#000aff"


@pytest.mark.parametrize(
    ("state", "video", "page"),
    [
        (None, WHITE, "inherit"),
        (live("Stroke from the heel to the big toe along the line."), WHITE, "inherit"),
        (live("Good stroke.", "Good stroke.", True), GREEN, "#1e8e57"),
        (live("Slow down.", "Slow down.", False), RED, "#c8372a"),
        # The verdict went off screen; an instruction took its place.
        (live("Show your hand to the camera.", "Good stroke.", True), WHITE, "inherit"),
        # A warning is red, even when the cue happens to be a good pass's verdict.
        (live("Careful.", None, None, "carotid"), RED, "#c8372a"),
        (live("Good stroke.", "Good stroke.", True, "carotid"), RED, "#c8372a"),
    ],
)
def test_the_cue_is_coloured_by_what_it_says_on_video_and_in_the_app(state, video, page):
    assert cue_color(state) == video
    assert cue_css(state) == page
