"""Stroke segmentation: a streaming state machine fed one frame at a time.

A movement starts when the thumb's speed rises above `start_speed` and ends once it has stayed
within `still_radius` for `settle_s` (hysteresis: starting takes clear motion, ending takes a
real pause, so jitter neither starts nor chops strokes; `stop_speed` then trims the still
frames off both ends), when the thumb turns back along the path by more than `reversal`, or
when the hand is lost for longer than `bridge_gap_s` (shorter gaps are bridged). A movement
that carries on the same way along the path after a pause shorter than `stop_s` (the thumb
lingering on a sore point, or pinching) is joined to the one before, so a stroke is only
reported once it cannot go on: the next movement heads back by `reversal` or ends without
joining, or `stop_s` passes with no movement (still, or no hand).
Positions come in units of the path length, so every threshold is independent of resolution
and distance. Offline reviews feed the same machine, frame by frame, as live ones.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from trainer.core.path.polyline import arc_length
from trainer.core.technique import Segmentation

STILL, REVERSAL, LOST, END = "still", "reversal", "lost", "end"
JOIN_GAP = 0.1  # path lengths between one movement's end and the next one's start, to join
JOIN_PROGRESS = 0.03  # path lengths both must progress the same way to be one stroke


@dataclass(frozen=True)
class Stroke:
    """One stroke: frames start_index .. end_index - 1 (slice-style, end excluded).

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


@dataclass(frozen=True)
class _Move:
    """A finished movement waiting to be joined or reported: its stroke, times and progress."""

    stroke: Stroke
    t0: float
    t1: float
    s0: float
    s1: float

    def joins(self, nxt: _Move, max_pause_s: float) -> bool:
        """True when `nxt` carries on this movement's way along the path after a pause.

        Not when it leaves the path's ends: that is the hand moving off, not the stroke.
        """
        ahead, then = self.s1 - self.s0, nxt.s1 - nxt.s0
        inside = min(nxt.s0, nxt.s1) >= -JOIN_GAP and max(nxt.s0, nxt.s1) <= 1 + JOIN_GAP
        return (
            self.stroke.ended_by == STILL
            and inside
            and nxt.t0 - self.t1 <= max_pause_s
            and abs(nxt.s0 - self.s1) <= JOIN_GAP
            and min(abs(ahead), abs(then)) >= JOIN_PROGRESS
            and np.sign(ahead) == np.sign(then)
        )

    def join(self, nxt: _Move) -> _Move:
        stroke = Stroke(self.stroke.start_index, nxt.stroke.end_index, nxt.stroke.ended_by)
        return _Move(stroke, self.t0, nxt.t1, self.s0, nxt.s1)


@dataclass
class _Open:
    """The movement being built: per-frame index, time, position, progress and speed."""

    index: list[int] = field(default_factory=list)
    t: list[float] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    s: list[float] = field(default_factory=list)
    speed: list[float] = field(default_factory=list)
    hi: int = 0
    lo: int = 0

    def __post_init__(self) -> None:
        if self.s:
            self.hi, self.lo = int(np.argmax(self.s)), int(np.argmin(self.s))

    def add(self, frame: tuple[int, float, float, float, float, float]) -> None:
        """Append a frame, keeping the positions of the furthest progress either way."""
        for values, value in zip(
            (self.index, self.t, self.x, self.y, self.s, self.speed), frame, strict=True
        ):
            values.append(value)
        k, s = len(self.s) - 1, frame[4]
        if s > self.s[self.hi]:
            self.hi = k
        if s < self.s[self.lo]:
            self.lo = k

    def tail(self, k: int) -> _Open:
        """The frames from k on, as a new movement."""
        return _Open(self.index[k:], self.t[k:], self.x[k:], self.y[k:], self.s[k:], self.speed[k:])


@dataclass
class StrokeSegmenter:
    """Feed frames with `push`; it returns the strokes that just ended (usually none)."""

    params: Segmentation
    _window: deque = field(default_factory=deque, init=False, repr=False)
    _open: _Open | None = field(default=None, init=False, repr=False)
    _rising: list = field(default_factory=list, init=False, repr=False)
    _pending: _Move | None = field(default=None, init=False, repr=False)
    _last_seen: float | None = field(default=None, init=False, repr=False)
    _gap_closed: bool = field(default=False, init=False, repr=False)

    def push(self, index: int, t: float, xy: np.ndarray | None, s: float) -> list[Stroke]:
        """One frame: xy is the thumb in path lengths (None: no hand), s its progress."""
        p = self.params
        if xy is None or np.isnan(xy[0]):
            moves: list[_Move] = []
            gone = self._last_seen is not None and t - self._last_seen > p.bridge_gap_s
            if gone and not self._gap_closed:
                self._gap_closed = True
                self._window.clear()
                self._rising = []
                moves = self._close(LOST)
            return self._settle(moves, t)
        self._last_seen, self._gap_closed = t, False
        speed = self._speed(t, xy)
        frame = (index, t, float(xy[0]), float(xy[1]), s, speed)
        if self._open is not None:
            return self._settle(self._extend(frame), t)
        # Still: remember the frames since the speed last sat below stop_speed, so a movement
        # that starts begins where the motion began, not where it crossed start_speed.
        self._rising = [] if speed < p.stop_speed else [*self._rising, frame]
        if speed < p.start_speed:
            return self._settle([], t)
        rising, self._rising = self._rising, []
        moves = []
        for f in rising:
            moves += self._extend(f)
        return self._settle(moves, t)

    def cut(self, t: float) -> list[Stroke]:
        """Another hand is judged from this frame on: end what is open, as if the hand had
        been lost, and report what waits (the new hand's movement must neither run on from
        the old hand's positions nor join the old hand's stroke)."""
        self._window.clear()
        self._rising = []
        out = self._settle(self._close(LOST), t)
        if self._pending is not None:
            out.append(self._pending.stroke)
            self._pending = None
        return out

    def finish(self) -> list[Stroke]:
        """The stream ended: report what is still open or waiting."""
        return self._settle(self._close(END), np.inf)

    @property
    def moving(self) -> bool:
        return self._open is not None

    @property
    def open_start(self) -> int | None:
        """First frame of the stroke in progress (moving, or paused and maybe going on)."""
        if self._pending is not None:
            return self._pending.stroke.start_index
        return self._open.index[0] if self._open and self._open.index else None

    def _settle(self, moves: list[_Move], t: float) -> list[Stroke]:
        """Join movements that carry on the same way; report strokes that are surely over."""
        out = []
        for move in moves:
            if self._pending is not None and self._pending.joins(move, self.params.stop_s):
                self._pending = self._pending.join(move)
                continue
            if self._pending is not None:
                out.append(self._pending.stroke)
            self._pending = move
        if self._pending is not None and (
            self._heading_back()
            or (self._open is None and t - self._pending.t1 > self.params.stop_s)
        ):
            out.append(self._pending.stroke)
            self._pending = None
        return out

    def _heading_back(self) -> bool:
        """The open movement already went `reversal` against the waiting stroke's way, so
        whatever it turns into, it cannot join: the stroke can be reported now."""
        o, p = self._open, self._pending
        if o is None or not o.s:
            return False
        r = self.params.reversal
        if p.s1 > p.s0:
            return o.s[0] - o.s[o.lo] >= r
        return o.s[o.hi] - o.s[0] >= r

    def _speed(self, t: float, xy: np.ndarray) -> float:
        """Displacement over the last `speed_window_s`, per second: steadier than frame steps."""
        p, w = self.params, self._window
        w.append((t, xy[0], xy[1]))
        while len(w) > 2 and t - w[1][0] >= max(p.speed_window_s, p.settle_s):
            w.popleft()
        k = next(i for i in range(len(w) - 1, -1, -1) if t - w[i][0] >= p.speed_window_s or i == 0)
        t0, x0, y0 = w[k]
        return 0.0 if t <= t0 else float(np.hypot(xy[0] - x0, xy[1] - y0) / (t - t0))

    def _still(self) -> bool:
        """A pause, not jitter: over the last `settle_s` the thumb kept within `still_radius`
        and its average position (first third of the frames against the last third) moved
        slower than `stop_speed`. Averages and a radius ride out tracking jitter that a
        speed from single frames would keep mistaking for motion; slow progress still counts
        as motion.
        """
        p, w = self.params, self._window
        if w[-1][0] - w[0][0] < p.settle_s:
            return False
        recent = np.array([f for f in w if w[-1][0] - f[0] <= p.settle_s])
        pts = recent[:, 1:]
        if np.max(np.hypot(*(pts - pts.mean(axis=0)).T)) >= p.still_radius:
            return False
        third = max(1, len(recent) // 3)
        first, last = recent[:third].mean(axis=0), recent[-third:].mean(axis=0)
        drift = np.hypot(*(last[1:] - first[1:]))
        return bool(drift < p.stop_speed * (last[0] - first[0]))

    def _extend(self, frame: tuple[int, float, float, float, float, float]) -> list[_Move]:
        if self._open is None:
            self._open = _Open()
        o = self._open
        o.add(frame)
        # Clearly moving frames skip the (costlier) pause test.
        if frame[5] < self.params.start_speed and self._still():
            return self._close(STILL)
        turn = self._turn_point(o)
        if turn is None:
            return []
        done = self._emit(o, turn + 1, REVERSAL)
        rest = _set_off(o.tail(turn + 1), self.params)
        self._open = rest if rest.index else None
        return done

    def _turn_point(self, o: _Open) -> int | None:
        """Index in the open movement where it turned back by more than `reversal`, if it did."""
        s, r = o.s, self.params.reversal
        if s[o.hi] - s[0] >= r and s[o.hi] - s[-1] >= r:
            return o.hi
        if s[0] - s[o.lo] >= r and s[-1] - s[o.lo] >= r:
            return o.lo
        return None

    def _close(self, reason: str) -> list[_Move]:
        o, self._open = self._open, None
        return [] if o is None else self._emit(o, len(o.index), reason)

    def _emit(self, o: _Open, end: int, reason: str) -> list[_Move]:
        """Trim still frames off both ends; keep it if long enough in time and space."""
        p = self.params
        t = np.asarray(o.t[:end])
        xy = np.column_stack([o.x[:end], o.y[:end]])
        # Centred speed over twice the running window, from this movement's own frames: the
        # running window still carries the motion before a turn-around (which would glue a
        # pause onto the next movement), and the longer span keeps jitter under stop_speed.
        # Dividing by the full span keeps the few frames at each end from magnifying jitter.
        half = p.speed_window_s
        lo = np.searchsorted(t, t - half)
        hi = np.searchsorted(t, t + half, side="right") - 1
        speed = np.hypot(*(xy[hi] - xy[lo]).T) / (2 * half)
        active = np.flatnonzero(speed >= p.stop_speed)
        if not len(active):
            return []
        a, b = int(active[0]), int(active[-1]) + 1
        if t[b - 1] - t[a] < p.min_duration_s or arc_length(xy[a:b])[-1] < p.min_length:
            return []
        stroke = Stroke(o.index[a], o.index[b - 1] + 1, reason)
        return [_Move(stroke, float(t[a]), float(t[b - 1]), o.s[a], o.s[b - 1])]


def _set_off(o: _Open, p: Segmentation) -> _Open:
    """The movement after a turn-around from where it set off: a pause at the turn is dropped
    (trimming by speed alone keeps it, as tracking jitter over a pause exceeds `stop_speed`).

    Speeds from mean positions over half-windows ride out the jitter; the pause ends at the
    last slow frame before clear motion (`start_speed`), as a movement from stillness starts.
    """
    t, xy = np.asarray(o.t), np.column_stack([o.x, o.y])
    speed = _steady_speed(t, xy, p.speed_window_s)
    clear = np.flatnonzero(speed >= p.start_speed)
    if not len(clear):
        return o
    slow = np.flatnonzero(speed[: clear[0]] < p.stop_speed)
    return o.tail(int(slow[-1]) + 1) if len(slow) else o


def _steady_speed(t: np.ndarray, xy: np.ndarray, half: float) -> np.ndarray:
    """Per frame: how far the mean position over the next `half` seconds lies from the mean
    over the last `half` (the frame included), per `half` second."""
    k = np.arange(len(t))
    c = np.vstack([np.zeros((1, 2)), np.cumsum(xy, axis=0)])
    lo = np.searchsorted(t, t - half)
    hi = np.searchsorted(t, t + half, side="right")
    before = (c[k + 1] - c[lo]) / (k + 1 - lo)[:, None]
    ahead = np.maximum(hi - k - 1, 1)[:, None]
    after = np.where((hi > k + 1)[:, None], (c[hi] - c[k + 1]) / ahead, xy)
    return np.hypot(*(after - before).T) / half


def segment(t: np.ndarray, xy: np.ndarray, s: np.ndarray, params: Segmentation) -> list[Stroke]:
    """Strokes of a whole track: t (N,), xy (N, 2) in path lengths (NaN: no hand), s (N,)."""
    machine = StrokeSegmenter(params)
    strokes: list[Stroke] = []
    for i in range(len(t)):
        p = None if np.isnan(xy[i, 0]) else xy[i]
        strokes += machine.push(i, float(t[i]), p, float(s[i]))
    return strokes + machine.finish()
