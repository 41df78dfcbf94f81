"""The streaming review: movements judged one frame at a time, offline and live alike."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from trainer.core.judging import feedback
from trainer.core.judging.light import with_light_advice
from trainer.core.judging.rules import judge
from trainer.core.judging.summary import summarize
from trainer.core.judging.verdict import MOVE, Review, StrokeReview
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.path.pathmotion import FIXED, PathMotion, PathPose, PoseLog
from trainer.core.strokes.active_hand import judge_hands
from trainer.core.strokes.metrics import stroke_metrics
from trainer.core.strokes.segmenter import Stroke, StrokeSegmenter
from trainer.core.strokes.two_hands import both_hands, merge_gaps
from trainer.core.technique import Technique
from trainer.core.track import Track


@dataclass
class StreamingJudge:
    """Streaming review: `feed` one frame at a time, `summary()` any time.

    Positions are kept in path lengths (pixels / path length in pixels) so nothing depends on
    resolution or distance to the camera. When the path follows the body part, each frame's
    `PathPose` maps the thumb back into the first frame, where the path was given. `hand`:
    "left" or "right" when it judges one of two stroking hands (its verdicts then name it).
    """

    technique: Technique
    calibration: Calibration
    width: int
    height: int
    hand: str | None = None
    judged: list[StrokeReview] = field(default_factory=list, init=False)
    gaps: list[tuple[float, float]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.calibration.check_technique(self.technique)
        self.path = self.calibration.in_pixels(self.width, self.height)
        self.segmenter = StrokeSegmenter(self.technique.segmentation)
        # Packed arrays, not lists of floats: 40 bytes a frame, so an hour of live practice
        # holds 4 MB here, not 20.
        self._t, self._x, self._y = array("d"), array("d"), array("d")
        self._s, self._d = array("d"), array("d")
        self._poses: PoseLog | None = None
        self._gap_start: float | None = None
        self._last_t: float | None = None

    def feed(self, t: float, thumb_px: Any, pose: PathPose | None = None) -> list[StrokeReview]:
        """One frame: thumb tip in pixels or None, and where the path is (None: where it was
        given); returns the movements judged on it."""
        i = len(self._t)
        found = thumb_px is not None and not np.isnan(thumb_px[0])
        if pose is not None or self._poses is not None:
            if self._poses is None:
                self._poses = PoseLog(frames_before=i)
            self._poses.append(pose or FIXED)
        if found and pose is not None:
            thumb_px = pose.to_first(thumb_px)[0]
        if found:
            s, d = self.path.project(np.asarray(thumb_px, dtype=np.float64))
            s, d = float(s[0]), float(d[0])
            xy = (float(thumb_px[0]) / self.path.length, float(thumb_px[1]) / self.path.length)
            if self._gap_start is not None:
                if t - self._gap_start >= self.technique.segmentation.hand_lost_s:
                    self.gaps.append((self._gap_start, t))
                self._gap_start = None
        else:
            s = d = np.nan
            xy = (np.nan, np.nan)
            if self._gap_start is None and self._last_t is not None:
                self._gap_start = t
        self._t.append(float(t))
        self._x.append(xy[0])
        self._y.append(xy[1])
        self._s.append(s)
        self._d.append(d)
        if found:
            self._last_t = t
        strokes = self.segmenter.push(i, float(t), np.array(xy) if found else None, s)
        return [self._judge(st) for st in strokes]

    def finish(self) -> list[StrokeReview]:
        return [self._judge(st) for st in self.segmenter.finish()]

    def name(self, hand: str) -> None:
        """Its thumb is `hand` of two stroking hands: verdicts from now on, and those already
        judged, name it."""
        self.hand = hand
        self.judged = [self._named(j) for j in self.judged]

    def cut(self, t: float) -> list[StrokeReview]:
        """Another hand is judged from now on: end the movement in progress."""
        return [self._judge(st) for st in self.segmenter.cut(t)]

    @property
    def last_t(self) -> float | None:
        """Time of the latest frame fed, None before the first."""
        return self._t[-1] if self._t else None

    def point(self, i: int) -> tuple[float, float]:
        """Progress s and cross-track d of frame i (NaN without a hand)."""
        return self._s[i], self._d[i]

    def _judge(self, stroke: Stroke) -> StrokeReview:
        sl = stroke.slice
        m = stroke_metrics(
            np.asarray(self._t[sl]),
            np.column_stack([self._x[sl], self._y[sl]]),
            np.asarray(self._s[sl]),
            np.asarray(self._d[sl]),
            self.technique,
        )
        previous = next((j for j in reversed(self.judged) if j.kind != MOVE), None)
        verdict = self._named(judge(m, stroke, previous, self.technique))
        self.judged.append(verdict)
        return verdict

    def _named(self, verdict: StrokeReview) -> StrokeReview:
        """The verdict naming the hand, when it judges one of two stroking hands."""
        if self.hand is None or verdict.hand == self.hand:
            return verdict
        named = tuple(feedback.hand_sentence(self.hand, x) for x in verdict.feedback)
        return replace(verdict, hand=self.hand, feedback=named)

    @property
    def motion(self) -> PathMotion | None:
        """Where the path was in each frame so far; None while it stays where it was given."""
        return None if self._poses is None else self._poses.motion()

    def summary(self) -> Review:
        """The review of everything judged so far."""
        return self._summary(self.calibration, self.judged, self.gaps)

    def _summary(
        self,
        calibration: Calibration,
        judged: list[StrokeReview],
        gaps: list[tuple[float, float]],
    ) -> Review:
        motion = self.motion
        return summarize(
            self.technique,
            calibration,
            judged,
            gaps,
            self._t[-1] - self._t[0] if self._t else 0.0,
            motion,
            motion.lost_spans(np.asarray(self._t)) if motion is not None else [],
        )


def together(judges: list[StreamingJudge], calibration: Calibration) -> Review:
    """One review of judges fed the same frames, each hand's on its own side line of the
    path `calibration`: their movements in order, gaps while no hand was seen."""
    judged = sorted((j for s in judges for j in s.judged), key=lambda j: j.start_index)
    gaps = merge_gaps([g for s in judges for g in s.gaps])
    return judges[0]._summary(calibration, judged, gaps)


def run_judge(
    track: Track,
    judge: StreamingJudge,
    thumb_px: np.ndarray | None = None,
    motion: PathMotion | None = None,
) -> StreamingJudge:
    """Feed a whole track (or another thumb series of its frames) to a judge and finish it;
    `motion`: where the path was in each frame (None: where it was given)."""
    thumb_px = track.thumb_px if thumb_px is None else thumb_px
    for i, (t, p) in enumerate(zip(track.t, thumb_px, strict=True)):
        pose = None if motion is None else motion[i]
        judge.feed(float(t), None if np.isnan(p[0]) else p, pose)
    judge.finish()
    return judge


def judge_track(
    track: Track,
    technique: Technique,
    calibration: Calibration | None = None,
    motion: PathMotion | None = None,
) -> Review:
    """Judge a whole track: the same frame-by-frame judge the live form runs, plus advice
    on the light when the tracker found it too poor.

    With several hands in view, the hand judged is chosen stroke by stroke (the one moving
    along the path); a technique for both hands judges each against its own side line.
    `motion`: where the path was in each frame when it followed the body part (one pose per
    frame of the track); None keeps it where it was given.
    """
    calibration = calibration_for(technique, calibration)
    if motion is not None and len(motion) != len(track):
        raise ValueError(f"{len(motion)} path poses for a track of {len(track)} frames")
    path = calibration.in_pixels(track.width, track.height)
    found, meta = track.detected_fraction, track.meta
    if technique.hands == 2 and track.hands is not None:
        both = judge_both_hands(track, technique, calibration, motion)
        if both is not None:
            return with_light_advice(both, found, meta)
    track = judge_hands(track, technique, path)
    judge = StreamingJudge(technique, calibration, track.width, track.height)
    return with_light_advice(run_judge(track, judge, motion=motion).summary(), found, meta)


def judge_both_hands(
    track: Track,
    technique: Technique,
    calibration: Calibration,
    motion: PathMotion | None = None,
) -> Review | None:
    """Both hands judged, each on its own side line and named in its verdicts; None unless
    two hands moved along the path."""
    sides = both_hands(track, technique, calibration)
    if sides is None:
        return None
    judges = [
        run_judge(
            track,
            StreamingJudge(technique, side, track.width, track.height, hand=name),
            track.all_hands.thumb_px[:, k],
            motion,
        )
        for name, k, side in sides
    ]
    return together(judges, calibration)
