"""Every sentence the user reads: faults, session advice, live cues and comparison findings.

The rest of the core decides what to say (a fault code, a cue code); this module words it.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from trainer.core.strokes.metrics import StrokeMetrics
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
    "body_lost",
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
    """Tempo advice against the technique's target pass time."""
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


def forbidden_reason(message: str, start_t: float) -> str:
    """Why a pass into a forbidden region cost points: the region's warning and when."""
    return f"{message} (stroke at {start_t:.1f} s)"


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


GOOD_STROKE = "Good stroke."


def stroke_verdict(sentences: tuple[str, ...]) -> str:
    """A pass's verdict on screen: its most important fault's sentence, or praise."""
    return sentences[0] if sentences else GOOD_STROKE


def live_cue(code: str, technique: Technique, elapsed_s: float = 0.0, offset: float = 0.0) -> str:
    """The live sentence for what the scorer chose to say now.

    code: "show_hand", "first_session", "exercise_long" (elapsed_s: exercise time so far),
    "drifting" (offset: cross-track position now, path lengths) or "stroke" (what to do).
    """
    if code == "show_hand":
        return "Show your hand to the camera."
    if code == "first_session":
        return first_session_sentence(technique)
    if code == "exercise_long":
        return timing_sentence("exercise_long", elapsed_s, technique)
    if code == "drifting":
        side = technique.drift_positive if offset > 0 else technique.drift_negative
        return f"Stay on the line: you are drifting {side}."
    if code == "stroke":
        start, end = technique.start_name, technique.end_name
        if technique.direction == "either":
            return f"Stroke along the line between {start} and {end}."
        return f"Stroke from {start} to {end} along the line."
    raise ValueError(f"no live cue {code!r}")


# Comparison findings leave out differences smaller than these ("as the reference").
OFFSET_NOTE = 0.05
SPEED_NOTE = 1.25
LAG_NOTE_S = 0.5


# Codes of advice on the exercise's time and on sore spots: not faults of the strokes.
ADVICE_CODES = frozenset({"exercise_short", "exercise_long", "lingered"})
NO_FAULT = "No fault: every stroke was good."


def main_fault(faults: list[str], sentences: list[str]) -> str:
    """A review's main fault as a sentence, for a table. Faults are said first, most
    important first (summary.summarize), so the first sentence is the first fault's."""
    if not faults or faults[0] in ADVICE_CODES or not sentences:
        return NO_FAULT
    return sentences[0]


def path_share(length: float, signed: bool = False) -> str:
    """A distance measured in path lengths as people read it: a share of the path ("25%",
    signed "+25%"). No technique gives its path's real length, so it is never in cm."""
    return f"{length:+.0%}" if signed else f"{length:.0%}"


def zone_finding(
    zone: str,
    reached: bool,
    offset: float,
    speed_ratio: float,
    lag_s: float,
    against: str = "the reference",
    backwards: bool = False,
) -> str | None:
    """One plain line on how an attempt differs from `against` (the reference, or another
    attempt by name) in a zone; None if not noticeably. offset: path lengths (> 0: right);
    speed_ratio: > 1 faster; lag_s: > 0 later; backwards: only strokes run end to start got
    there, which are not compared."""
    if not reached:
        if backwards:
            return f"{zone}: run only backwards (end to start), so not compared"
        return f"{zone}: not reached"
    notes = []
    if abs(offset) > OFFSET_NOTE:
        side = "right" if offset > 0 else "left"
        notes.append(f"{path_share(abs(offset))} of the path's length to the {side} of {against}")
    if speed_ratio > SPEED_NOTE:
        notes.append(f"{speed_ratio:.1f}x faster")
    elif speed_ratio < 1 / SPEED_NOTE:
        notes.append(f"{1 / speed_ratio:.1f}x slower")
    if abs(lag_s) > LAG_NOTE_S:
        when = "behind" if lag_s > 0 else "ahead of"
        notes.append(f"leaves it {abs(lag_s):.1f} s {when} {against}")
    return f"{zone}: " + ", ".join(notes) if notes else None


def body_lost_sentence(spans: list[tuple[float, float]]) -> str:
    """Where the body part under the path could not be followed (the path held still)."""
    shown = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in spans[:4])
    more = f" and {len(spans) - 4} more times" if len(spans) > 4 else ""
    return (
        f"The body part under the path was lost at {shown}{more}: the path held still there. "
        "Keep the body part in view and in good light."
    )


def body_lost_everywhere_sentence(name: str) -> str:
    """The body part could not be followed at all: a message, not a score."""
    return (
        f"{name}: the body part around the path could not be followed in any frame (too "
        "little detail there, or the path is not on it). Mark the path on the body part, "
        "film it in good light, or keep the path fixed (--fixed-path, or untick "
        '"The path follows the body").'
    )


def hand_sentence(hand: str, sentence: str) -> str:
    """A sentence about one of two stroking hands ("Left hand: ..."); said once."""
    prefix = f"{hand.capitalize()} hand: "
    return sentence if sentence.startswith(prefix) else prefix + sentence


def exercise_sentence(number: int, total: int, title: str) -> str:
    """Announces a guided session's next exercise."""
    return f"Exercise {number} of {total}: {title}."


def first_session_warning(left_s: float, limit_s: float) -> str:
    """Said once, near the end of a person's first session."""
    return f"{clock(left_s)} left: a first massage session lasts at most {limit_s / 60:g} minutes."


def session_over_sentence(complete: bool, at_limit: bool, limit_s: float) -> str:
    """Said when a guided session ends."""
    if at_limit:
        return f"Time to stop: that is the {limit_s / 60:g} minutes of a first session."
    if complete:
        return "That is the end of the session. Well done."
    return "Session stopped before the end: what was done is kept, marked as incomplete."


def session_plan_sentence(
    person: str, planned_s: list[float], cap_s: float | None, warn_s: float
) -> str:
    """How long a guided session will take (cap_s: a first session's limit), before it begins."""
    each = " + ".join(clock(s) for s in planned_s)
    if cap_s is not None:
        return (
            f"First session of this routine for {person}: at most {cap_s / 60:g} minutes "
            f"({each}), with a warning at {clock(cap_s - warn_s)}."
        )
    return f"{person} has done this routine before: {clock(sum(planned_s))} in all ({each})."


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
