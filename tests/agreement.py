"""What Practice and `trainer review` must agree on: each pass's hand, direction and faults.

A session shown mirrored names the hands as the user saw them (the left of the flipped
picture), so its names are turned back to the picture as filmed before comparing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.synth.truth import GroundTruth

Verdict = tuple[str | None, bool, tuple[str, ...]]

AS_FILMED = {"left": "right", "right": "left", None: None}


def verdicts(strokes: Iterable[dict], mirrored: bool = False) -> list[Verdict]:
    """(hand as filmed, direction right, faults) of each pass, from the review's JSON strokes."""
    return [
        (
            AS_FILMED[s.get("hand")] if mirrored else s.get("hand"),
            bool(s["direction_ok"]),
            tuple(s["faults"]),
        )
        for s in strokes
    ]


def disagreement(live: list[Verdict], review: list[Verdict], cut_first: bool) -> str | None:
    """Why the live passes are not the review's (None: they agree). cut_first: the live
    session may lack the review's first pass of each hand (the camera started late into it)
    or have it cut short, so that pass may be missing or judged differently."""
    if live == review:
        return None
    if cut_first:
        hands = {h for h, _, _ in review}
        firsts = {next(i for i, v in enumerate(review) if v[0] == h) for h in hands}
        rest = [v for i, v in enumerate(review) if i not in firsts]
        if len(live) in (len(rest), len(review)) and live[len(live) - len(rest) :] == rest:
            return None
    return f"live {live} != review {review}"


@functools.cache
def review_of(video: Path) -> list[Verdict]:
    """`trainer review` of a sample video with its calibration, following the body part (once
    per test run: the fast and the browser checks both compare with it)."""
    from trainer.analysis.video import analyse_video

    truth = GroundTruth.load(video.with_suffix(".json"))
    technique = load_technique(truth.technique)
    review = analyse_video(video, technique, Calibration.from_dict(truth.calibration)).review
    return verdicts(s.to_dict() for s in review.strokes)
