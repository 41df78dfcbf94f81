"""The selfie view: frames are tracked and judged as filmed, and only shown flipped.

A path (the framing guide, a calibration file, ends clicked on a snapshot) is in the camera's
own picture, so Practice judges a stroke as `trainer review` judges the same frames whatever
the mirror. Only what the user reads is turned to the picture they see: "left" and "right"
in the cues, and the flipped drawing (overlay/coach.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from trainer.core.technique import Technique

_SIDES = re.compile(r"\b(left|right)\b")


def swap_sides(text: str) -> str:
    """The sentence with left and right swapped: said of the flipped picture."""
    return _SIDES.sub(lambda m: "right" if m.group(1) == "left" else "left", text)


def as_seen(technique: Technique, mirror: bool) -> Technique:
    """The technique whose drift cues name the sides of the picture the user sees."""
    if not mirror:
        return technique
    return replace(
        technique,
        drift_positive=swap_sides(technique.drift_positive),
        drift_negative=swap_sides(technique.drift_negative),
    )
