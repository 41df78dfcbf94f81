"""The coach: feeds a LiveScorer and draws each frame as the user should see it.

The live Practice view and the annotated review video both replay thumb positions through it,
so both look alike.
"""

from __future__ import annotations

import dataclasses
from collections import deque

import numpy as np

from trainer.core.calibration import Calibration, calibration_for
from trainer.core.feedback import exercise_clock
from trainer.core.scorer import LiveScorer, LiveState
from trainer.core.technique import Technique
from trainer.overlay.annotators import (
    FAULT,
    FAULTY,
    GOOD,
    GOOD_STROKE,
    NOT_SCORED,
    UNJUDGED,
    WHITE,
    Cue,
    Guide,
    Hud,
    StrokeLabels,
    Trail,
    View,
    ViewAnnotator,
)

TRAIL_S = 4.0  # how much of the thumb's path stays on screen


class Coach:
    """Feeds a LiveScorer and draws each frame: guide, coloured trail, stroke numbers, cue, HUD."""

    def __init__(
        self,
        technique: Technique,
        calibration: Calibration | None,
        width: int,
        height: int,
        trail_s: float = TRAIL_S,
    ) -> None:
        self.technique = technique
        self.calibration = calibration_for(technique, calibration)
        self.scorer = LiveScorer(technique, self.calibration, width, height)
        self.guide = Guide.from_calibration(self.calibration, technique, width, height)
        self.trail_s = trail_s
        self.annotator = ViewAnnotator()
        self._recent: deque[tuple[int, float, float, float]] = deque()
        self._all_xy: list[tuple[float, float]] = []  # every frame's thumb, for stroke labels
        self.state: LiveState | None = None
        self._notice = False

    def step(self, t: float, thumb_px: np.ndarray | None, notice: str | None = None) -> LiveState:
        """Score one frame (thumb tip in pixels, or None / NaN without a hand).

        notice: a cue that outranks the scorer's (such as "too dark"), but not a warning.
        """
        state = self.scorer.update(t, thumb_px)
        self._notice = notice is not None and state.warning is None
        if self._notice:
            state = dataclasses.replace(state, cue=notice)
        self.state = state
        x, y = (np.nan, np.nan) if thumb_px is None else (float(thumb_px[0]), float(thumb_px[1]))
        self._recent.append((self.state.index, t, x, y))
        self._all_xy.append((x, y))
        while self._recent and self._recent[0][1] < t - self.trail_s:
            self._recent.popleft()
        return self.state

    def draw(self, rgb: np.ndarray) -> np.ndarray:
        """The frame with the current view drawn on it (in place)."""
        return self.annotator.annotate(rgb, self.view())

    def view(self) -> View:
        state = self.state
        index = np.array([r[0] for r in self._recent], dtype=np.int64)
        xy = np.array([(r[2], r[3]) for r in self._recent], dtype=np.float64).reshape(-1, 2)
        marks = np.full(len(index), NOT_SCORED, dtype=np.int8)
        labels = StrokeLabels(np.zeros((0, 2)), np.zeros(0, int), np.zeros(0, bool))
        if state is not None and len(index):
            marks, labels = self._marks(state, index, xy)
        return View(self.guide, Trail(xy, marks), labels, self._cue(state), self._hud(state))

    def _marks(self, state: LiveState, index: np.ndarray, xy: np.ndarray):
        """Per trail point its movement's verdict; a numbered label halfway along each pass."""
        marks = np.full(len(index), NOT_SCORED, dtype=np.int8)
        first = index[0]
        number = state.stroke_count
        spots, numbers, goods = [], [], []
        for start, end, good in reversed(state.trail):
            if end <= first:
                break
            inside = (index >= start) & (index < end)
            if good is None:
                marks[inside] = NOT_SCORED
                continue
            marks[inside] = GOOD_STROKE if good else FAULT
            # The label goes halfway along the pass, even if its start has left the trail.
            whole = np.array(self._all_xy[start:end]).reshape(-1, 2)
            seen = whole[~np.isnan(whole[:, 0])]
            if len(seen):
                spots.append(seen[len(seen) // 2])
                numbers.append(number)
                goods.append(good)
            number -= 1
        if state.in_stroke_from is not None:
            marks[index >= state.in_stroke_from] = UNJUDGED
        labels = StrokeLabels(
            np.array(spots, dtype=np.float64).reshape(-1, 2),
            np.array(numbers, dtype=int),
            np.array(goods, dtype=bool),
        )
        return marks, labels

    def _cue(self, state: LiveState | None) -> Cue:
        if state is None:
            return Cue("")
        if state.warning is not None or self._notice:
            return Cue(state.cue, FAULTY)
        if state.last_verdict is not None and state.cue == state.last_verdict:
            return Cue(state.cue, GOOD if state.last_good else FAULTY)
        return Cue(state.cue, WHITE)

    def _hud(self, state: LiveState | None) -> Hud:
        if state is None:
            return Hud(())
        score = "-" if state.score is None else f"{state.score:.0f}"
        return Hud(
            (
                ("strokes", str(state.stroke_count)),
                ("score", score),
                ("time", exercise_clock(state.elapsed_s, self.technique)),
            )
        )
