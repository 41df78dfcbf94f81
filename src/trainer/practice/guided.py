"""A guided session with its camera: frames go to the current exercise's live session.

The page calls `sync()` a few times a second (and `toggle`, `next`, `stop` on the buttons);
the video thread calls `process` and, when the stream ends, `stream_ended`. Each stretch of
camera work on an exercise (until it ends or the session pauses) is one live session, whose
review and track go into the guide's record of that exercise. No Streamlit here.
"""

from __future__ import annotations

import threading

import numpy as np

from trainer.core.guided import GuidedSession
from trainer.core.technique import load_technique
from trainer.practice.pool import TrackerPool
from trainer.practice.session import LiveSession, Snapshot


class GuidedPractice:
    """Routes frames to the current exercise and closes its stretches of work."""

    def __init__(self, guide: GuidedSession, pool: TrackerPool, mirror: bool = True) -> None:
        self.guide = guide
        self.pool = pool
        self.mirror = mirror
        self._lock = threading.Lock()
        self._index = guide.index
        self._live = self._new_live()

    def process(self, rgb: np.ndarray, t: float, dropped: int = 0) -> np.ndarray:
        """One frame: scored while the session runs; shown as it comes (mirrored) otherwise."""
        with self._lock:
            live = self._live
            running = self.guide.running
        if not running:
            return np.ascontiguousarray(rgb[:, ::-1]) if self.mirror else rgb
        return live.process(rgb, t, dropped)

    def snapshot(self) -> Snapshot:
        with self._lock:
            live = self._live
        return live.snapshot()

    def sync(self) -> list[str]:
        """Move on if the exercise's time is up; what to announce."""
        with self._lock:
            said = self.guide.tick()
            self._settle()
        return said

    def toggle(self) -> list[str]:
        """Start, pause or resume the session."""
        with self._lock:
            said = self.guide.toggle()
            self._settle()
        return said

    def next(self) -> list[str]:
        with self._lock:
            said = self.guide.next()
            self._settle()
        return said

    def stop(self) -> list[str]:
        with self._lock:
            said = self.guide.stop()
            self._settle()
        return said

    def stream_ended(self) -> None:
        """The camera stopped (on the video thread): keep what it saw as a stretch of work."""
        with self._lock:
            self._close_stretch()

    def _settle(self) -> None:
        """After the guide changed: close the stretch when the exercise ended or paused."""
        if self.guide.index != self._index or self.guide.finished or not self.guide.running:
            self._close_stretch()

    def _close_stretch(self) -> None:
        """Keep the current live session's work; ready a fresh one if the session goes on."""
        live = self._live
        if live.snapshot().frames:
            self.guide.add_part(self._index, live.finish(), live.track())
        elif self.guide.index == self._index and self.mirror == live.mirror:
            return  # nothing seen yet: it can serve on
        if not self.guide.finished:
            self._index = self.guide.index
            self._live = self._new_live()

    def _new_live(self) -> LiveSession:
        technique = load_technique(self.guide.current.exercise.technique)
        return LiveSession(technique, None, self.pool, mirror=self.mirror)
