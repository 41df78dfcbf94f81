"""The stroke animator: where the thumb tip is in every frame of a session, and why.

A session is a list of passes along the stroke line. Between passes the hand lifts (off the
line to the scene's lift side, a little nearer the camera), travels back and comes down; each
pass follows the line with a minimum-jerk speed profile, a slow wobble and a small tremor.
The mistakes of the brief's shared vocabulary are built into the plan of each case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from trainer.core.base.errors import TrainerError
from trainer.core.path.polyline import arc_length

CASES = ("correct", "reversed", "off_line", "too_fast", "too_slow", "partial", "hand_lost", "dim")
FAULTS = {
    "correct": [],
    "reversed": ["reversed"],
    "off_line": ["off_line"],
    "too_fast": ["too_fast"],
    "too_slow": ["too_slow"],
    "partial": ["partial"],
    "hand_lost": ["hand_lost"],
    "dim": [],  # a correct attempt, in dim light (the samples render it so)
    # Correct attempts staged harder (`staging.STAGES`): a second hand, a moving body part.
    "held": [],
    "two_hands": [],
    "moving": [],
}
OFF_LINE = 0.25  # cross-track offset of the off_line case, in path lengths
PARTIAL = 0.4  # share of the path the partial case covers
# Between passes the lifted thumb travels back this far off the line (path lengths, hand side),
# or as far as the pass was if that was farther: clearly not a pass.
LIFT = 0.12
WOBBLE = 0.008  # amplitude of the slow sideways wobble of a pass, in path lengths
TREMOR_PX = 0.6
Curve = Callable[[np.ndarray], np.ndarray | float]  # normalized time 0..1 -> xy or lift


@dataclass(frozen=True)
class Pass:
    """One stroke: from `start` to `end` (shares of the path, 0 = its start), `offset` path
    lengths to the hand's side of the line, taking `duration` seconds."""

    duration: float
    start: float = 0.0
    end: float = 1.0
    offset: float = 0.0


@dataclass(frozen=True)
class Plan:
    """A session: passes with pauses between, the hand optionally leaving the picture for
    `lost_s` seconds after pass number `lost_after`."""

    passes: list[Pass]
    pause: float = 0.4
    travel: float = 0.8
    lost_after: int | None = None
    lost_s: float = 0.0
    faults: list[str] = field(default_factory=list)

    @property
    def direction_ok(self) -> bool:
        return all(p.end >= p.start for p in self.passes)


def plan_for(case: str, rng: np.random.Generator) -> Plan:
    """The session of a sample case, with durations drawn inside the case's range."""
    if case not in FAULTS:
        raise TrainerError(f"unknown case {case!r}; expected one of {', '.join(CASES)}")
    u = rng.uniform
    faults = FAULTS[case]
    if case == "too_fast":
        return Plan([Pass(u(0.7, 0.95)) for _ in range(5)], faults=faults)
    if case == "too_slow":
        # min-jerk ends are slow: 14-15 s end to end is >= 10 s of clear movement
        return Plan([Pass(u(14.0, 15.0))], faults=faults)
    if case == "reversed":
        return Plan([Pass(u(3.0, 3.6), 1.0, 0.0) for _ in range(3)], faults=faults)
    if case == "off_line":
        return Plan([Pass(u(3.0, 3.6), offset=OFF_LINE) for _ in range(3)], faults=faults)
    if case == "partial":
        return Plan([Pass(u(2.0, 2.6), 0.0, PARTIAL) for _ in range(3)], faults=faults)
    if case == "hand_lost":
        passes = [Pass(u(3.0, 3.4)) for _ in range(3)]
        return Plan(passes, lost_after=1, lost_s=u(1.8, 2.2), faults=faults)
    passes = [Pass(u(3.0, 3.6)) for _ in range(3)]
    return Plan(passes, faults=faults)


def min_jerk(tau: np.ndarray) -> np.ndarray:
    """Minimum-jerk progress 0..1 for normalized time 0..1 (zero speed and acceleration at ends)."""
    tau = np.clip(tau, 0.0, 1.0)
    return tau**3 * (10 - 15 * tau + 6 * tau**2)


@dataclass(frozen=True)
class Line:
    """A polyline in pixels with arc-length lookup."""

    points: np.ndarray

    @property
    def cumulative(self) -> np.ndarray:
        return arc_length(self.points)

    @property
    def length(self) -> float:
        return float(self.cumulative[-1])

    def at(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points (n, 2) and unit normals (n, 2) at path shares `s` (n,) along the line."""
        cum = self.cumulative
        d = np.clip(np.asarray(s, dtype=np.float64), 0.0, 1.0) * cum[-1]
        i = np.clip(np.searchsorted(cum, d, side="right") - 1, 0, len(cum) - 2)
        seg = self.points[i + 1] - self.points[i]
        seg_len = np.linalg.norm(seg, axis=1, keepdims=True)
        point = self.points[i] + seg * ((d - cum[i])[:, None] / seg_len)
        tangent = seg / seg_len
        return point, np.stack([-tangent[:, 1], tangent[:, 0]], axis=1)


@dataclass(frozen=True)
class Motion:
    """The hand over a session of N frames.

    Attributes:
        t: (N,) seconds.
        thumb_px: (N, 2) thumb tip in pixels; it may lie outside the picture.
        stroke: (N,) int pass number while a pass runs, -1 otherwise.
        lift: (N,) 0 (pressing on the line) .. 1 (lifted between passes).
        turn: (N, 3) roll, pitch, yaw changes of the hand from its resting pose, radians.
    """

    t: np.ndarray
    thumb_px: np.ndarray
    stroke: np.ndarray
    lift: np.ndarray
    turn: np.ndarray


class _Timeline:
    """Collects pieces of motion, sampled at fixed times."""

    def __init__(self, fps: float) -> None:
        self.fps = fps
        self.t0 = 0.0
        self.xy: list[np.ndarray] = []
        self.stroke: list[np.ndarray] = []
        self.lift: list[np.ndarray] = []

    def _times(self, duration: float) -> np.ndarray:
        """Local times of the frames inside [t0, t0 + duration)."""
        first = np.ceil(self.t0 * self.fps - 1e-9)
        last = np.ceil((self.t0 + duration) * self.fps - 1e-9)
        return np.arange(first, last) / self.fps - self.t0

    def add(self, duration: float, xy: Curve, lift: Curve, stroke: int = -1) -> None:
        """Append `duration` s; xy and lift are functions of progress 0..1."""
        tau = self._times(duration) / duration
        self.xy.append(np.asarray(xy(tau), dtype=np.float64).reshape(-1, 2))
        self.lift.append(np.broadcast_to(lift(tau), tau.shape).astype(np.float64))
        self.stroke.append(np.full(len(tau), stroke))
        self.t0 += duration

    def move(self, duration: float, a, b, lift_a: float, lift_b: float) -> None:
        """A minimum-jerk move from point a to b, lifting from lift_a to lift_b."""
        a, b = np.asarray(a, float), np.asarray(b, float)
        self.add(
            duration,
            lambda tau: a + min_jerk(tau)[:, None] * (b - a),
            lambda tau: lift_a + min_jerk(tau) * (lift_b - lift_a),
        )


def _hold(point: np.ndarray) -> Curve:
    """xy of a thumb staying at point."""
    return lambda tau: np.tile(point, (len(tau), 1))


def _flat(lift: float) -> Curve:
    """A lift that stays at one value."""
    return lambda tau: lift


@dataclass(frozen=True)
class _Lane:
    """The stroke line and the side of it (+1 or -1 along its normals) the hand works from."""

    line: Line
    side: float

    @classmethod
    def facing(cls, path_px: np.ndarray, lift_side: np.ndarray) -> _Lane:
        """The line through path_px, its side the one screen direction lift_side points to."""
        line = Line(np.asarray(path_px, dtype=np.float64))
        _, normal = line.at(np.array([0.5]))
        return cls(line, 1.0 if float(normal[0] @ np.asarray(lift_side, float)) >= 0 else -1.0)

    def on_line(self, s: float | np.ndarray, offset: float = 0.0) -> np.ndarray:
        p, n = self.line.at(np.atleast_1d(s))
        return p + self.side * offset * self.line.length * n

    def lifted(self, s: float, p: Pass) -> np.ndarray:
        """Where the thumb hovers over path share s between passes: off the line, hand side."""
        return self.on_line(s, max(LIFT, p.offset))[0]

    def stroke(self, p: Pass, phase: float) -> Curve:
        """xy of pass p along the line, with a slow sideways wobble starting at phase."""
        amp = WOBBLE * self.line.length

        def xy(tau: np.ndarray) -> np.ndarray:
            s = p.start + (p.end - p.start) * min_jerk(tau)
            pts, n = self.line.at(s)
            sway = amp * np.sin(np.pi * tau) * np.sin(2 * np.pi * 1.6 * tau + phase)
            return pts + self.side * (p.offset * self.line.length + sway)[:, None] * n

        return xy


def _stroke_pass(
    tl: _Timeline,
    lane: _Lane,
    k: int,
    p: Pass,
    pause: float,
    here: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Down onto the line, pass number k, a pause, and up again: where the thumb then is."""
    tl.move(0.35, here, lane.on_line(p.start, p.offset)[0], 1.0, 0.0)
    tl.add(p.duration, lane.stroke(p, rng.uniform(0, 2 * np.pi)), _flat(0.0), stroke=k)
    end = lane.on_line(p.end, p.offset)[0]
    tl.add(pause, _hold(end), _flat(0.0))
    up = lane.lifted(p.end, p)
    tl.move(0.35, end, up, 0.0, 1.0)
    return up


def _out_and_back(tl: _Timeline, here: np.ndarray, gone: np.ndarray, lost_s: float) -> None:
    """The hand leaves the picture for `gone`, stays lost_s seconds, comes back the same way."""
    tl.move(0.6, here, gone, 1.0, 1.0)
    tl.add(lost_s, _hold(gone), _flat(1.0))
    tl.move(0.6, gone, here, 1.0, 1.0)


def animate(
    plan: Plan,
    path_px: np.ndarray,
    lift_side: np.ndarray,
    leave: np.ndarray,
    size: tuple[int, int],
    fps: float,
    rng: np.random.Generator,
) -> Motion:
    """Lay out the session of `plan` on the stroke line `path_px` (K, 2), frame by frame.

    Offsets and lifts go to the side of the line that screen direction `lift_side` (2,) points
    to; a hand that leaves the picture moves in screen direction `leave` (2,).
    """
    lane = _Lane.facing(path_px, lift_side)
    leave = np.asarray(leave, float) / np.linalg.norm(leave)
    tl = _Timeline(fps)
    here = lane.lifted(plan.passes[0].start, plan.passes[0])
    tl.add(0.6, _hold(here), _flat(1.0))
    for k, p in enumerate(plan.passes):
        here = _stroke_pass(tl, lane, k, p, plan.pause, here, rng)
        if k == len(plan.passes) - 1:
            break
        nxt = lane.lifted(plan.passes[k + 1].start, plan.passes[k + 1])
        if plan.lost_after == k:
            _out_and_back(tl, here, _outside(here, leave, size, lane.line.length), plan.lost_s)
        tl.move(plan.travel, here, nxt, 1.0, 1.0)
        here = nxt
    tl.add(0.5, _hold(here), _flat(1.0))

    thumb = np.concatenate(tl.xy)
    t = np.arange(len(thumb)) / fps
    thumb = thumb + _tremor(t, rng)
    return Motion(t, thumb, np.concatenate(tl.stroke), np.concatenate(tl.lift), _turns(t, rng))


def _outside(p: np.ndarray, direction: np.ndarray, size: tuple[int, int], margin: float):
    """The point past the picture's edge from p along direction, `margin` px beyond it."""
    w, h = size
    steps = [
        (edge - c) / d
        for c, d, lo, hi in ((p[0], direction[0], 0, w), (p[1], direction[1], 0, h))
        if abs(d) > 1e-6
        for edge in (lo, hi)
        if (edge - c) / d > 0
    ]
    return p + direction * (min(steps) + margin)


def _tremor(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(N, 2) physiological tremor: a few px at 8-12 Hz."""
    out = np.zeros((len(t), 2))
    for _ in range(3):
        f, ph = rng.uniform(8, 12, 2), rng.uniform(0, 2 * np.pi, 2)
        out += TREMOR_PX / 3 * np.sin(2 * np.pi * f * t[:, None] + ph)
    return out


def _turns(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(N, 3) slow natural changes of roll, pitch and yaw, radians."""
    amp = np.radians([7.0, 5.0, 6.0])
    f = rng.uniform(0.1, 0.35, 3)
    ph = rng.uniform(0, 2 * np.pi, 3)
    return amp * np.sin(2 * np.pi * f * t[:, None] + ph)
