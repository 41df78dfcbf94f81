"""The annotated review video: the track replayed through the live coach, drawn on each frame."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from trainer.capture.video import VideoWriter, read_frames
from trainer.core.active_hand import judge_hands
from trainer.core.calibration import Calibration
from trainer.core.errors import VideoError
from trainer.core.technique import Technique
from trainer.core.track import Track
from trainer.overlay.coach import Coach
from trainer.overlay.idle_hands import IdleHands


def render_annotated(
    video: str | Path,
    track: Track,
    technique: Technique,
    calibration: Calibration | None,
    out: str | Path,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write `out` (H.264 mp4): path and zones, coloured trail, stroke numbers, cues, HUD.

    Frames are matched to the track by index, so the cues are the ones Practice would have
    shown at that moment.
    """
    coach = Coach(technique, calibration, track.width, track.height)
    # The judged thumb stroke by stroke, as the review chose it; other hands drawn greyed.
    track = judge_hands(track, technique, coach.calibration.in_pixels(track.width, track.height))
    hands = track.hands
    fps = track.fps or 25.0  # the stream's rate, read when the video was tracked
    total = len(track)
    with VideoWriter(out, fps, track.width, track.height) as writer:
        for frame in read_frames(video):
            i = frame.index
            if i >= total:
                break
            thumb = track.thumb_px[i]
            idle = None
            if hands is not None:
                idle = IdleHands.beside(hands.landmarks[i], int(hands.judged[i]), track.size)
            coach.step(float(track.t[i]), None if np.isnan(thumb[0]) else thumb, idle)
            writer.write(coach.draw(frame.rgb), float(track.t[i] - track.t[0]))
            if progress:
                progress(i + 1, total)
    if coach.state is None:
        raise VideoError(f"{Path(video).name}: has no frames to annotate")
    return Path(out)
