"""Stroke segmentation: a streaming state machine fed one frame at a time.

A stroke starts when the thumb's speed rises above `start_speed` and ends when it stays below
`stop_speed` for `stop_s` (two thresholds: hysteresis, so jitter near one threshold does not
chop a stroke), when the thumb turns back along the path by more than `reversal`, or when the
hand is lost for longer than `bridge_gap_s` (shorter gaps are bridged). Positions come in
units of the path length so every threshold is independent of resolution and distance.
The offline form (`segment`) feeds the same machine, so live and offline strokes agree.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from trainer.techniques import Segmentation

STILL, REVERSAL, LOST, END = "still", "reversal", "lost", "end"


@dataclass(frozen=True)
class Stroke:
    """One continuous movement: frames start_index .. end_index - 1 (slice-style, end excluded).

    `ended_by` says why it ended: "still", "reversal", "lost" (hand gone) or "end" (stream end).
    """

    start_index: int
    end_index: int
    ended_by: str

    @property
    def slice(self) -> slice:
        return slice(self.start_index, self.end_index)

    def __len__(self) -> int:
        return self.end_index - self.start_index


@dataclass
class _Open:
    """The stroke being built: per-frame index, time, progress and speed."""

    index: list[int] = field(default_factory=list)
    t: list[float] = field(default_factory=list)
    s: list[float] = field(default_factory=list)
    speed: list[float] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    slow_since: float | None = None
    hi: int = 0
    lo: int = 0

    def __post_init__(self) -> None:
        if self.s:
            self.hi, self.lo = int(np.nanargmax(self.s)), int(np.nanargmin(self.s))

    def add(self, i: int, t: float, x: float, y: float, s: float, v: float) -> None:
        """Append a frame, keeping the positions of the furthest progress either way."""
        for values, value in zip(
            (self.index, self.t, self.x, self.y, self.s, self.speed),
            (i, t, x, y, s, v),
            strict=True,
        ):
            values.append(value)
        k = len(self.s) - 1
        if s > self.s[self.hi]:
            self.hi = k
        if s < self.s[self.lo]:
            self.lo = k


@dataclass
class StrokeSegmenter:
    """Feed frames with `push`; it returns the strokes that just ended (usually none)."""

    params: Segmentation
    _window: deque = field(default_factory=deque, init=False, repr=False)
    _open: _Open | None = field(default=None, init=False, repr=False)
    _last_seen: float | None = field(default=None, init=False, repr=False)
    _gap_closed: bool = field(default=False, init=False, repr=False)
    _rising: list = field(default_factory=list, init=False, repr=False)

    def push(self, index: int, t: float, xy: np.ndarray | None, s: float) -> list[Stroke]:
        """One frame: xy is the thumb in path lengths (None: no hand), s its progress."""
        p = self.params
        if xy is None or np.isnan(xy[0]):
            if (
                not self._gap_closed
                and self._last_seen is not None
                and t - self._last_seen > p.bridge_gap_s
            ):
                self._gap_closed = True
                self._window.clear()
                self._rising = []
                return self._close(LOST)
            return []
        self._last_seen, self._gap_closed = t, False
        speed = self._speed(t, xy)
        frame = (index, t, float(xy[0]), float(xy[1]), s, speed)
        if self._open is not None:
            return self._extend(frame)
        # Still: remember the frames since the speed last sat below stop_speed, so a stroke
        # that starts begins where the motion began, not where it crossed start_speed.
        self._rising = [] if speed < p.stop_speed else [*self._rising, frame]
        if speed < p.start_speed:
            return []
        rising, self._rising = self._rising, []
        done = []
        for f in rising:
            done += self._extend(f)
        return done

    def finish(self) -> list[Stroke]:
        """The stream ended: close the open stroke, if any."""
        return self._close(END)

    @property
    def moving(self) -> bool:
        return self._open is not None

    @property
    def open_start(self) -> int | None:
        """First frame of the stroke in progress, None when still."""
        return self._open.index[0] if self._open and self._open.index else None

    def _speed(self, t: float, xy: np.ndarray) -> float:
        """Displacement over the last `speed_window_s`, per second: steadier than frame steps."""
        self._window.append((t, xy[0], xy[1]))
        while len(self._window) > 2 and t - self._window[1][0] >= self.params.speed_window_s:
            self._window.popleft()
        t0, x0, y0 = self._window[0]
        return 0.0 if t <= t0 else float(np.hypot(xy[0] - x0, xy[1] - y0) / (t - t0))

    def _extend(self, frame: tuple) -> list[Stroke]:
        if self._open is None:
            self._open = _Open()
        p, o = self.params, self._open
        i, t, x, y, s, v = frame
        o.add(i, t, x, y, s, v)
        if v >= p.stop_speed:
            o.slow_since = None
        elif o.slow_since is None:
            o.slow_since = t
        elif t - o.slow_since >= p.stop_s:
            return self._close(STILL)
        turn = self._turn_point(o)
        if turn is None:
            return []
        done = self._emit(o, 0, turn + 1, REVERSAL)
        k = turn + 1
        rest = _Open(o.index[k:], o.t[k:], o.s[k:], o.speed[k:], o.x[k:], o.y[k:], o.slow_since)
        self._open = rest if rest.index else None
        return done

    def _turn_point(self, o: _Open) -> int | None:
        """Index in the open stroke where it turned back by more than `reversal`, if it did."""
        s, r = o.s, self.params.reversal
        if s[o.hi] - s[0] >= r and s[o.hi] - s[-1] >= r:
            return o.hi
        if s[0] - s[o.lo] >= r and s[-1] - s[o.lo] >= r:
            return o.lo
        return None

    def _close(self, reason: str) -> list[Stroke]:
        o, self._open = self._open, None
        return [] if o is None else self._emit(o, 0, len(o.index), reason)

    def _emit(self, o: _Open, a: int, b: int, reason: str) -> list[Stroke]:
        """Trim still frames off both ends, then keep it if long enough in time and space."""
        p = self.params
        t = np.asarray(o.t[a:b])
        xy = np.column_stack([o.x[a:b], o.y[a:b]])
        # Centred speed over twice the running window, from this stroke's own frames: the
        # running window still carries the motion before a turn-around (which would glue a
        # pause onto the next stroke), and the longer span keeps jitter under stop_speed.
        half = p.speed_window_s
        lo = np.searchsorted(t, t - half)
        hi = np.searchsorted(t, t + half, side="right") - 1
        # Dividing by the full span, not the one left near the ends, keeps the few frames at
        # each end from magnifying jitter.
        speed = np.hypot(*(xy[hi] - xy[lo]).T) / (2 * half)
        span = _steady_span(speed >= p.stop_speed, max(2, int(np.sum(t - t[0] < half))))
        if span is None:
            return []
        first, last = span
        if t[last - 1] - t[first] < p.min_duration_s:
            return []
        travelled = float(np.hypot(*np.diff(xy[first:last], axis=0).T).sum())
        if travelled < p.min_length:
            return []
        return [Stroke(o.index[a + first], o.index[a + last - 1] + 1, reason)]


def _steady_span(active: np.ndarray, run: int) -> tuple[int, int] | None:
    """From the first to the end of the last run of `run` active frames (lone spikes skipped)."""
    padded = np.concatenate([[0], active.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(padded))
    starts, ends = edges[::2], edges[1::2]
    long = ends - starts >= min(run, len(active))
    if not np.any(long):
        return None
    return int(starts[long][0]), int(ends[long][-1])


def segment(t: np.ndarray, xy: np.ndarray, s: np.ndarray, params: Segmentation) -> list[Stroke]:
    """Strokes of a whole track: t (N,), xy (N, 2) in path lengths (NaN: no hand), s (N,)."""
    machine = StrokeSegmenter(params)
    strokes: list[Stroke] = []
    for i in range(len(t)):
        p = None if np.isnan(xy[i, 0]) else xy[i]
        strokes += machine.push(i, float(t[i]), p, float(s[i]))
    return strokes + machine.finish()
