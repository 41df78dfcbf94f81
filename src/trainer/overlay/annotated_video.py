"""The annotated review video: the track replayed through the live coach, drawn on each frame."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from trainer.capture.video import VideoWriter, read_frames
from trainer.core.base.errors import VideoError
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import PathMotion
from trainer.core.strokes.active_hand import judge_hands
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
    motion: PathMotion | None = None,
) -> Path:
    """Write `out` (H.264 mp4): path and zones, coloured trail, stroke numbers, cues, HUD.

    Frames are matched to the track by index, so the cues are the ones Practice would have
    shown at that moment. With `motion` (one pose per frame of the track) the path is drawn
    where the body part was in each frame. A track of another video (not one frame per frame)
    is refused.
    """
    coach = Coach(technique, calibration, track.width, track.height)
    # The judged thumb stroke by stroke, as the review chose it; other hands drawn greyed.
    track = judge_hands(track, technique, coach.calibration.in_pixels(track.width, track.height))
    hands = track.hands
    fps = track.fps or 25.0  # the stream's rate, read when the video was tracked
    total = len(track)
    frames = 0
    try:
        with VideoWriter(out, fps, track.width, track.height) as writer:
            for frame in read_frames(video):
                frames = frame.index + 1
                if frames > total:
                    break
                i = frame.index
                thumb = track.thumb_px[i]
                pose = None if motion is None else motion[i]
                idle = None
                if hands is not None:
                    idle = IdleHands.beside(hands.landmarks[i], [int(hands.judged[i])], track.size)
                found = not np.isnan(thumb[0])
                coach.step(float(track.t[i]), thumb if found else None, pose, idle)
                writer.write(coach.draw(frame.rgb), float(track.t[i] - track.t[0]))
                if progress:
                    progress(frames, total)
        if frames != total:
            raise VideoError(_not_its_track(Path(video), track, frames))
    except BaseException:
        Path(out).unlink(missing_ok=True)
        raise
    return Path(out)


def _not_its_track(video: Path, track: Track, frames: int) -> str:
    """Why the track does not go with the video: both named, with their frame counts."""
    source = track.meta.get("source")
    whose = f"the track of {source}" if source else "the track"
    counted = f"more than {len(track)}" if frames > len(track) else str(frames)
    return f"{whose} ({len(track)} frames) is not of {video.name} ({counted} frames)"
