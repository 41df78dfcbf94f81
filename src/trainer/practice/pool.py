"""Hand trackers kept between webcam streams, since building one takes 0.2 to 0.7 s."""

from __future__ import annotations

import threading

from trainer.capture.tracker import FrameTracker, HandChoice


class TrackerPool:
    """FrameTrackers kept between streams, since building one takes 0.2 to 0.7 s.

    A tracker needs ever-increasing times, so each comes with the time to add to a new
    stream's frame times. Thread-safe.
    """

    def __init__(self, model_path=None, hand: HandChoice = "auto", exposure: bool = True) -> None:
        self.model_path = model_path
        self.hand = hand
        self.exposure = exposure
        self._idle: list[tuple[FrameTracker, float]] = []
        # Every tracker made, idle or lent: close() closes them all. One left to the garbage
        # collector can hang the process: MediaPipe's finalizer waits on a thread pool the
        # same collection may already have ended.
        self._made: list[FrameTracker] = []
        self._lock = threading.Lock()

    def acquire(self) -> tuple[FrameTracker, float]:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        tracker = FrameTracker(model_path=self.model_path, hand=self.hand, exposure=self.exposure)
        with self._lock:
            self._made.append(tracker)
        return tracker, 0.0

    def release(self, tracker: FrameTracker, last_t: float) -> None:
        tracker.restart(last_t + 0.5)  # the next stream starts on no hand, as a new one would
        with self._lock:
            self._idle.append((tracker, last_t + 1.0))

    def close(self) -> None:
        """Close every tracker the pool made, lent ones too: call it when no stream runs."""
        with self._lock:
            for tracker in self._made:
                tracker.close()
            self._made.clear()
            self._idle.clear()
