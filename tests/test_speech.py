"""What is said aloud: one cue per stroke, safety at once and interrupting, a tone if wished."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from helpers import session
from trainer.core.guided.speech import CueVoice
from trainer.core.judging.live_scorer import LiveScorer, LiveState
from trainer.core.technique import load_technique

FOOT = load_technique("foot-spine-line")
FRONT = load_technique("neck-front-stroke")
CAREFUL = "Careful: keep off the side of the neck, the carotid artery runs there."


def live_states(technique, track) -> list[LiveState]:
    live = LiveScorer(technique, None, track.width, track.height)
    return [
        live.update(float(t), None if np.isnan(p[0]) else p)
        for t, p in zip(track.t, track.thumb_px, strict=True)
    ]


def spoken(states, voice: CueVoice | None = None):
    voice = voice or CueVoice()
    return [u for u in (voice.hear(s) for s in states) if u is not None]


def state(**changes) -> LiveState:
    base = LiveState(
        index=0,
        cue="Stroke from the heel to the big toe along the line.",
        stroke_count=0,
        score=None,
        last_verdict=None,
        last_good=None,
        trail=(),
        in_stroke_from=None,
        elapsed_s=0.0,
        along=0.0,
        offset=0.0,
        zone=None,
        warning=None,
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize("every", [1, 9])  # each frame, or every 0.3 s as the page looks
def test_good_strokes_are_said_once_each_after_the_instruction(every):
    track = session([list(p) for p in FOOT.guide], passes=3)
    said = spoken(live_states(FOOT, track)[::every])
    assert [u.text for u in said] == [
        "Stroke from the heel to the big toe along the line.",
        "Good stroke.",
        "Good stroke.",
        "Good stroke.",
    ]
    assert [u.number for u in said] == [1, 2, 3, 4]
    assert not any(u.interrupt or u.tone for u in said)


def test_a_good_stroke_can_be_a_tone():
    track = session([list(p) for p in FOOT.guide], passes=2)
    said = spoken(live_states(FOOT, track), CueVoice(good_tone=True))
    assert [(u.text, u.tone) for u in said] == [
        ("Stroke from the heel to the big toe along the line.", False),
        ("Good stroke.", True),
        ("Good stroke.", True),
    ]


def test_at_most_one_cue_per_stroke_while_drifting():
    # Drifting passes: the live cue switches between drift warnings, verdicts and the
    # instruction many times; one is said per stroke (plus the first, before any stroke).
    track = session([list(p) for p in FOOT.guide], passes=4, offset=0.2, wobble=0.1)
    states = live_states(FOOT, track)
    changes = sum(a.cue != b.cue for a, b in itertools.pairwise(states))
    said = spoken(states)
    assert changes > 2 * len(said)
    assert len(said) <= states[-1].stroke_count + 1
    assert "Stay on the line" in said[1].text


def test_a_fault_verdict_is_said_even_if_the_instruction_was_not():
    voice = CueVoice()
    assert voice.hear(state()).text.startswith("Stroke from")
    assert voice.hear(state(cue="Stay on the line: you are drifting toward the sole.")) is None
    verdict = "Stroke from the heel to the big toe, not back."
    judged = state(cue=verdict, stroke_count=1, last_verdict=verdict, last_good=False)
    assert voice.hear(judged).text == verdict
    assert voice.hear(judged) is None
    # The same instruction as last said is not repeated in the next stroke's period.
    again = state(cue=verdict, stroke_count=2, last_verdict="Good stroke.", last_good=True)
    assert voice.hear(again) is None


def test_carotid_cues_are_said_at_once_and_interrupt():
    voice = CueVoice()
    assert voice.hear(state()) is not None  # the period's one cue is used
    danger = state(cue=CAREFUL, warning="carotid zone, left of the picture")
    first = voice.hear(danger)
    assert first.text == CAREFUL and first.interrupt
    assert voice.hear(danger) is None  # said once while the thumb stays in the zone
    assert voice.hear(state(cue="Show your hand to the camera.")) is None
    assert voice.hear(danger).interrupt  # entering again: said again


def test_carotid_cues_with_the_live_scorer():
    track = session([list(p) for p in FRONT.guide], passes=3, offset=0.3)
    states = live_states(FRONT, track)
    entries = sum(
        b.warning is not None and a.warning is None for a, b in itertools.pairwise(states)
    ) + (states[0].warning is not None)
    said = spoken(states)
    interrupting = [u for u in said if u.interrupt]
    assert entries >= 1 and len(interrupting) == entries
    assert all(u.text == CAREFUL for u in interrupting)
    assert said[0].interrupt  # the thumb starts in the zone


def test_announcements_are_always_said_and_kept_in_order():
    voice = CueVoice()
    voice.hear(state())
    a = voice.say("Exercise 2 of 5: The front of the neck.")
    assert (a.number, a.interrupt) == (2, False)
    assert [u.text for u in voice.recent][-1] == a.text
    for n in range(10):
        voice.say(f"note {n}")
    assert len(voice.recent) == 8 and voice.recent[-1].number == 12
