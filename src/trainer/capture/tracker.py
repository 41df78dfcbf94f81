"""From frames to a `Track`: hand tracking, the choice of hand, re-checks and smoothing.

VIDEO mode (tracking from the previous frame's hand) is fast but can lock onto a wrong pose
for a whole clip: on a clip that starts with the hand already in view it kept the thumb tip
~96 px inside the fist. So each run of tracking is re-checked with an IMAGE-mode detection a
few frames after it starts and then every `recheck_s`; when the two disagree by more than a
share of the hand's size, VIDEO mode is restarted from a fresh palm detection.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from trainer.capture.closing import Closing
from trainer.capture.filters import OneEuroFilter
from trainer.capture.landmarker import Hands, Landmarker
from trainer.capture.video import Frame, VideoInfo, probe, read_frames
from trainer.core.errors import TrainerError, VideoError
from trainer.core.settings import Settings
from trainer.core.track import LEFT, NO_HAND, RIGHT, THUMB_TIP, Track

HandChoice = Literal["auto", "left", "right"]
ProgressFn = Callable[[int, int], None]

MAX_INFERENCE_SIDE = 960  # larger frames are downscaled for the model; coordinates stay
RECHECK_AFTER_FRAMES = 3  # first IMAGE-mode check after tracking (re)starts
DISAGREE_SHARE = 0.35  # of the hand's size (wrist to middle-finger base)
MAX_IMAGE_MODE_S = 16.0
CHUNK_OVERLAP_S = 0.3  # warm-up before each chunk when several workers split a video
MIN_CHUNK_S = 2.0  # shorter chunks cost more in warm-up than they save
PREFETCH_BYTES = 64 << 20  # decoded frames waiting for the tracker, at most


def make_thumb_filter() -> OneEuroFilter:
    """The thumb-tip filter, in units of the frame diagonal (so it is resolution-free)."""
    return OneEuroFilter(min_cutoff=1.5, beta=4.0, d_cutoff=1.0)


@dataclass(frozen=True)
class FrameResult:
    """The followed hand in one frame; thumb_px is smoothed, NaN when no hand."""

    thumb_px: np.ndarray
    landmarks: np.ndarray
    confidence: float
    handedness: int


def _hand_size(landmarks: np.ndarray, size: np.ndarray) -> float:
    return float(np.linalg.norm((landmarks[9, :2] - landmarks[0, :2]) * size))


def _downscale(rgb: np.ndarray, max_side: int) -> np.ndarray:
    """Shrink frames larger than max_side for the model; normalized landmarks still fit."""
    h, w = rgb.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return rgb
    return cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


@dataclass
class FrameTracker(Closing):
    """Follows one hand frame by frame (files and webcam alike); close it when done."""

    model_path: Path | None = None
    hand: HandChoice = "auto"
    recheck_s: float = 2.0
    max_side: int = MAX_INFERENCE_SIDE
    make_filter: Callable[[], OneEuroFilter] = make_thumb_filter
    rechecks: int = field(default=0, init=False)
    restarts: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        path = self.model_path or Settings.from_env().model_path
        # Two hands only when the user names one: one-hand tracking skips the palm detector.
        num_hands = 1 if self.hand == "auto" else 2
        self._video = Landmarker(path, video=True, num_hands=num_hands)
        try:
            self._image = Landmarker(path, video=False, num_hands=2)
        except TrainerError:
            self._video.close()
            raise
        self._filter = self.make_filter()
        self._run_frames = 0
        self._next_check_t = 0.0
        self._image_until = 0.0
        self._image_s = self.recheck_s
        self._last_tip: np.ndarray | None = None

    def _pick(self, hands: Hands) -> int | None:
        """Index of the hand to follow, or None."""
        if not len(hands):
            return None
        if self.hand != "auto":
            wanted = LEFT if self.hand == "left" else RIGHT
            matches = np.flatnonzero(hands.handedness == wanted)
            return int(matches[np.argmax(hands.score[matches])]) if len(matches) else None
        if self._last_tip is not None and len(hands) > 1:
            tips = hands.landmarks[:, THUMB_TIP, :2]
            return int(np.argmin(np.linalg.norm(tips - self._last_tip, axis=1)))
        return int(np.argmax(hands.score))

    def _second_opinion(self, small: np.ndarray, landmarks: np.ndarray, size: np.ndarray):
        """IMAGE-mode hands when they put the thumb tip elsewhere than VIDEO mode, else None."""
        self.rechecks += 1
        fresh = self._image.detect(small)
        if not len(fresh):
            return None  # nothing better to go by
        tips = fresh.landmarks[:, THUMB_TIP, :2]
        off = np.min(np.linalg.norm((tips - landmarks[THUMB_TIP, :2]) * size, axis=1))
        if off <= DISAGREE_SHARE * max(_hand_size(landmarks, size), 1.0):
            return None
        return fresh

    def _detect(self, small: np.ndarray, t: float) -> Hands:
        if t < self._image_until:
            return self._image.detect(small)
        if self._image_until > 0:
            # Back to VIDEO mode: an empty frame makes it drop the old hand and start afresh.
            self._image_until = 0.0
            self._video.detect(np.zeros_like(small), round(t * 1000) - 1)
            self._run_frames = 0
        return self._video.detect(small, round(t * 1000))

    def _check_due(self, t: float) -> bool:
        if self._image_until > 0:
            return False
        if self._run_frames == RECHECK_AFTER_FRAMES:
            return True
        return self._run_frames > RECHECK_AFTER_FRAMES and t >= self._next_check_t

    def update(self, rgb: np.ndarray, t: float, size: tuple[int, int] | None = None) -> FrameResult:
        """Track the hand in one RGB frame taken at time t (seconds, increasing).

        size: (width, height) of the original frame when rgb was already downscaled.
        """
        h, w = rgb.shape[:2] if size is None else size[::-1]
        size = np.array([w, h], dtype=np.float64)
        small = _downscale(rgb, self.max_side)
        hands = self._detect(small, t)
        i = self._pick(hands)
        if i is None:
            self._filter.reset()
            self._run_frames = 0
            return FrameResult(np.full(2, np.nan), np.full((21, 3), np.nan), np.nan, NO_HAND)
        self._run_frames += 1
        if self._check_due(t):
            self._next_check_t = t + self.recheck_s
            fresh = self._second_opinion(small, hands.landmarks[i], size)
            if fresh is None:
                self._image_s = self.recheck_s
            else:
                # VIDEO mode locked onto a wrong pose: detect afresh on every frame for a
                # while (longer each time it happens again), then try tracking once more.
                self.restarts += 1
                self._image_until = t + self._image_s
                self._image_s = min(2 * self._image_s, MAX_IMAGE_MODE_S)
                self._last_tip = None
                hands, i = fresh, self._pick(fresh)
        landmarks = hands.landmarks[i]
        self._last_tip = landmarks[THUMB_TIP, :2]
        diag = float(np.hypot(w, h))
        thumb = self._filter(t, landmarks[THUMB_TIP, :2] * size / diag) * diag
        return FrameResult(thumb, landmarks, float(hands.score[i]), int(hands.handedness[i]))

    def close(self) -> None:
        self._video.close()
        self._image.close()


_DONE = object()


def _shrunk(frames: Iterator[Frame], max_side: int) -> Iterator[tuple[Frame, tuple[int, int]]]:
    """Frames downscaled for the model as soon as they are decoded, with their full size."""
    for frame in frames:
        h, w = frame.rgb.shape[:2]
        yield Frame(frame.index, frame.t, _downscale(frame.rgb, max_side)), (w, h)


def _prefetch(items: Iterator, depth: int = 8, max_bytes: int = PREFETCH_BYTES) -> Iterator:
    """Decode in a background thread so decoding overlaps inference (PyAV frees the GIL).

    At most `depth` items and `max_bytes` of frames wait (one at least, however large).
    """
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    room = threading.Condition()
    waiting = [0]  # bytes of frames in the queue

    def size(item: object) -> int:
        frame = item[0] if isinstance(item, tuple) else item
        return frame.rgb.nbytes if isinstance(frame, Frame) else 0

    def work() -> None:
        try:
            for item in items:
                nbytes = size(item)
                with room:
                    while not stop.is_set() and waiting[0] and waiting[0] + nbytes > max_bytes:
                        room.wait()
                    waiting[0] += nbytes
                if stop.is_set():
                    break
                q.put(item)
            q.put(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            q.put(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        while (item := q.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            with room:
                waiting[0] -= size(item)
                room.notify()
            yield item
    finally:
        stop.set()
        with room:
            room.notify()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(0.01)


@dataclass
class _Rows:
    t: list[float] = field(default_factory=list)
    thumb: list[np.ndarray] = field(default_factory=list)
    landmarks: list[np.ndarray] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    handedness: list[int] = field(default_factory=list)
    rechecks: int = 0
    restarts: int = 0

    def add(self, t: float, r: FrameResult) -> None:
        self.t.append(t)
        self.thumb.append(r.thumb_px)
        self.landmarks.append(r.landmarks)
        self.confidence.append(r.confidence)
        self.handedness.append(r.handedness)


def _track_span(
    path: Path,
    start_s: float,
    end_s: float,
    tracker_args: dict,
    progress: Callable[[], None] | None,
) -> _Rows:
    """Track frames with start_s <= t < end_s, warming up on the second before start_s."""
    rows = _Rows()
    warm_from = max(0.0, start_s - CHUNK_OVERLAP_S)
    with FrameTracker(**tracker_args) as tracker:
        frames = _shrunk(read_frames(path, start_s=warm_from), tracker.max_side)
        for frame, size in _prefetch(frames):
            if frame.t >= end_s:
                break
            if frame.t < warm_from:
                continue
            result = tracker.update(frame.rgb, frame.t, size)
            if frame.t >= start_s:
                rows.add(frame.t, result)
                if progress:
                    progress()
        rows.rechecks, rows.restarts = tracker.rechecks, tracker.restarts
    return rows


def track_video(
    path: str | Path,
    *,
    hand: HandChoice = "auto",
    model_path: Path | None = None,
    workers: int = 1,
    progress: ProgressFn | None = None,
) -> Track:
    """Track the thumb tip through a whole video file.

    With workers > 1 the video is split by time into overlapping chunks, each tracked by its
    own landmarker in its own thread (MediaPipe and PyAV release the GIL), then stitched.
    """
    path = Path(path)
    info = probe(path)
    tracker_args = {"model_path": model_path, "hand": hand}
    total = max(info.frames, 1)
    done = 0
    lock = threading.Lock()

    def tick() -> None:
        nonlocal done
        with lock:
            done += 1
            if progress:
                progress(done, total)

    n_chunks = max(1, min(workers, int(info.duration_s // MIN_CHUNK_S)))
    edges = np.linspace(0.0, info.duration_s, n_chunks + 1)
    edges[0], edges[-1] = -np.inf, np.inf
    if n_chunks == 1:
        parts = [_track_span(path, 0.0, np.inf, tracker_args, tick)]
    else:
        with ThreadPoolExecutor(n_chunks) as pool:
            futures = [
                pool.submit(_track_span, path, max(a, 0.0), b, tracker_args, tick)
                for a, b in itertools.pairwise(edges)
            ]
            parts = [f.result() for f in futures]
    return _stitch(parts, info)


def _stitch(parts: list[_Rows], info: VideoInfo) -> Track:
    rows = _Rows()
    for part in parts:
        for name in ("t", "thumb", "landmarks", "confidence", "handedness"):
            getattr(rows, name).extend(getattr(part, name))
    if not rows.t:
        raise VideoError(f"{info.path}: has no frames")
    return Track(
        t=np.array(rows.t),
        thumb_px=np.array(rows.thumb),
        landmarks=np.array(rows.landmarks),
        confidence=np.array(rows.confidence),
        handedness=np.array(rows.handedness, dtype=np.int8),
        width=info.width,
        height=info.height,
        fps=info.fps,
        meta={
            "source": info.path.name,
            "rotation": info.rotation,
            "rechecks": sum(p.rechecks for p in parts),
            "restarts": sum(p.restarts for p in parts),
        },
    )
