"""A reviewed video with its drawing: tracked, followed, judged, then drawn into an mp4.

The one way to get both, shared by the Review page and the job runner, so the pipeline is
composed once and the callers only say where progress goes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from trainer.analysis.video import Analysis, analyse_video
from trainer.capture.tracker import MAX_HANDS, HandChoice
from trainer.capture.video_tracking import ProgressFn
from trainer.core.path.calibration import Calibration
from trainer.core.technique import Technique
from trainer.overlay.annotated_video import render_annotated


@dataclass(frozen=True)
class ReviewOptions:
    """How a video is reviewed, as `trainer review`'s flags say it.

    follow: the path, given in the first frame, follows the body part (else it stays fixed in
    the picture); exposure: dark frames are brightened for the hand model; hand and max_hands:
    which hand is judged and how many are followed.
    """

    follow: bool = True
    exposure: bool = True
    hand: HandChoice = "auto"
    max_hands: int = MAX_HANDS


@dataclass(frozen=True)
class ReviewSteps:
    """A callback (frames done, frames in all) for each pass over the frames; None: silent.

    A callback may raise to stop the review (the job runner's cancellation does).
    """

    tracking: ProgressFn | None = None
    following: ProgressFn | None = None
    drawing: ProgressFn | None = None


@dataclass(frozen=True)
class DrawnAnalysis:
    """The analysis, its annotated video (None when none was asked for), and the seconds the
    review took before the drawing."""

    analysis: Analysis
    annotated: Path | None
    review_s: float


def analyse_and_draw(
    video: str | Path,
    technique: Technique,
    calibration: Calibration | None,
    options: ReviewOptions,
    annotated: str | Path | None,
    steps: ReviewSteps | None = None,
) -> DrawnAnalysis:
    """Track and judge the video, then draw it into `annotated` (an mp4; None: not drawn).

    Raises TrainerError as `analyse_video` does, before anything is drawn.
    """
    steps = steps or ReviewSteps()
    started = time.perf_counter()
    analysis = analyse_video(
        video,
        technique,
        calibration,
        progress=steps.tracking,
        hand=options.hand,
        max_hands=options.max_hands,
        follow=options.follow,
        follow_progress=steps.following,
        exposure=options.exposure,
    )
    review_s = time.perf_counter() - started
    drawn = None
    if annotated is not None:
        drawn = render_annotated(
            video,
            analysis.track,
            technique,
            analysis.calibration,
            annotated,
            progress=steps.drawing,
            motion=analysis.review.path_motion,
        )
    return DrawnAnalysis(analysis, drawn, review_s)
