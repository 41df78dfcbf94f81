"""One live practice stream: track the thumb, score it and draw it, frame by frame.

`LivePractice` adds the tracker and a lock to the coach, for a webcam stream whose frames arrive
on another thread. No Streamlit here.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from trainer.capture.body import BodyFollower
from trainer.capture.tracker import FrameResult, FrameTracker
from trainer.core.judging import feedback
from trainer.core.judging.light import LightWatch, with_light_advice
from trainer.core.judging.live_scorer import LiveState
from trainer.core.judging.streaming import judge_track
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.path.hand_gate import HandGate
from trainer.core.technique import Technique
from trainer.core.track import Track
from trainer.overlay.coach import Coach
from trainer.overlay.idle_hands import IdleHands
from trainer.practice.mirror import as_seen
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


def _hands_px(result: FrameResult, shape: tuple[int, ...]) -> np.ndarray:
    """(H, 21, 2) the frame's hands in pixels, for masking them out of the body part."""
    h, w = shape[:2]
    return result.hands[..., :2] * [w, h]


class LivePractice:
    """One webcam stream: `process(rgb, t)` on the video thread, `snapshot()` on the page's.

    Frame times may start anywhere (RTP clocks do); they are counted from the first frame.
    With `follow`, the path (where it was given, in the first frame) follows the body part.
    `finish()` judges the last movement and gives the tracker back to the pool.
    mirror: show each frame flipped left to right, like a selfie. The frames are tracked and
    judged as filmed, against a path in the camera's own picture (practice/mirror.py): the
    verdicts are those `trainer review` gives the same frames; "left" and "right" in the cues
    and the hands' names are as the user sees them.
    """

    def __init__(
        self,
        technique: Technique,
        calibration: Calibration | None,
        pool: TrackerPool,
        follow: bool = True,
        mirror: bool = False,
        timer: Callable[[], tuple[float, float]] | None = None,
    ) -> None:
        self.technique = technique
        self.timer = timer  # a guided exercise's clock for the corner panel (see Coach)
        self.calibration = calibration
        self.pool = pool
        self.follow = follow
        self._follower: BodyFollower | None = None
        self.mirror = mirror
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
        # Every frame and the hand judged, to save the session (on disk: flat memory).
        self._spool: FrameSpool | None = None
        self._light = LightWatch()
        self._found = self._dim = self._dark = 0  # frames with the judged hand, dim, too dark

    def process(self, rgb: np.ndarray, t: float, dropped: int = 0) -> np.ndarray:
        """Track, score and draw one frame (on `rgb` in place, unless mirrored); returns it as
        shown (flipped when mirrored).

        `dropped`: frames skipped before this one because processing fell behind.
        """
        with self._lock:
            self._dropped += dropped
            if self._review is not None:
                return self._shown(rgb)
            if self._coach is None:
                h, w = rgb.shape[:2]
                seen = as_seen(self.technique, self.mirror)
                self._coach = Coach(
                    seen, self.calibration, w, h, mirrored=self.mirror, timer=self.timer
                )
                if self.follow:
                    self._follower = BodyFollower(self._coach.calibration.points * [w, h])
                self._tracker, self._t_shift = self.pool.acquire()
                self._tracker.gate = HandGate(self._coach.calibration)
                self._t0 = t
            t = max(t - self._t0, self._last_t + 1e-3) if self._frames else 0.0
            self._last_t = t
            result = self._tracker.update(rgb, t + self._t_shift)
            pose = None
            if self._follower is not None:
                pose = self._follower.update(rgb, _hands_px(result, rgb.shape))
            # The named hand, else the one stroking (or both) as the coach's hands decide.
            named = None if self._tracker.hand == "auto" else result.primary
            self._coach.step_hands(t, result.thumbs, pose, named=named)
            self._after_step(t, rgb, result)
            self._frames += 1
            self._times.append(t)
            self._raw = rgb.copy()
            return self._coach.draw(self._shown(rgb))

    def _shown(self, rgb: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(rgb[:, ::-1]) if self.mirror else rgb

    def _after_step(self, t: float, rgb: np.ndarray, result: FrameResult) -> None:
        """The hands not judged drawn greyed, the light's notice, the frame kept."""
        lanes = self._coach.hands.lanes
        judged = [lane.hand if lane.hand >= 0 else self._coach.hands.judged for lane in lanes]
        size = np.array(rgb.shape[1::-1], dtype=np.float64)
        self._coach.idle = IdleHands.beside(result.hands, judged, size)
        found = any(j >= 0 and not np.isnan(result.thumbs[j, 0]) for j in judged)
        self._coach.tell(self._notice(t, found))
        if self._spool is None:
            self._spool = FrameSpool(len(result.thumbs))
        self._spool.append(t, result, self._coach.hands.judged)

    def _notice(self, t: float, found: bool) -> str | None:
        """The "too dark" cue while the latest seconds were too dark to follow the hand."""
        light = self._tracker.light
        self._found += found
        self._dim += light.dim
        self._dark += light.dark
        return (
            feedback.too_dark_cue() if self._light.update(t, found, light.dim, light.dark) else None
        )

    def snapshot(self) -> Snapshot:
        with self._lock:
            state = self._coach.state if self._coach else None
            span = self._times[-1] - self._times[0] if len(self._times) > 1 else 0.0
            fps = (len(self._times) - 1) / span if span > 0 else 0.0
            return Snapshot(state, self._frames, self._dropped, fps, self._review)

    def latest_frame(self) -> np.ndarray | None:
        """The last camera frame as filmed (unmirrored), without drawings, for marking the path."""
        with self._lock:
            return self._raw

    def track(self) -> Track | None:
        """Every frame's hands so far as a Track (None before the first frame)."""
        with self._lock:
            return self._track()

    def _track(self) -> Track | None:
        if self._spool is None or self._raw is None:
            return None
        h, w = self._raw.shape[:2]
        # mirrored: shown flipped to the user (the points are as filmed either way).
        meta = {"source": "webcam", "mirrored": self.mirror, "light": self._light_meta()}
        return self._spool.track(w, h, meta)

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
                self._coach.hands.finish()
                self._review = self._final_review()
                self.pool.release(self._tracker, self._last_t + self._t_shift)
                self._tracker = None
            return self._review

    def _final_review(self) -> Review:
        """The live review; for a technique of both hands, the review of the session's own
        track, which judges it as `trainer review` judges its video (the live pairing of the
        hands may come a stroke late or not at all, the review sees the whole session)."""
        track = self._track()
        if self.technique.hands == 2 and track is not None:
            motion = self._coach.hands.motion
            return judge_track(track, self._coach.technique, self._coach.calibration, motion)
        found = self._found / max(self._frames, 1)
        meta = {"light": self._light_meta()}
        return with_light_advice(self._coach.hands.review(), found, meta)
