"""The one palette: every colour the user sees (video, plots, the app) and which verdict gets which.

Colours are RGB 0..255; `hex_color` gives the form matplotlib and CSS take.
"""

from __future__ import annotations

from trainer.core.judging.feedback import too_dark_cue
from trainer.core.judging.live_scorer import LiveState

Color = tuple[int, int, int]

GOOD: Color = (46, 204, 113)
FAULTY: Color = (235, 77, 61)
NEUTRAL: Color = (190, 190, 190)
ACTIVE: Color = (255, 209, 80)
WHITE: Color = (255, 255, 255)
INK: Color = (20, 24, 32)
ZONE_COLORS: tuple[Color, ...] = ((94, 179, 255), (180, 140, 255), (255, 150, 200), (120, 230, 220))
# The app writes verdicts as text on a light page, where GOOD and FAULTY are too pale to read.
GOOD_ON_LIGHT: Color = (30, 142, 87)
FAULTY_ON_LIGHT: Color = (200, 55, 42)
# Comparison plots: two series, in colours that do not read as verdicts.
REFERENCE: Color = (31, 119, 180)
STUDENT: Color = (214, 39, 40)

# What the movement a thumb-trail point belongs to was judged.
UNJUDGED, FAULT, GOOD_STROKE, NOT_SCORED = -1, 0, 1, 2
_STATE_COLORS = {UNJUDGED: ACTIVE, FAULT: FAULTY, GOOD_STROKE: GOOD, NOT_SCORED: NEUTRAL}


def hex_color(color: Color) -> str:
    """The colour as "#rrggbb", for matplotlib and CSS."""
    return "#{:02x}{:02x}{:02x}".format(*color)


def zone_color(k: int) -> Color:
    """Colour of the k-th zone along the path (the colours repeat past the fourth)."""
    return ZONE_COLORS[k % len(ZONE_COLORS)]


def trail_state(good: bool | None) -> int:
    """A judged movement's state: GOOD_STROKE, FAULT, or NOT_SCORED (None: a return or move)."""
    if good is None:
        return NOT_SCORED
    return GOOD_STROKE if good else FAULT


def state_color(state: int) -> Color:
    """Colour of a trail state; NEUTRAL for anything unknown."""
    return _STATE_COLORS.get(state, NEUTRAL)


def verdict_color(good: bool | None) -> Color:
    """GOOD for a pass without faults, FAULTY for one with, NEUTRAL when not scored (None)."""
    return state_color(trail_state(good))


def cue_verdict(state: LiveState | None) -> bool | None:
    """What the live cue says: False a warning, "too dark" or a faulty pass, True a good pass,
    None an instruction (or nothing yet)."""
    if state is None:
        return None
    if state.warning is not None or state.cue == too_dark_cue():
        return False
    if state.last_verdict is not None and state.cue == state.last_verdict:
        return bool(state.last_good)
    return None


def cue_color(state: LiveState | None) -> Color:
    """The cue's colour on video: by its verdict, WHITE for instructions."""
    tone = cue_verdict(state)
    return WHITE if tone is None else verdict_color(tone)


def cue_css(state: LiveState | None) -> str:
    """The cue's CSS colour on the app's light page: by its verdict, the page's own otherwise."""
    tone = cue_verdict(state)
    if tone is None:
        return "inherit"
    return hex_color(GOOD_ON_LIGHT if tone else FAULTY_ON_LIGHT)
