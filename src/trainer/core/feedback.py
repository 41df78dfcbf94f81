"""Plain sentences for faults, most important first."""

from __future__ import annotations

from collections import Counter

import numpy as np

from trainer.core.metrics import StrokeMetrics
from trainer.core.technique import Technique

# Safety first, then what makes a stroke wrong, then how well it was done, then advice.
PRIORITY = (
    "forbidden",
    "reversed",
    "off_line",
    "partial",
    "too_fast",
    "too_slow",
    "hand_lost",
    "no_circles",
    "no_steps",
    "jerky",
    "exercise_long",
    "exercise_short",
    "lingered",
)


def rank(code: str, technique: Technique) -> int:
    """Sort key of a fault code; codes of forbidden regions rank as "forbidden"."""
    if code in {r.fault for r in technique.forbidden}:
        code = "forbidden"
    return PRIORITY.index(code) if code in PRIORITY else len(PRIORITY)


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def clock(seconds: float) -> str:
    """m:ss, to the nearest second (as the feedback sentences write it)."""
    whole = round(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def exercise_clock(elapsed_s: float, technique: Technique) -> str:
    """Exercise time against the technique's window, e.g. "1:05 of 2-5 min"."""
    lo, hi = technique.timing.exercise_s
    return f"{clock(elapsed_s)} of {lo / 60:g}-{hi / 60:g} min"


def stroke_sentence(code: str, m: StrokeMetrics, technique: Technique) -> str:
    """The sentence for one fault of one stroke."""
    region = next((r for r in technique.forbidden if r.fault == code), None)
    if region is not None:
        return region.message
    if code == "reversed":
        return f"Stroke from {technique.start_name} to {technique.end_name}, not back."
    if code == "off_line":
        side = technique.drift_positive if m.signed_offset > 0 else technique.drift_negative
        return f"Stay on the line: you drifted {side}."
    if code == "partial":
        missed = [name for name, c in m.zone_coverage.items() if c < 0.5]
        where = f"you missed the {_names(missed)} zone{'s' if len(missed) > 1 else ''}"
        if not missed:
            where = f"this stroke covered {m.coverage:.0%} of it"
        return f"Cover the whole line from {technique.start_name} to {technique.end_name}: {where}."
    if code in ("too_fast", "too_slow"):
        return tempo_sentence(code, m.moving_s, "this one took", technique)
    if code == "jerky":
        return "Move in one smooth, flowing stroke, without stops and jerks."
    if code == "no_circles":
        return "Keep making small circles as you move along the line."
    if code == "no_steps":
        return "Work along in small steps: pinch, let go, move a little further, pinch again."
    raise ValueError(f"no sentence for stroke fault {code!r}")


def tempo_sentence(code: str, seconds: float, took: str, technique: Technique) -> str:
    target = technique.tolerances.target_pass_s
    advice = "Slow down" if code == "too_fast" else "Speed up a little"
    return f"{advice}: about {target:g} s per pass ({took} {seconds:.1f} s)."


def session_sentence(
    code: str, flagged: list[tuple[StrokeMetrics, str]], total: int, technique: Technique
) -> str:
    """One sentence for a fault over the session: the typical case, and how many strokes."""
    if code in ("too_fast", "too_slow"):
        typical = float(np.median([m.moving_s for m, _ in flagged]))
        text = tempo_sentence(code, typical, "yours took about", technique)
    else:
        text = Counter(sentence for _, sentence in flagged).most_common(1)[0][0]
    return f"{text.rstrip('.')} ({len(flagged)} of {total} strokes)."


def hand_lost_sentence(seconds: float) -> str:
    return f"Keep your hand in view of the camera: it was lost for {seconds:.1f} s mid-exercise."


def timing_sentence(code: str, exercise_s: float, technique: Technique) -> str:
    lo, hi = (x / 60 for x in technique.timing.exercise_s)
    took = clock(exercise_s)
    if code == "exercise_short":
        return f"Keep going: each exercise takes {lo:g} to {hi:g} minutes (this one {took})."
    return f"That is enough for this exercise: {lo:g} to {hi:g} minutes each (this one {took})."


def first_session_sentence(technique: Technique) -> str:
    limit = technique.timing.first_session_max_s / 60
    return f"Time to stop: a first massage session lasts at most {limit:g} minutes."


def linger_sentence(zone: str, count: int, seconds: float) -> str:
    times = "once" if count == 1 else f"{count} times"
    return (
        f"You lingered at the {zone} zone ({times}, {seconds:.1f} s): a sore or stiff spot? "
        "Work it gently, don't press too hard."
    )


def no_strokes_sentence(technique: Technique) -> str:
    return (
        f"No strokes along the line were found: start at {technique.start_name} and stroke "
        f"to {technique.end_name}, on the guide line."
    )


def too_dark_cue() -> str:
    """The live cue while the light is too poor to follow the hand."""
    return "Too dark: add light."


def too_dark_sentence(found_share: float) -> str:
    """Review advice when the light was too poor, with the share of frames with a hand."""
    return (
        f"{too_dark_cue()} The hand was found in {found_share:.0%} of the frames, so not every "
        "stroke could be followed; light the hands and the body part from the front."
    )


def no_hand_sentence(seen: str, frames: int, dark: bool) -> str:
    """Why a video cannot be judged: (almost) no hand in it; `seen` e.g. "3%" or "none"."""
    advice = "Film the hand doing the stroke, in good light, the whole hand in view."
    if dark:
        advice = f"{too_dark_cue()} Light the hands and the body part from the front."
    return f"no hand found (hand seen in {seen} of {frames} frames). {advice}"
