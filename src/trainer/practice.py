"""Practice, frame by frame: track the thumb, score it live, draw what the user should see.

`Coach` turns thumb positions into `LiveState`s and annotated frames (the annotated review
video replays a track through it, so both look alike). `LiveSession` adds the tracker and
a lock, for a webcam stream whose frames arrive on another thread. No Streamlit here.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

import numpy as np

from trainer.calibration import Calibration
from trainer.drawing import (
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
from trainer.live import LiveScorer, LiveState
from trainer.scoring import Review
from trainer.techniques import Technique
from trainer.tracking import FrameTracker, HandChoice

TRAIL_S = 4.0  # how much of the thumb's path stays on screen


def clock(seconds: float) -> str:
    """m:ss, to the nearest second (as the feedback sentences write it)."""
    whole = round(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def exercise_clock(elapsed_s: float, technique: Technique) -> str:
    """Exercise time against the technique's window, e.g. "1:05 of 2-5 min"."""
    lo, hi = technique.timing.exercise_s
    return f"{clock(elapsed_s)} of {lo / 60:g}-{hi / 60:g} min"


def fit_guide(guide: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The guide's shape moved, turned and scaled so its ends land on `start` and `end`.

    Points are normalized (K, 2); the result is clipped to the frame.
    """
    a, b = guide[0], guide[-1]
    src = complex(*(b - a))
    dst = complex(*(np.asarray(end, float) - np.asarray(start, float)))
    if src == 0 or dst == 0:
        return np.array([start, end], dtype=np.float64)
    z = (guide[:, 0] - a[0]) + 1j * (guide[:, 1] - a[1])
    moved = z * (dst / src) + complex(*start)
    return np.clip(np.stack([moved.real, moved.imag], axis=1), 0.0, 1.0)


@dataclass(frozen=True)
class Snapshot:
    """What the page shows beside the video; state None before the first frame."""

    state: LiveState | None
    frames: int
    dropped: int
    fps: float
    review: Review | None


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
        self.calibration = calibration or Calibration.from_technique(technique)
        self.scorer = LiveScorer(technique, self.calibration, width, height)
        self.guide = Guide.from_calibration(self.calibration, technique, width, height)
        self.trail_s = trail_s
        self.annotator = ViewAnnotator()
        self._recent: deque[tuple[int, float, float, float]] = deque()
        self._all_xy: list[tuple[float, float]] = []  # every frame's thumb, for stroke labels
        self.state: LiveState | None = None

    def step(self, t: float, thumb_px: np.ndarray | None) -> LiveState:
        """Score one frame (thumb tip in pixels, or None / NaN without a hand)."""
        self.state = self.scorer.update(t, thumb_px)
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
        if state.warning is not None:
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


class TrackerPool:
    """FrameTrackers kept between streams, since building one takes 0.2 to 0.7 s.

    A tracker needs ever-increasing times, so each comes with the time to add to a new
    stream's frame times. Thread-safe.
    """

    def __init__(self, model_path=None, hand: HandChoice = "auto") -> None:
        self.model_path = model_path
        self.hand = hand
        self._idle: list[tuple[FrameTracker, float]] = []
        self._lock = threading.Lock()

    def acquire(self) -> tuple[FrameTracker, float]:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return FrameTracker(model_path=self.model_path, hand=self.hand), 0.0

    def release(self, tracker: FrameTracker, last_t: float) -> None:
        with self._lock:
            self._idle.append((tracker, last_t + 1.0))

    def close(self) -> None:
        with self._lock:
            for tracker, _ in self._idle:
                tracker.close()
            self._idle.clear()


class LiveSession:
    """One webcam stream: `process(rgb, t)` on the video thread, `snapshot()` on the page's.

    Frame times may start anywhere (RTP clocks do); they are counted from the first frame.
    `finish()` judges the last movement and gives the tracker back to the pool.
    """

    def __init__(
        self, technique: Technique, calibration: Calibration | None, pool: TrackerPool
    ) -> None:
        self.technique = technique
        self.calibration = calibration
        self.pool = pool
        self._lock = threading.Lock()
        self._coach: Coach | None = None
        self._tracker: FrameTracker | None = None
        self._t_shift = 0.0
        self._t0: float | None = None
        self._last_t = 0.0
        self._frames = 0
        self._dropped = 0
        self._raw: np.ndarray | None = None
        self._review: Review | None = None
        self._times: deque[float] = deque(maxlen=30)

    def process(self, rgb: np.ndarray, t: float, dropped: int = 0) -> np.ndarray:
        """Track, score and draw one frame (on `rgb`, in place); returns it.

        `dropped`: frames skipped before this one because processing fell behind.
        """
        with self._lock:
            self._dropped += dropped
            if self._review is not None:
                return rgb
            if self._coach is None:
                h, w = rgb.shape[:2]
                self._coach = Coach(self.technique, self.calibration, w, h)
                self._tracker, self._t_shift = self.pool.acquire()
                self._t0 = t
            t = max(t - self._t0, self._last_t + 1e-3) if self._frames else 0.0
            self._last_t = t
            result = self._tracker.update(rgb, t + self._t_shift)
            found = not np.isnan(result.thumb_px[0])
            self._coach.step(t, result.thumb_px if found else None)
            self._frames += 1
            self._times.append(t)
            self._raw = rgb.copy()
            return self._coach.draw(rgb)

    def snapshot(self) -> Snapshot:
        with self._lock:
            state = self._coach.state if self._coach else None
            span = self._times[-1] - self._times[0] if len(self._times) > 1 else 0.0
            fps = (len(self._times) - 1) / span if span > 0 else 0.0
            return Snapshot(state, self._frames, self._dropped, fps, self._review)

    def latest_frame(self) -> np.ndarray | None:
        """The last camera frame as it came, without drawings (for marking the path)."""
        with self._lock:
            return self._raw

    def finish(self) -> Review | None:
        """The stream ended: the session's review (None if no frame came)."""
        with self._lock:
            if self._review is None and self._coach is not None:
                self._coach.scorer.finish()
                self._review = self._coach.scorer.review()
                self.pool.release(self._tracker, self._last_t + self._t_shift)
                self._tracker = None
            return self._review
