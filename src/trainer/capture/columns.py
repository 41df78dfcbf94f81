"""Per-frame results kept in blocks of numpy columns, not as small arrays per frame.

A video keeps one result per frame. As small numpy arrays, allocated between the decoder's
big transient frame buffers, they fragment the heap, which then grows with the video's length
(3.5 kB a frame, measured on a 30-minute review, for 1 kB of results). A block of a few
thousand rows is allocated rarely and costs its own bytes alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

BLOCK = 4096  # rows: 4.2 MB with two hands' landmarks

Block = dict[str, np.ndarray]


class FrameColumns:
    """Rows appended one frame at a time into blocks of columns; `take()` gives them back.

    dtypes: each column's name and dtype; its shape in one row is the first row's. Not
    thread-safe."""

    def __init__(self, dtypes: dict[str, Any], block: int = BLOCK) -> None:
        self._dtypes = dtypes
        self._size = block
        self._shapes: dict[str, tuple[int, ...]] = {}  # set by the first row
        self._done: list[Block] = []  # blocks no longer filled, each cut to its rows
        self._open: Block | None = None
        self._filled = 0  # rows of the open block
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def add(self, **row: Any) -> None:
        """One row: a value for each column."""
        if not self._shapes:
            self._shapes = {name: np.shape(row[name]) for name in self._dtypes}
        if self._open is None:
            self._open = {
                name: np.empty((self._size, *shape), self._dtypes[name])
                for name, shape in self._shapes.items()
            }
        for name, column in self._open.items():
            value, shape = row[name], self._shapes[name]
            if np.shape(value) != shape:  # assigned, a smaller row would broadcast silently
                raise ValueError(f"{name}: a row of shape {np.shape(value)}, not {shape}")
            column[self._filled] = value
        self._filled += 1
        self._rows += 1
        if self._filled == self._size:
            self._done.append(self._open)
            self._open, self._filled = None, 0

    def blocks(self) -> Iterator[Block]:
        """Every row so far, block by block, as views: what is written to them is kept."""
        yield from self._done
        if self._open is not None and self._filled:
            yield {name: column[: self._filled] for name, column in self._open.items()}

    def extend(self, other: FrameColumns) -> None:
        """The other's rows after these; its blocks are taken over, not copied, and it is
        left empty."""
        if other._rows and self._rows and other._shapes != self._shapes:
            raise ValueError(f"rows of shapes {other._shapes}, not {self._shapes}")
        self._close()
        other._close()
        if not self._rows:
            self._shapes = other._shapes or self._shapes
        self._done += other._done
        self._rows += other._rows
        other._done, other._rows = [], 0

    def _close(self) -> None:
        """Cut the open block to its rows (a copy: the unfilled rest is freed); the next row
        opens a new block."""
        if self._open is not None and self._filled:
            n = self._filled
            self._done.append({name: column[:n].copy() for name, column in self._open.items()})
        self._open, self._filled = None, 0

    def take(self) -> Block:
        """Every row, one array a column; the store is left empty. Each block is freed once
        copied, so the rows are held twice one block at most."""
        self._close()
        if len(self._done) == 1:  # already one array a column
            (out,) = self._done
        else:
            out = {
                name: np.empty((self._rows, *self._shapes.get(name, ())), kind)
                for name, kind in self._dtypes.items()
            }
            at = 0
            self._done.reverse()
            while self._done:
                block = self._done.pop()
                rows = len(next(iter(block.values())))
                for name, column in block.items():
                    out[name][at : at + rows] = column
                at += rows
        self._done, self._rows = [], 0
        return out
