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
    """Why the live passes are not the review's (None: they agree), hand by hand (two hands
    stroking at once may start their passes in either order). cut_first: the camera may
    have started late into a hand's first pass, so that one may be missing or judged on
    what was left of it."""
    for hand in {h for h, _, _ in live + review}:
        mine = [v for v in live if v[0] == hand]
        theirs = [v for v in review if v[0] == hand]
        cut = len(theirs) - len(mine)  # 0: the first pass judged on what was left of it
        if mine == theirs or (cut_first and cut in (0, 1) and mine[1 - cut :] == theirs[1:]):
            continue
        return f"live {live} != review {review}"
    return None


@functools.cache
def review_of(video: Path) -> list[Verdict]:
    """`trainer review` of a sample video with its calibration, following the body part (once
    per test run: the fast and the browser checks both compare with it)."""
    from trainer.analysis.video import analyse_video

    truth = GroundTruth.load(video.with_suffix(".json"))
    technique = load_technique(truth.technique)
    review = analyse_video(video, technique, Calibration.from_dict(truth.calibration)).review
    return verdicts(s.to_dict() for s in review.strokes)
