"""One live practice stream: track the thumb, score it and draw it, frame by frame.

`LiveSession` adds the tracker and a lock to the coach, for a webcam stream whose frames arrive
on another thread. No Streamlit here.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

import numpy as np

from trainer.capture.tracker import FrameTracker
from trainer.core.calibration import Calibration
from trainer.core.scorer import LiveState
from trainer.core.technique import Technique
from trainer.core.track import Track
from trainer.core.verdict import Review
from trainer.overlay.coach import Coach
from trainer.practice.pool import TrackerPool
from trainer.practice.spool import FrameSpool


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
        self._spool = FrameSpool()  # every frame, to save the session (on disk: flat memory)

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
            self._spool.append(t, result)
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
            h, w = self._raw.shape[:2]
            return self._spool.track(w, h, {"source": "webcam"})

    def finish(self) -> Review | None:
        """The stream ended: the session's review (None if no frame came)."""
        with self._lock:
            if self._review is None and self._coach is not None:
                self._coach.scorer.finish()
                self._review = self._coach.scorer.review()
                self.pool.release(self._tracker, self._last_t + self._t_shift)
                self._tracker = None
            return self._review
