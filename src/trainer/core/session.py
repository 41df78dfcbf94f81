"""The streaming review: movements judged one frame at a time, offline and live alike."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainer.core.calibration import Calibration, calibration_for
from trainer.core.judge import judge
from trainer.core.metrics import stroke_metrics
from trainer.core.strokes import Stroke, StrokeSegmenter
from trainer.core.summary import summarize
from trainer.core.technique import Technique
from trainer.core.track import Track
from trainer.core.verdict import MOVE, Review, StrokeReview


@dataclass
class Session:
    """Streaming review: `feed` one frame at a time, `summary()` any time.

    Positions are kept in path lengths (pixels / path length in pixels) so nothing depends on
    resolution or distance to the camera.
    """

    technique: Technique
    calibration: Calibration
    width: int
    height: int
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
        self._gap_start: float | None = None
        self._last_t: float | None = None

    def feed(self, t: float, thumb_px: Any) -> list[StrokeReview]:
        """One frame: thumb tip in pixels or None; returns the movements judged on it."""
        i = len(self._t)
        found = thumb_px is not None and not np.isnan(thumb_px[0])
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
        verdict = judge(m, stroke, previous, self.technique)
        self.judged.append(verdict)
        return verdict

    def summary(self) -> Review:
        """The review of everything judged so far."""
        return summarize(
            self.technique,
            self.calibration,
            self.judged,
            self.gaps,
            self._t[-1] - self._t[0] if self._t else 0.0,
        )


def review(track: Track, technique: Technique, calibration: Calibration | None = None) -> Review:
    """Judge a whole track: the same frame-by-frame session the live form runs."""
    calibration = calibration_for(technique, calibration)
    session = Session(technique, calibration, track.width, track.height)
    for t, p in zip(track.t, track.thumb_px, strict=True):
        session.feed(float(t), None if np.isnan(p[0]) else p)
    session.finish()
    return session.summary()
