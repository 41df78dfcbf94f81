"""The annotated review video: the track replayed through the live coach, drawn on each frame."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from trainer.capture.video import VideoWriter, read_frames
from trainer.core.base.errors import VideoError
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import PathMotion, PathPose
from trainer.core.strokes.active_hand import judge_hands
from trainer.core.strokes.two_hands import both_hands
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
    # Both hands stroking, each judged on its side line as the review paired them; else the
    # judged thumb stroke by stroke, as the review chose it. Other hands drawn greyed.
    pairs = both_hands(track, technique, coach.calibration) if technique.hands == 2 else None
    if pairs:
        coach.hands.assign(pairs)
    else:
        path = coach.calibration.in_pixels(track.width, track.height)
        track = judge_hands(track, technique, path)
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
                _step(coach, track, i, None if motion is None else motion[i], pairs)
                writer.write(coach.draw(frame.rgb), float(track.t[i] - track.t[0]))
                if progress:
                    progress(frames, total)
        if frames != total:
            raise VideoError(_not_its_track(Path(video), track, frames))
    except BaseException:
        Path(out).unlink(missing_ok=True)
        raise
    return Path(out)


def _step(
    coach: Coach,
    track: Track,
    i: int,
    pose: PathPose | None,
    pairs: list[tuple[str, int, Calibration]] | None,
) -> None:
    """Frame i through the coach: both paired hands' thumbs, or the judged one."""
    hands, t = track.hands, float(track.t[i])
    if pairs:
        judged = [k for _, k, _ in pairs]
        idle = IdleHands.beside(hands.landmarks[i], judged, track.size)
        coach.step_hands(t, hands.thumb_px[i], pose, idle)
        return
    thumb = track.thumb_px[i]
    idle = None
    if hands is not None:
        idle = IdleHands.beside(hands.landmarks[i], [int(hands.judged[i])], track.size)
    coach.step(t, None if np.isnan(thumb[0]) else thumb, pose, idle)


def _not_its_track(video: Path, track: Track, frames: int) -> str:
    """Why the track does not go with the video: both named, with their frame counts."""
    source = track.meta.get("source")
    whose = f"the track of {source}" if source else "the track"
    counted = f"more than {len(track)}" if frames > len(track) else str(frames)
    return f"{whose} ({len(track)} frames) is not of {video.name} ({counted} frames)"
