"""The coach: scores the hands live (LiveHands) and draws each frame as the user should see it.

The live Practice view and the annotated review video both replay thumb positions through it,
so both look alike. When the path follows the body part, the thumb's trail is kept on the
body (in the first frame's pixels) and drawn, like the path, where the body is in each frame.
When both hands are judged, each hand's side line and trail are drawn. Mirrored (the selfie
view), everything is judged in the picture as filmed and drawn flipped with it, text readable.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from trainer.core.judging.feedback import clock, exercise_clock
from trainer.core.judging.live_hands import Lane, LiveHands
from trainer.core.judging.live_scorer import LiveState
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.path.pathmotion import FIXED, PathPose, apply
from trainer.core.technique import Technique
from trainer.overlay.annotators import (
    Cue,
    Guide,
    GuideAnnotator,
    Hud,
    StrokeLabels,
    Trail,
    View,
    ViewAnnotator,
)
from trainer.overlay.idle_hands import IdleHands, IdleHandsAnnotator
from trainer.overlay.palette import NOT_SCORED, UNJUDGED, cue_color, trail_state

TRAIL_S = 4.0  # how much of the thumb's path stays on screen


class Coach:
    """Scores the hands and draws each frame: guide, coloured trail, stroke numbers, cue, HUD."""

    def __init__(
        self,
        technique: Technique,
        calibration: Calibration | None,
        width: int,
        height: int,
        trail_s: float = TRAIL_S,
        mirrored: bool = False,
        timer: Callable[[], tuple[float, float]] | None = None,
    ) -> None:
        """mirrored: `draw` is given the frame flipped left to right, as the user sees it.
        timer: (seconds, planned seconds) of a guided exercise, for the corner clock to read
        as the page's clock beside it does; None: the time since the first stroke."""
        self.timer = timer
        self.technique = technique
        self.calibration = calibration_for(technique, calibration)
        self.mirrored = mirrored
        self.hands = LiveHands(technique, self.calibration, width, height, mirrored)
        self.guide = Guide.from_calibration(self.calibration, technique, width, height)
        self._guides: dict[str, Guide] = {}  # each hand's side line, when both are judged
        self.size = (width, height)
        self.trail_s = trail_s
        self.annotator = ViewAnnotator()
        self.other_guide = GuideAnnotator(labels=False)  # the ends are named once, on one line
        self.idle_annotator = IdleHandsAnnotator()
        self.idle = IdleHands.none()
        self._recent: deque[tuple[int, float]] = deque()  # (frame, time) of the trail's frames
        # Every frame's thumbs, for trails and stroke labels; packed: 16 bytes a frame and
        # hand, and the hand judged, in a long session.
        self._all: list[tuple[array, array]] = []
        self._judged = array("b")
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
        """Score one frame of the one hand judged (thumb tip in pixels, or None / NaN without
        a hand); see `step_hands` and `tell`."""
        thumb = np.full(2, np.nan) if thumb_px is None else np.asarray(thumb_px, np.float64)
        self.step_hands(t, thumb[None], pose, idle, named=0)
        return self.tell(notice)

    def step_hands(
        self,
        t: float,
        thumbs: np.ndarray,
        pose: PathPose | None = None,
        idle: IdleHands | None = None,
        named: int | None = None,
    ) -> LiveState:
        """Score one frame: every hand's thumb tip (H, 2) in pixels, NaN for a hand not seen;
        `named`: the hand to judge (else the one stroking, or both); `pose`: where the path is
        now, when it follows the body part; `idle`: the hands in view not judged (drawn
        greyed)."""
        self.idle = IdleHands.none() if idle is None else idle
        state = self.hands.update(t, thumbs, pose, named)
        self.state = state
        self._pose = pose or FIXED
        thumbs = np.asarray(thumbs, dtype=np.float64).reshape(-1, 2)
        if pose is not None:
            thumbs = pose.to_first(thumbs)
        while len(self._all) < len(thumbs):  # a hand slot first seen now: none before
            before = [np.nan] * len(self._judged)
            self._all.append((array("d", before), array("d", before)))
        for k, (xs, ys) in enumerate(self._all):
            xs.append(float(thumbs[k, 0]) if k < len(thumbs) else np.nan)
            ys.append(float(thumbs[k, 1]) if k < len(thumbs) else np.nan)
        self._judged.append(self.hands.judged)
        self._recent.append((state.index, t))
        while self._recent and self._recent[0][1] < t - self.trail_s:
            self._recent.popleft()
        return self.state

    def tell(self, notice: str | None) -> LiveState:
        """Show `notice` this frame, a cue that outranks the scorer's (such as "too dark") but
        not a warning; None: nothing to add."""
        if notice is not None and self.state is not None and self.state.warning is None:
            self.state = replace(self.state, cue=notice)
        return self.state

    def draw(self, rgb: np.ndarray) -> np.ndarray:
        """The frame with the current view drawn on it (in place), idle hands underneath; the
        other hand's line, trail and numbers, when both are judged, under the first's."""
        views, idle = self.views(), self.idle
        if self.mirrored:
            views = [_flipped(view, self.size[0]) for view in views]
            idle = IdleHands(_flip_x(idle.points, self.size[0]))
        self.idle_annotator.annotate(rgb, idle)
        first, *others = views
        for view in others:
            self.other_guide.annotate(rgb, view.guide)
            self.annotator.trail.annotate(rgb, view.trail)
            self.annotator.labels.annotate(rgb, view.labels)
        return self.annotator.annotate(rgb, first)

    def view(self) -> View:
        """What is drawn: of the one hand judged, or of the first of both."""
        return self.views()[0]

    def views(self) -> list[View]:
        """One view per hand judged, each with the cue and HUD of the whole session."""
        state = self.state
        cue, hud = self._cue(state), self._hud(state)
        lanes = list(zip(self.hands.lanes, self.hands.lane_states, strict=True))
        if not lanes:
            lanes = [(self.hands.lanes[0], None)]
        return [self._lane_view(lane, lane_state, cue, hud) for lane, lane_state in lanes]

    def _lane_view(self, lane: Lane, state: LiveState | None, cue: Cue, hud: Hud) -> View:
        index = np.array([r[0] for r in self._recent], dtype=np.int64)
        xy = self._xy(lane, index[0], index[-1] + 1) if len(index) else np.zeros((0, 2))
        marks = np.full(len(index), NOT_SCORED, dtype=np.int8)
        labels = StrokeLabels(np.zeros((0, 2)), np.zeros(0, int), np.zeros(0, bool))
        if state is not None and len(index):
            marks, labels = self._marks(lane, state, index, xy)
        guide = self._guide(lane)
        if self._pose is not FIXED:  # drawn where the body part is now
            m = self._pose.matrix
            guide = replace(guide, points=apply(m, guide.points))
            xy, labels = apply(m, xy), replace(labels, xy=apply(m, labels.xy))
        return View(guide, Trail(xy, marks), labels, cue, hud)

    def _guide(self, lane: Lane) -> Guide:
        """The line a lane's hand is judged on: the path, or the hand's side line."""
        if lane.name is None:
            return self.guide
        if lane.name not in self._guides:
            calibration = lane.scorer.judge.calibration
            self._guides[lane.name] = Guide.from_calibration(
                calibration, self.technique, *self.size
            )
        return self._guides[lane.name]

    def _xy(self, lane: Lane, start: int, end: int) -> np.ndarray:
        """(end - start, 2) the lane's thumb in frames start .. end - 1 (first frame's pixels,
        NaN: no hand)."""
        hands = np.full(end - start, lane.hand)
        if lane.hand < 0:  # the one hand judged: whichever the picker chose in each frame
            hands = np.array(self._judged[start:end])
        out = np.full((end - start, 2), np.nan)
        for k, (xs, ys) in enumerate(self._all):
            here = hands == k
            if here.any():
                out[here] = np.column_stack([xs[start:end], ys[start:end]])[here]
        return out

    def _marks(self, lane: Lane, state: LiveState, index: np.ndarray, xy: np.ndarray):
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
            whole = self._xy(lane, start, end)
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
                ("time", self._time(state)),
            )
        )

    def _time(self, state: LiveState) -> str:
        if self.timer is None:
            return exercise_clock(state.elapsed_s, self.technique)
        seconds, planned = self.timer()
        return f"{clock(seconds)} / {clock(planned)}"


def _flip_x(xy: np.ndarray, width: int) -> np.ndarray:
    """Pixel points (..., 2) of the picture as filmed, in the picture flipped left to right."""
    out = np.array(xy, dtype=np.float64)
    out[..., 0] = width - out[..., 0]
    return out


def _flipped(view: View, width: int) -> View:
    """The view drawn on the flipped picture: its geometry flipped, its text as it was."""
    return replace(
        view,
        guide=replace(view.guide, points=_flip_x(view.guide.points, width)),
        trail=replace(view.trail, xy=_flip_x(view.trail.xy, width)),
        labels=replace(view.labels, xy=_flip_x(view.labels.xy, width)),
    )
