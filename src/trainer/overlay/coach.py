"""The coach: feeds a LiveScorer and draws each frame as the user should see it.

The live Practice view and the annotated review video both replay thumb positions through it,
so both look alike. When the path follows the body part, the thumb's trail is kept on the
body (in the first frame's pixels) and drawn, like the path, where the body is in each frame.
"""

from __future__ import annotations

from array import array
from collections import deque
from dataclasses import replace

import numpy as np

from trainer.core.calibration import Calibration, calibration_for
from trainer.core.feedback import exercise_clock
from trainer.core.pathmotion import FIXED, PathPose, apply
from trainer.core.scorer import LiveScorer, LiveState
from trainer.core.technique import Technique
from trainer.overlay.annotators import Cue, Guide, Hud, StrokeLabels, Trail, View, ViewAnnotator
from trainer.overlay.idle_hands import IdleHands, IdleHandsAnnotator
from trainer.overlay.palette import NOT_SCORED, UNJUDGED, cue_color, trail_state

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
        self.idle_annotator = IdleHandsAnnotator()
        self.idle = IdleHands.none()
        self._recent: deque[tuple[int, float, float, float]] = deque()
        # Every frame's thumb, for stroke labels; packed: 16 bytes a frame in a long session.
        self._all_x, self._all_y = array("d"), array("d")
        self._pose = FIXED
        self.state: LiveState | None = None

    def step(
        self,
        t: float,
        thumb_px: np.ndarray | None,
        pose: PathPose | None = None,
        idle: IdleHands | None = None,
        notice: str | None = None,
    ) -> LiveState:
        """Score one frame (thumb tip in pixels, or None / NaN without a hand); `pose`: where
        the path is now, when it follows the body part; `idle`: the other hands in view, not
        judged (drawn greyed); `notice`: a cue that outranks the scorer's (such as "too dark"),
        but not a warning."""
        self.idle = IdleHands.none() if idle is None else idle
        state = self.scorer.update(t, thumb_px, pose)
        if notice is not None and state.warning is None:
            state = replace(state, cue=notice)
        self.state = state
        self._pose = pose or FIXED
        if thumb_px is not None and pose is not None:
            thumb_px = pose.to_first(thumb_px)[0]
        x, y = (np.nan, np.nan) if thumb_px is None else (float(thumb_px[0]), float(thumb_px[1]))
        self._recent.append((self.state.index, t, x, y))
        self._all_x.append(x)
        self._all_y.append(y)
        while self._recent and self._recent[0][1] < t - self.trail_s:
            self._recent.popleft()
        return self.state

    def switch_hand(self, t: float) -> None:
        """Another hand is judged from the next frame on."""
        self.scorer.switch_hand(t)

    def draw(self, rgb: np.ndarray) -> np.ndarray:
        """The frame with the current view drawn on it (in place), idle hands underneath."""
        self.idle_annotator.annotate(rgb, self.idle)
        return self.annotator.annotate(rgb, self.view())

    def view(self) -> View:
        state = self.state
        index = np.array([r[0] for r in self._recent], dtype=np.int64)
        xy = np.array([(r[2], r[3]) for r in self._recent], dtype=np.float64).reshape(-1, 2)
        marks = np.full(len(index), NOT_SCORED, dtype=np.int8)
        labels = StrokeLabels(np.zeros((0, 2)), np.zeros(0, int), np.zeros(0, bool))
        if state is not None and len(index):
            marks, labels = self._marks(state, index, xy)
        guide = self.guide
        if self._pose is not FIXED:  # drawn where the body part is now
            m = self._pose.matrix
            guide = replace(guide, points=apply(m, guide.points))
            xy, labels = apply(m, xy), replace(labels, xy=apply(m, labels.xy))
        return View(guide, Trail(xy, marks), labels, self._cue(state), self._hud(state))

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
            marks[inside] = trail_state(good)
            if good is None:
                continue
            # The label goes halfway along the pass, even if its start has left the trail.
            whole = np.column_stack([self._all_x[start:end], self._all_y[start:end]])
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
        return Cue("" if state is None else state.cue, cue_color(state))

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
