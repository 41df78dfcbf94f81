"""A guided session with its camera: frames go to the current exercise's live session.

The page calls `sync()` a few times a second (and `toggle`, `next`, `stop` on the buttons);
the video thread calls `process` and, when the stream ends, `stream_ended`. Start asks for the
camera; the session's clocks start with its first frame, so connecting the camera (or the
browser asking for permission) takes nothing from the first exercise. Each stretch of camera
work on an exercise (until it ends or the session pauses) is one live session, whose review
and track go into the guide's record of that exercise. No Streamlit here.
"""

from __future__ import annotations

import threading

import numpy as np

from trainer.core.guided.session import GuidedSession
from trainer.core.technique import load_technique
from trainer.practice.live import LivePractice, Snapshot
from trainer.practice.pool import TrackerPool


class GuidedPractice:
    """Routes frames to the current exercise and closes its stretches of work."""

    def __init__(self, guide: GuidedSession, pool: TrackerPool, mirror: bool = True) -> None:
        self.guide = guide
        self.pool = pool
        self.mirror = mirror
        self._lock = threading.Lock()
        self._index = guide.index
        self._live = self._new_live()
        self.waiting = False  # started, but no frame yet
        self._said: list[str] = []  # announced on the video thread, not yet handed over

    @property
    def wants_camera(self) -> bool:
        return self.guide.running or self.waiting

    def process(self, rgb: np.ndarray, t: float, dropped: int = 0) -> np.ndarray:
        """One frame: scored while the session runs; shown as it comes (mirrored) otherwise.

        The first frame after Start starts the session's clocks.
        """
        with self._lock:
            if self.waiting and not self.guide.finished:
                self.waiting = False
                self._said += self.guide.start()
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
            said, self._said = self._said, []
            said += self.guide.tick()
            self._settle()
        return said

    def toggle(self) -> list[str]:
        """Ask for the camera to start or resume (the clocks start with its first frame), or
        pause; nothing to announce now."""
        with self._lock:
            if self.wants_camera:
                self.waiting = False
                self.guide.pause()
                self._settle()
            else:
                self.waiting = True
        return []

    def next(self) -> list[str]:
        with self._lock:
            said = self.guide.next()
            self._settle()
        return said

    def stop(self) -> list[str]:
        with self._lock:
            self.waiting = False
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
        snap = live.snapshot()
        if snap.frames and snap.review is None:  # not kept yet
            self.guide.add_part(self._index, live.finish(), live.track())
        elif self.guide.index == self._index and self.mirror == live.mirror:
            return  # nothing seen yet: it can serve on
        if not self.guide.finished:
            self._index = self.guide.index
            self._live = self._new_live()

    def _new_live(self) -> LivePractice:
        technique = load_technique(self.guide.current.exercise.technique)
        return LivePractice(technique, None, self.pool, mirror=self.mirror, timer=self._clock)

    def _clock(self) -> tuple[float, float]:
        """The exercise's clock as the page shows it beside the video: one time, not two."""
        status = self.guide.status()
        return status.exercise_s, status.planned_s
