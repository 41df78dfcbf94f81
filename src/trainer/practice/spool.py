"""A live session's frames, kept for saving the session, on disk rather than in memory.

An hour of webcam at 30 frames/s is 108,000 frames of 21 landmarks a hand; kept as Python
objects that is 150 MB a hand that grows as long as the stream runs. Here a block of frames
waits in small numpy arrays and, once full, is written to a temporary file (deleted when the
spool is closed or the process ends), so memory stays flat however long the session; `track()`
reads the blocks back.
"""

from __future__ import annotations

import tempfile
from typing import Any

import numpy as np

from trainer.capture.tracker import FrameResult
from trainer.core.hands import HandTracks
from trainer.core.track import N_LANDMARKS, Track

BLOCK = 1024  # frames: 1.1 MB in memory with two hands; one write each 34 s at 30 frames/s


def _columns(hands: int) -> tuple[tuple[str, Any, tuple[int, ...]], ...]:
    """Per frame: time, each hand's thumb tip, landmarks, score and label, the hand judged."""
    return (
        ("t", np.float64, ()),
        ("thumbs", np.float64, (hands, 2)),
        ("hands", np.float64, (hands, N_LANDMARKS, 3)),
        ("scores", np.float64, (hands,)),
        ("labels", np.int8, (hands,)),
        ("judged", np.int8, ()),
    )


class FrameSpool:
    """Frames appended one by one; `track()` gives them all back as a Track. Not thread-safe.

    hands: the tracker's hand slots (each frame's FrameResult holds that many)."""

    def __init__(self, hands: int) -> None:
        self._columns = _columns(hands)
        self._block = {name: np.empty((BLOCK, *shape), kind) for name, kind, shape in self._columns}
        self._filled = 0
        self._written = 0  # frames already in the file
        self._file: Any = None

    def __len__(self) -> int:
        return self._written + self._filled

    def append(self, t: float, result: FrameResult, judged: int) -> None:
        """One frame's hands and the slot judged in it (-1: none)."""
        row = self._filled
        b = self._block
        b["t"][row] = t
        b["thumbs"][row] = result.thumbs
        b["hands"][row] = result.hands
        b["scores"][row] = result.scores
        b["labels"][row] = result.labels
        b["judged"][row] = judged
        self._filled += 1
        if self._filled == BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="trainer-live-")  # noqa: SIM115 - closed by close()
        for name, _, _ in self._columns:
            self._file.write(self._block[name][: self._filled].tobytes())
        self._written += self._filled
        self._filled = 0

    def columns(self) -> dict[str, np.ndarray]:
        """Every frame so far, column by column (read back from the file, then this block)."""
        parts: dict[str, list[np.ndarray]] = {name: [] for name, _, _ in self._columns}
        if self._file is not None:
            self._file.seek(0)
            for start in range(0, self._written, BLOCK):
                n = min(BLOCK, self._written - start)
                for name, kind, shape in self._columns:
                    size = n * int(np.prod(shape, dtype=np.int64)) * np.dtype(kind).itemsize
                    raw = self._file.read(size)
                    parts[name].append(np.frombuffer(raw, kind).reshape(n, *shape))
            self._file.seek(0, 2)
        for name, _, _ in self._columns:
            parts[name].append(self._block[name][: self._filled].copy())
        return {name: np.concatenate(chunks) for name, chunks in parts.items()}

    def track(self, width: int, height: int, meta: dict[str, Any]) -> Track:
        cols = self.columns()
        t = cols["t"]
        span = float(t[-1] - t[0]) if len(t) > 1 else 0.0
        hands = HandTracks(
            cols["thumbs"], cols["hands"], cols["scores"], cols["labels"], cols["judged"]
        )
        fps = (len(t) - 1) / span if span > 0 else 0.0
        return Track.from_hands(t, hands, width, height, fps, meta)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
