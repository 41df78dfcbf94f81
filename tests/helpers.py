"""Synthetic thumb tracks from plain lists: minimum-jerk passes along a technique's path, and
the brief's cases laid out with them, with their verdicts worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from trainer.core.path.calibration import PathFrame
from trainer.core.technique import load_technique
from trainer.core.track import HandTracks, Track

TECHNIQUES = ("foot-spine-line", "neck-back-stroke")
GUIDE = {name: [list(p) for p in load_technique(name).guide] for name in TECHNIQUES}

# The synthetic cases of the brief, as `session` arguments (the rendered samples come separately).
CASES = {
    "correct": {},
    "reversed": {"reverse": True},
    "off_line": {"offset": 0.25},
    "too_fast": {"pass_s": 0.8, "lift": 0.04},  # travels back slower than the passes
    "too_slow": {"pass_s": 10.0},
    "partial": {"span": (0.0, 0.4)},
    "hand_lost": {"lost": (8.6, 10.15)},  # 1.55 s between the second and third pass
}
GOOD_CASES = ("correct", "hand_lost")  # hand_lost's passes are correct ones
# Each case's score worked out from the default weights (strokes 40, direction 20, path 15,
# coverage 10, tempo 10, smoothness 5): every pass of a faulty case is well beyond its fault,
# so it loses the "strokes" part and the fault's own part; a gap costs 25 points.
SCORES = {
    "correct": 100,
    "reversed": 100 - 40 - 20,
    "off_line": 100 - 40 - 15,
    "too_fast": 100 - 40 - 10,
    "too_slow": 100 - 40 - 10,
    "partial": 100 - 40 - 10,
    "hand_lost": 100 - 25,
}


def min_jerk(n: int) -> np.ndarray:
    """(n,) minimum-jerk progress 0 -> 1 (Flash and Hogan 1985)."""
    tau = np.linspace(0.0, 1.0, n)
    return 10 * tau**3 - 15 * tau**4 + 6 * tau**5


def path_point(path: PathFrame, s: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Pixel points at progress s, offset d path lengths across the start-to-end chord.

    One normal for the whole path, so offsets stay smooth past bends (per-segment normals
    would make points far off a bent line jump or fold back at the bend).
    """
    s = np.asarray(s, dtype=np.float64)
    chord = path.points[-1] - path.points[0]
    u = chord / np.hypot(*chord)
    normal = np.array([-u[1], u[0]])
    return path.point_at(s) + normal * (np.asarray(d) * path.length)[:, None]


def session(
    points: list[list[float]],
    *,
    passes: int = 5,
    pass_s: float = 3.0,
    return_s: float = 1.1,
    pause_s: float = 0.4,
    lift: float = 0.12,
    span: tuple[float, float] = (0.0, 1.0),
    offset: float = 0.0,
    wobble: float = 0.0,
    reverse: bool = False,
    noise_px: float = 0.0,
    lost: tuple[float, float] | None = None,
    fps: float = 30.0,
    width: int = 640,
    height: int = 480,
    seed: int = 0,
) -> Track:
    """A track of repeated passes (min-jerk, `pass_s` each) and travels back between them.

    Like the sample videos' animator: after each pass a pause, then the thumb lifts `lift`
    path lengths to the side and travels back in `return_s`, coming down at the start.
    points: the path in normalized coordinates; span: the stretch of it each pass covers;
    offset: constant cross-track offset; wobble: amplitude of a sideways waviness along the
    path (both in path lengths); reverse: passes run end -> start; lost: (from_s, to_s)
    without a hand.
    """
    rng = np.random.default_rng(seed)
    path = PathFrame.from_points(np.asarray(points) * [width, height])
    a, b = span
    if reverse:
        a, b = b, a
    rest = round(pause_s * fps)
    s_parts, d_parts = [np.full(rest, a)], [np.zeros(rest)]
    for _ in range(passes):
        n_pass, n_back = round(pass_s * fps), round(return_s * fps)
        s_parts += [a + (b - a) * min_jerk(n_pass), np.full(rest, b)]
        s_parts += [b + (a - b) * min_jerk(n_back), np.full(rest, a)]
        # Up and down smoothly at either end of the travel back.
        up = np.clip(3 * np.sin(np.pi * np.linspace(0, 1, n_back)), 0, 1)
        d_parts += [np.zeros(n_pass + rest), lift * min_jerk_of(up), np.zeros(rest)]
    s, extra = np.concatenate(s_parts), np.concatenate(d_parts)
    t = np.arange(len(s)) / fps
    d = offset + np.sign(offset or 1) * extra + wobble * np.sin(2 * np.pi * 1.5 * s)
    xy = path_point(path, s, d) + rng.normal(0.0, noise_px, (len(s), 2))
    rows: list[list[float] | None] = [list(p) for p in xy]
    if lost is not None:
        rows = [None if lost[0] <= ti < lost[1] else r for ti, r in zip(t, rows, strict=True)]
    return Track.from_points(t, rows, width, height, fps)


def pass_frames(
    *,
    passes: int = 5,
    pass_s: float = 3.0,
    return_s: float = 1.1,
    pause_s: float = 0.4,
    fps: float = 30.0,
    **_: object,
) -> list[tuple[int, int]]:
    """Frames (first, last + 1) of each pass `session` lays out with these arguments."""
    rest, n_pass, n_back = round(pause_s * fps), round(pass_s * fps), round(return_s * fps)
    cycle = n_pass + rest + n_back + rest
    return [(rest + k * cycle, rest + k * cycle + n_pass) for k in range(passes)]


def min_jerk_of(x: np.ndarray) -> np.ndarray:
    """Minimum-jerk easing of values in 0..1."""
    return 10 * x**3 - 15 * x**4 + 6 * x**5


def with_hands(*tracks: Track, judged: int = 0) -> Track:
    """One track of several hands (same frames), hand k from tracks[k]; `judged` is the hand the
    track's own thumb follows (as the tracker's path-free choice would make it)."""
    hands = HandTracks(
        thumb_px=np.stack([t.thumb_px for t in tracks], axis=1),
        landmarks=np.stack([t.landmarks for t in tracks], axis=1),
        confidence=np.stack([t.confidence for t in tracks], axis=1),
        handedness=np.stack([t.handedness for t in tracks], axis=1),
        judged=np.where(tracks[judged].detected, judged, -1).astype(np.int8),
    )
    return replace(tracks[judged], hands=hands)


def resting(track: Track, spot: tuple[float, float], noise_px: float = 0.8, seed: int = 1) -> Track:
    """A hand that holds still at `spot` (normalized) for every frame of `track`, jittering."""
    rng = np.random.default_rng(seed)
    xy = np.array(spot) * track.size + rng.normal(0.0, noise_px, (len(track), 2))
    return Track.from_points(track.t, xy, track.width, track.height, track.fps)


class FakeClock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
