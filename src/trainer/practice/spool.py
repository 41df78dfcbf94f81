"""A live session's frames, kept for saving the session, on disk rather than in memory.

An hour of webcam at 30 frames/s is 108,000 frames of 21 landmarks; kept as Python objects
that is 150 MB that grows as long as the stream runs. Here a block of frames waits in small
numpy arrays and, once full, is written to a temporary file (deleted when the spool is closed
or the process ends), so memory stays flat however long the session; `track()` reads the
blocks back.
"""

from __future__ import annotations

import tempfile
from typing import Any

import numpy as np

from trainer.capture.tracker import FrameResult
from trainer.core.track import N_LANDMARKS, Track

BLOCK = 1024  # frames: 0.7 MB in memory at most; one write each 34 s of a 30 frames/s stream
# Per frame: time, thumb tip (x, y), landmarks, confidence, handedness; float64 but the last.
COLUMNS = (
    ("t", np.float64, ()),
    ("thumb_px", np.float64, (2,)),
    ("landmarks", np.float64, (N_LANDMARKS, 3)),
    ("confidence", np.float64, ()),
    ("handedness", np.int8, ()),
)


class FrameSpool:
    """Frames appended one by one; `track()` gives them all back as a Track. Not thread-safe."""

    def __init__(self) -> None:
        self._block = {name: np.empty((BLOCK, *shape), kind) for name, kind, shape in COLUMNS}
        self._filled = 0
        self._written = 0  # frames already in the file
        self._file: Any = None

    def __len__(self) -> int:
        return self._written + self._filled

    def append(self, t: float, result: FrameResult) -> None:
        row = self._filled
        b = self._block
        b["t"][row] = t
        b["thumb_px"][row] = result.thumb_px
        b["landmarks"][row] = result.landmarks
        b["confidence"][row] = result.confidence
        b["handedness"][row] = result.handedness
        self._filled += 1
        if self._filled == BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="trainer-live-")  # noqa: SIM115 - closed by close()
        for name, _, _ in COLUMNS:
            self._file.write(self._block[name][: self._filled].tobytes())
        self._written += self._filled
        self._filled = 0

    def columns(self) -> dict[str, np.ndarray]:
        """Every frame so far, column by column (read back from the file, then this block)."""
        parts: dict[str, list[np.ndarray]] = {name: [] for name, _, _ in COLUMNS}
        if self._file is not None:
            self._file.seek(0)
            for start in range(0, self._written, BLOCK):
                n = min(BLOCK, self._written - start)
                for name, kind, shape in COLUMNS:
                    size = n * int(np.prod(shape, dtype=np.int64)) * np.dtype(kind).itemsize
                    raw = self._file.read(size)
                    parts[name].append(np.frombuffer(raw, kind).reshape(n, *shape))
            self._file.seek(0, 2)
        for name, _, _ in COLUMNS:
            parts[name].append(self._block[name][: self._filled].copy())
        return {name: np.concatenate(chunks) for name, chunks in parts.items()}

    def track(self, width: int, height: int, meta: dict[str, Any]) -> Track:
        cols = self.columns()
        span = float(cols["t"][-1] - cols["t"][0]) if len(cols["t"]) > 1 else 0.0
        return Track(
            **cols,
            width=width,
            height=height,
            fps=(len(cols["t"]) - 1) / span if span > 0 else 0.0,
            meta=meta,
        )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
