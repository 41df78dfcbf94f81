"""A whole video file to a `Track`: every frame's hands, in parallel chunks if asked, smoothed.

The live filter's tip trails a moving thumb; a whole video is smoothed both ways instead (an
RTS smoother, no lag). With two hands followed, the track's judged thumb is, without a path to
go by, the hand that travelled furthest (or the hand named with `hand`); the review picks the
hand stroke by stroke against the path (`trainer.core.strokes.active_hand`).
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from trainer.capture.columns import FrameColumns
from trainer.capture.smoother import RtsSmoother
from trainer.capture.tracker import MAX_HANDS, FrameResult, FrameTracker, HandChoice, downscale
from trainer.capture.video import Frame, VideoInfo, probe, read_frames
from trainer.core.base.errors import VideoError
from trainer.core.base.settings import Settings
from trainer.core.hands import NOT_JUDGED, HandTracks, hand_distance
from trainer.core.path.hand_gate import HandGate
from trainer.core.track import LEFT, RIGHT, THUMB_TIP, Track

ProgressFn = Callable[[int, int], None]

CHUNK_OVERLAP_S = 0.3  # warm-up before each chunk when several workers split a video
MIN_CHUNK_S = 2.0  # shorter chunks cost more in warm-up than they save
PREFETCH_BYTES = 64 << 20  # decoded frames waiting for the tracker, at most

_DONE = object()


def _shrunk(frames: Iterator[Frame], max_side: int) -> Iterator[tuple[Frame, tuple[int, int]]]:
    """Frames downscaled for the model as soon as they are decoded, with their full size."""
    for frame in frames:
        h, w = frame.rgb.shape[:2]
        yield Frame(frame.index, frame.t, downscale(frame.rgb, max_side)), (w, h)


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


# each frame's row: its columns and their dtypes (the shapes are the tracker's)
_ROW = {"t": np.float64, "hands": np.float64, "scores": np.float64, "labels": np.int8}


@dataclass
class _Rows:
    """Every frame's hands, slot by slot: time, landmarks (H, 21, 3), scores and labels (H,)."""

    frames: FrameColumns = field(default_factory=lambda: FrameColumns(_ROW))
    rechecks: int = 0
    restarts: int = 0
    rejected: int = 0  # frames with a detection the hand gate left out
    dim: int = 0  # frames in dim light
    dark: int = 0  # frames too dark even after brightening

    def add(self, t: float, r: FrameResult) -> None:
        self.frames.add(t=t, hands=r.hands, scores=r.scores, labels=r.labels)

    def swap(self, order: list[int]) -> None:
        """Renumber the slots: new slot k is old slot order[k]."""
        for block in self.frames.blocks():
            for name in ("hands", "scores", "labels"):
                block[name][:] = block[name][:, order]

    def known(self, first: bool) -> list[np.ndarray | None]:
        """Per slot, its hand's landmarks in the first (or last) frame it was seen."""
        found: list[np.ndarray | None] = []
        blocks = list(self.frames.blocks())
        for block in blocks if first else blocks[::-1]:
            hands = block["hands"] if first else block["hands"][::-1]
            found = found or [None] * hands.shape[1]
            seen = ~np.isnan(hands[:, :, 0, 0])
            for k, hand in enumerate(found):
                if hand is None and seen[:, k].any():
                    found[k] = hands[np.argmax(seen[:, k]), k].copy()
            if all(hand is not None for hand in found):
                break
        return found


def _track_span(
    path: Path,
    start_s: float,
    end_s: float,
    tracker_args: dict,
    progress: Callable[[], None] | None,
) -> _Rows:
    """Track frames with start_s <= t < end_s, warming up on the frames before start_s."""
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
                rows.dim += tracker.light.dim
                rows.dark += tracker.light.dark
                if progress:
                    progress()
        rows.rechecks, rows.restarts = tracker.rechecks, tracker.restarts
        rows.rejected = tracker.rejected
    return rows


def track_video(
    path: str | Path,
    *,
    hand: HandChoice = "auto",
    model_path: Path | None = None,
    workers: int = 1,
    progress: ProgressFn | None = None,
    max_hands: int = MAX_HANDS,
    exposure: bool = True,
    gate: HandGate | None = None,
) -> Track:
    """Track the hands (up to `max_hands`) and the judged thumb tip through a video file.

    exposure: brighten dark frames for the model; gate: leave out detections that can't be
    a hand (see `FrameTracker`).

    With workers > 1 the video is split by time into overlapping chunks, each tracked by its
    own landmarkers in its own thread (MediaPipe and PyAV release the GIL), then stitched.
    """
    path = Path(path)
    info = probe(path)
    model_path = model_path or Settings.from_env().model_path
    tracker_args = {
        "model_path": model_path,
        "hand": hand,
        "max_hands": max_hands,
        "exposure": exposure,
        "gate": gate,
    }
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
    return _to_track(_stitch(parts, info), info, hand, exposure)


def _continuation(before: list, after: list, size: np.ndarray) -> list[int]:
    """The order of a chunk's slots that puts each of its hands where the same hand was at
    the end of the chunk before (the nearest overall), from their first and last sightings.
    A hand met by no hand costs one hand size: a far hand is better taken for another one."""

    def cost(order: tuple[int, ...]) -> float:
        total = 0.0
        for a, b in ((before[k], after[j]) for k, j in enumerate(order)):
            if a is not None and b is not None:
                total += float(hand_distance(a, b, size))
            elif a is not None or b is not None:
                total += 1.0
        return total

    return list(min(itertools.permutations(range(len(after))), key=cost))


def _stitch(parts: list[_Rows], info: VideoInfo) -> _Rows:
    """One set of rows; each chunk's slots renumbered to continue the hands before it."""
    size = np.array([info.width, info.height], dtype=np.float64)
    rows = _Rows()
    for part in parts:
        if len(rows.frames) and len(part.frames):
            part.swap(_continuation(rows.known(first=False), part.known(first=True), size))
        rows.frames.extend(part.frames)
        rows.rechecks += part.rechecks
        rows.restarts += part.restarts
        rows.rejected += part.rejected
        rows.dim += part.dim
        rows.dark += part.dark
    if not len(rows.frames):
        raise VideoError(f"{info.path}: has no frames")
    return rows


def _judged_slot(thumbs: np.ndarray, labels: np.ndarray, hand: HandChoice) -> int:
    """The hand to judge without a path: the named one (most often labelled so), else the one
    whose thumb travelled furthest (a resting or holding hand barely moves)."""
    seen = ~np.isnan(thumbs[..., 0])
    if hand != "auto":
        wanted = LEFT if hand == "left" else RIGHT
        share = (labels == wanted).sum(axis=0) / np.maximum(seen.sum(axis=0), 1)
        return int(np.argmax(share)) if share.max() > 0.5 else NOT_JUDGED
    travel = np.nansum(np.linalg.norm(np.diff(thumbs, axis=0), axis=-1), axis=0)
    return int(np.argmax(np.where(seen.any(axis=0), travel, -1.0)))


def _to_track(rows: _Rows, info: VideoInfo, hand: HandChoice, exposure: bool) -> Track:
    """The track: the judged hand's arrays, and every hand when more than one was followed."""
    columns = rows.frames.take()
    t, landmarks = columns["t"], columns["hands"]
    size = np.array([info.width, info.height], dtype=np.float64)
    diag = float(np.hypot(*size))
    tips = landmarks[:, :, THUMB_TIP, :2] * size / diag
    smoother = RtsSmoother()
    thumbs = np.stack([smoother(t, tips[:, k]) for k in range(tips.shape[1])], axis=1) * diag
    hands = HandTracks(
        thumbs,
        landmarks,
        columns["scores"],
        columns["labels"],
        np.full(len(t), NOT_JUDGED, np.int8),
    )
    slot = _judged_slot(thumbs, hands.handedness, hand)
    if slot >= 0:
        hands.judged[hands.seen[:, slot]] = slot
    if hand != "auto":
        hands = hands.only(max(slot, 0))  # the named hand is the one judged, stroke by stroke
    meta = {
        "source": info.path.name,
        "rotation": info.rotation,
        "rechecks": rows.rechecks,
        "restarts": rows.restarts,
        "rejected": rows.rejected,
        "light": {
            "normalized": exposure,
            "dim_share": round(rows.dim / len(t), 4),
            "dark_share": round(rows.dark / len(t), 4),
        },
    }
    return Track.from_hands(t, hands, info.width, info.height, info.fps, meta)
