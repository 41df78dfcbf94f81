"""One live practice stream: track the thumb, score it and draw it, frame by frame.

`LiveSession` adds the tracker and a lock to the coach, for a webcam stream whose frames arrive
on another thread. No Streamlit here.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

import numpy as np

from trainer.capture.tracker import FrameResult, FrameTracker
from trainer.core import feedback
from trainer.core.calibration import Calibration
from trainer.core.hand_gate import HandGate
from trainer.core.light import LightWatch, with_light_advice
from trainer.core.scorer import LiveState
from trainer.core.technique import Technique
from trainer.core.track import N_LANDMARKS, Track
from trainer.core.verdict import Review
from trainer.overlay.coach import Coach
from trainer.practice.pool import TrackerPool


@dataclass(frozen=True)
class Snapshot:
    """What the page shows beside the video; state None before the first frame."""

    state: LiveState | None
    frames: int
    dropped: int
    fps: float
    review: Review | None


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
        self._rows: list[tuple[float, FrameResult]] = []  # every frame, to save the session
        self._light = LightWatch()
        self._dim = self._dark = 0  # frames with dim light, and too dark even brightened

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
                self._tracker.gate = HandGate(self._coach.calibration)
                self._t0 = t
            t = max(t - self._t0, self._last_t + 1e-3) if self._frames else 0.0
            self._last_t = t
            result = self._tracker.update(rgb, t + self._t_shift)
            found = not np.isnan(result.thumb_px[0])
            light = self._tracker.light
            self._dim += light.dim
            self._dark += light.dark
            too_dark = self._light.update(t, found, light.dim, light.dark)
            notice = feedback.too_dark_cue() if too_dark else None
            self._coach.step(t, result.thumb_px if found else None, notice)
            self._rows.append((t, result))
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

    def track(self) -> Track | None:
        """Every frame's hand so far as a Track (None before the first frame)."""
        with self._lock:
            if self._coach is None:
                return None
            rows = list(self._rows)
            h, w = self._raw.shape[:2]
            light = self._light_meta()
        results = [r for _, r in rows]
        span = rows[-1][0]
        return Track(
            t=np.array([t for t, _ in rows]),
            thumb_px=np.array([r.thumb_px for r in results]).reshape(-1, 2),
            landmarks=np.array([r.landmarks for r in results]).reshape(-1, N_LANDMARKS, 3),
            confidence=np.array([r.confidence for r in results], dtype=np.float64),
            handedness=np.array([r.handedness for r in results], dtype=np.int8),
            width=w,
            height=h,
            fps=(len(rows) - 1) / span if span > 0 else 0.0,
            meta={"source": "webcam", "light": light},
        )

    def _light_meta(self) -> dict:
        """Shares of frames with dim light and too dark even brightened (the track's meta)."""
        n = max(self._frames, 1)
        return {
            "normalized": self.pool.exposure,
            "dim_share": round(self._dim / n, 4),
            "dark_share": round(self._dark / n, 4),
        }

    def finish(self) -> Review | None:
        """The stream ended: the session's review (None if no frame came)."""
        with self._lock:
            if self._review is None and self._coach is not None:
                self._coach.scorer.finish()
                found = sum(not np.isnan(r.thumb_px[0]) for _, r in self._rows) / len(self._rows)
                meta = {"light": self._light_meta()}
                self._review = with_light_advice(self._coach.scorer.review(), found, meta)
                self.pool.release(self._tracker, self._last_t + self._t_shift)
                self._tracker = None
            return self._review
