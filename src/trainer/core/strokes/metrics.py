"""Per-stroke measures in path coordinates: direction, adherence, coverage, speed, smoothness."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.core.path.polyline import arc_length
from trainer.core.technique import Technique


@dataclass(frozen=True)
class Linger:
    """A place inside a stroke where the thumb stayed: progress s, its zone, start t, seconds."""

    s: float
    zone: str | None
    t: float
    duration_s: float


@dataclass(frozen=True)
class StrokeMetrics:
    """What one stroke did. Distances in path lengths, times in seconds.

    progress: signed net travel along the path (> 0: start -> end).
    covered: (low, high) stretch of the path (0..1) the stroke went over; coverage = its length.
    zone_coverage: fraction of each zone covered, zone name -> 0..1.
    mean_offset / max_offset: mean and max |cross-track distance|; signed_offset: mean signed.
    moving_s: duration minus time spent lingering; peak_speed: top of the speed over 0.2 s;
    speed_cv: speed std / mean (evenness).
    sparc: spectral arc length of the speed profile (0 best, more negative: less smooth).
    circles: net turns of the direction of motion (for circling techniques).
    entered: names of forbidden regions the thumb entered.
    """

    start_t: float
    end_t: float
    progress: float
    covered: tuple[float, float]
    zone_coverage: dict[str, float]
    mean_offset: float
    signed_offset: float
    max_offset: float
    duration_s: float
    moving_s: float
    mean_speed: float
    peak_speed: float
    speed_cv: float
    sparc: float
    circles: float
    lingers: tuple[Linger, ...]
    entered: tuple[str, ...]

    @property
    def coverage(self) -> float:
        return self.covered[1] - self.covered[0]


ANALYSIS_HZ = 50.0  # above twice SPARC's 10 Hz cut-off, whatever the camera's rate
GAP_S = 1.0  # frames further apart than this leave a gap, not a stretch to interpolate
MAX_NFFT = 2**20  # SPARC's spectrum points: 16 MB at most


def sparc(speed: np.ndarray, fs: float, pad_level: int = 4, fc: float = 10.0, amp_th: float = 0.05):
    """Spectral arc length of a speed profile sampled at fs Hz.

    Balasubramanian, Melendez-Calderon, Roby-Brami and Burdet, "On the analysis of movement
    smoothness", J. NeuroEngineering and Rehabilitation 12:112 (2015), their reference code:
    arc length of the normalized magnitude spectrum up to an adaptive cut-off (the last
    frequency below fc whose magnitude is still above amp_th). Chosen over jerk-based measures
    because it is far less sensitive to tracking noise than log dimensionless jerk (same paper);
    a minimum-jerk pass gives about -1.4 at 30 fps, two merged sub-movements about -2.3.
    """
    speed = np.asarray(speed, dtype=np.float64)
    if len(speed) < 3 or not np.any(speed > 0):
        return 0.0
    # Less padding for profiles over 2**16 samples (21 minutes at 50 Hz), so no stroke,
    # however long, asks for more than MAX_NFFT points.
    nfft = int(min(2 ** (np.ceil(np.log2(len(speed))) + pad_level), max(MAX_NFFT, len(speed))))
    freq = np.arange(nfft) * fs / nfft
    mag = np.abs(np.fft.fft(speed, nfft))
    mag = mag / mag.max()
    sel = freq <= fc
    freq, mag = freq[sel], mag[sel]
    above = np.nonzero(mag >= amp_th)[0]
    freq, mag = freq[above[0] : above[-1] + 1], mag[above[0] : above[-1] + 1]
    if len(freq) < 2:
        return 0.0
    df = np.diff(freq) / (freq[-1] - freq[0])
    return float(-np.sum(np.sqrt(df**2 + np.diff(mag) ** 2)))


def resample_speed(t: np.ndarray, xy: np.ndarray) -> tuple[np.ndarray, float]:
    """Speed (path lengths/s) on a uniform ANALYSIS_HZ time grid, and that rate.

    Positions are first averaged over 1/25 of the movement's duration: tracking jitter would
    otherwise dominate the spectrum SPARC measures (worst in slow strokes), and a window in
    proportion to the duration keeps the measure independent of tempo, as SPARC itself is.
    The window never spans fewer than two frame steps, so frames dropped under load (the
    live form) leave no kinks of straight-line interpolation for SPARC to count as jerk.
    Gaps are gaps: the grid covers only time the frames cover. Where two frames lie more
    than GAP_S apart, the stretches either side are resampled on their own and joined, so a
    stroke across a jump in the timestamps never asks for samples of time that was not filmed.
    """
    dt = 1.0 / ANALYSIS_HZ
    cuts = np.flatnonzero(np.diff(t) > GAP_S) + 1
    spans = [(a, b) for a, b in zip([0, *cuts], [*cuts, len(t)], strict=True) if b - a > 1]
    filmed = sum(float(t[b - 1] - t[a]) for a, b in spans)
    frame_dt = filmed / max(1, sum(b - a - 1 for a, b in spans))
    n = max(1, round(max(filmed / 25, 2 * frame_dt) / dt))
    pieces = [_uniform_speed(t[a:b], xy[a:b], n) for a, b in spans]
    return (np.concatenate(pieces) if pieces else np.zeros(0)), ANALYSIS_HZ


def _uniform_speed(t: np.ndarray, xy: np.ndarray, n: int) -> np.ndarray:
    """Speed of one gapless stretch on the ANALYSIS_HZ grid, positions averaged over n samples."""
    dt = 1.0 / ANALYSIS_HZ
    grid = np.arange(t[0], t[-1] + dt / 2, dt)
    gx = _smooth(np.interp(grid, t, xy[:, 0]), n)
    gy = _smooth(np.interp(grid, t, xy[:, 1]), n)
    if len(grid) < 2:
        return np.zeros(len(grid))
    return np.hypot(np.gradient(gx, dt), np.gradient(gy, dt))


def _smooth(v: np.ndarray, n: int) -> np.ndarray:
    if n <= 1 or len(v) < n:
        return v
    return np.convolve(np.pad(v, (n // 2, n - 1 - n // 2), mode="edge"), np.ones(n) / n, "valid")


def _lingers(t: np.ndarray, s: np.ndarray, speed: np.ndarray, technique: Technique) -> list[Linger]:
    """Runs of at least `linger_s` below `linger_speed`, away from the stroke's two ends."""
    tol = technique.tolerances
    slow = np.concatenate([[False], speed < tol.linger_speed, [False]])
    edges = np.flatnonzero(np.diff(slow.astype(np.int8)))
    out = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if a == 0 or b == len(t):
            continue
        duration = float(t[b - 1] - t[a])
        if duration >= tol.linger_s:
            where = float(np.clip(np.mean(s[a:b]), 0, 1))
            out.append(Linger(where, technique.zone_at(where), float(t[a]), duration))
    return out


def _circles(xy: np.ndarray, speed: np.ndarray) -> float:
    """Net turning of the direction of motion, in full turns, where the thumb really moves."""
    v = np.diff(xy, axis=0)
    moving = speed[1:] > 0.25 * np.median(speed)
    heading = np.arctan2(v[moving, 1], v[moving, 0])
    if len(heading) < 3:
        return 0.0
    turn = (np.diff(heading) + np.pi) % (2 * np.pi) - np.pi
    return float(abs(np.sum(turn)) / (2 * np.pi))


def stroke_metrics(
    t: np.ndarray, xy: np.ndarray, s: np.ndarray, d: np.ndarray, technique: Technique
) -> StrokeMetrics:
    """One stroke's measures: t (n,), xy (n, 2) in path lengths, s, d (n,); NaN rows skipped."""
    ok = ~np.isnan(s)
    t, xy, s, d = t[ok], xy[ok], s[ok], d[ok]
    ends = max(1, min(3, len(s) // 10))
    progress = float(np.mean(s[-ends:]) - np.mean(s[:ends]))
    low, high = float(np.clip(s.min(), 0, 1)), float(np.clip(s.max(), 0, 1))
    zones = {
        z.name: max(0.0, min(high, z.end) - max(low, z.start)) / (z.end - z.start)
        for z in technique.zones
    }
    frame_speed = np.hypot(*np.gradient(xy, t, axis=0).T) if len(t) > 1 else np.zeros(len(t))
    dt = float((t[-1] - t[0]) / (len(t) - 1)) if len(t) > 1 else 1.0
    smooth_speed = _smooth(frame_speed, max(1, round(0.2 / dt)))
    lingers = _lingers(t, s, smooth_speed, technique)
    duration = float(t[-1] - t[0])
    travelled = float(arc_length(xy)[-1])
    uniform, fs = resample_speed(t, xy) if len(t) > 2 else (frame_speed, 1.0 / dt)
    entered = tuple(
        r.name
        for r in technique.forbidden
        if np.any((s >= r.s[0]) & (s <= r.s[1]) & (d >= r.d[0]) & (d <= r.d[1]))
    )
    frame_mean = float(np.mean(frame_speed))
    return StrokeMetrics(
        start_t=float(t[0]),
        end_t=float(t[-1]),
        progress=progress,
        covered=(low, high),
        zone_coverage=zones,
        mean_offset=float(np.mean(np.abs(d))),
        signed_offset=float(np.mean(d)),
        max_offset=float(np.max(np.abs(d))),
        duration_s=duration,
        moving_s=max(0.0, duration - sum(x.duration_s for x in lingers)),
        mean_speed=travelled / duration if duration > 0 else 0.0,
        peak_speed=float(np.max(smooth_speed)),
        speed_cv=float(np.std(frame_speed) / frame_mean) if frame_mean > 0 else 0.0,
        sparc=sparc(uniform, fs),
        circles=_circles(xy, frame_speed),
        lingers=tuple(lingers),
        entered=entered,
    )
