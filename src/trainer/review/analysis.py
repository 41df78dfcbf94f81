"""Review of one video file, start to end: track the thumb, judge the strokes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trainer.capture.tracker import HandChoice, track_video
from trainer.core import feedback
from trainer.core.calibration import Calibration, calibration_for
from trainer.core.errors import TrainerError
from trainer.core.hand_gate import HandGate
from trainer.core.light import track_too_dark
from trainer.core.session import review
from trainer.core.technique import Technique
from trainer.core.track import Track
from trainer.core.verdict import Review

MIN_DETECTED = 0.05  # below this share of frames with a hand, there is nothing to judge


@dataclass(frozen=True)
class Analysis:
    """A judged video: its track, the technique and path it was judged against, the review."""

    video: Path
    track: Track
    technique: Technique
    calibration: Calibration
    review: Review


def analyse_video(
    video: str | Path,
    technique: Technique,
    calibration: Calibration | None = None,
    progress: Callable[[int, int], None] | None = None,
    hand: HandChoice = "auto",
    *,
    exposure: bool = True,
) -> Analysis:
    """Track and judge a video; raises TrainerError when no hand can be followed in it.

    exposure: brighten dark frames for the hand model. Detections that can't be the hand
    (far from the path and of no hand's size for it) are not followed.
    """
    video = Path(video)
    calibration = calibration_for(technique, calibration)
    gate = HandGate(calibration)
    track = track_video(video, progress=progress, hand=hand, exposure=exposure, gate=gate)
    if track.detected_fraction < MIN_DETECTED:
        seen = f"{track.detected_fraction:.0%}" if track.detected.any() else "none"
        dark = track_too_dark(track.detected_fraction, track.meta)
        raise TrainerError(f"{video.name}: {feedback.no_hand_sentence(seen, len(track), dark)}")
    return Analysis(video, track, technique, calibration, review(track, technique, calibration))
