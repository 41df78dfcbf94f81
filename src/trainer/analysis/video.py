"""Review of one video file, start to end: track the thumb, follow the path, judge the strokes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainer.capture.body import follow_video
from trainer.capture.tracker import MAX_HANDS, HandChoice
from trainer.capture.video_tracking import ProgressFn, track_video
from trainer.core.base.errors import TrainerError
from trainer.core.judging import feedback
from trainer.core.judging.light import track_too_dark
from trainer.core.judging.streaming import judge_track
from trainer.core.judging.summary import untimed
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.path.hand_gate import HandGate
from trainer.core.path.pathmotion import PathMotion
from trainer.core.technique import Technique
from trainer.core.track import Track

MIN_DETECTED = 0.05  # below this share of frames with a hand, there is nothing to judge
MIN_FOLLOWED = 0.05  # below this share of frames, the body part was lost for the whole video


@dataclass(frozen=True)
class Analysis:
    """A judged video: its track, the technique and path it was judged against, the review
    (whose `path_motion` says where the path was in each frame when it followed the body)."""

    video: Path
    track: Track
    technique: Technique
    calibration: Calibration
    review: Review


def hands_px(track: Track) -> np.ndarray:
    """(N, H, 21, 2) every tracked hand's landmarks in pixels, per frame (NaN: no hand)."""
    return track.all_hands.landmarks[..., :2] * track.size


def follow_path(
    video: Path, track: Track, calibration: Calibration, progress: ProgressFn | None = None
) -> PathMotion:
    """Where the path is in each frame of the video, following the body part under it;
    raises TrainerError when the body part is lost for (nearly) the whole video."""
    motion = follow_video(
        video, calibration.points * track.size, hands_px(track), progress=progress
    )
    if motion.followed_share < MIN_FOLLOWED:
        raise TrainerError(feedback.body_lost_everywhere_sentence(video.name))
    return motion


def analyse_video(
    video: str | Path,
    technique: Technique,
    calibration: Calibration | None = None,
    progress: ProgressFn | None = None,
    hand: HandChoice = "auto",
    max_hands: int = MAX_HANDS,
    *,
    follow: bool = True,
    follow_progress: ProgressFn | None = None,
    exposure: bool = True,
) -> Analysis:
    """Track and judge a video; raises TrainerError when no hand can be followed in it.

    follow: the path, given in the first frame, follows the body part (else it stays fixed
    in the picture); follow_progress reports that second pass over the frames.
    exposure: brighten dark frames for the hand model. Detections that can't be the hand
    (far from the path and of no hand's size for it) are not followed.
    """
    video = Path(video)
    calibration = calibration_for(technique, calibration)
    gate = HandGate(calibration)
    track = track_video(
        video, progress=progress, hand=hand, max_hands=max_hands, exposure=exposure, gate=gate
    )
    if track.detected_fraction < MIN_DETECTED:
        seen = f"{track.detected_fraction:.0%}" if track.detected.any() else "none"
        dark = track_too_dark(track.detected_fraction, track.meta)
        raise TrainerError(f"{video.name}: {feedback.no_hand_sentence(seen, len(track), dark)}")
    motion = follow_path(video, track, calibration, follow_progress) if follow else None
    review = untimed(judge_track(track, technique, calibration, motion), technique)
    return Analysis(video, track, technique, calibration, review)
