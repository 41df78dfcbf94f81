"""Time to compare two 5-minute attempts (30 fps, ~75 passes each); target under 100 ms.

Also the store's side: time to save one such attempt and its size in an SQLite file.
Run: PYTHONPATH=src python benchmarks/bench_compare.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from trainer.analysis.material import Material, compare_with
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.core.track import N_LANDMARKS, Track
from trainer.store.store import Store

GUIDE = np.array([[0.22, 0.60], [0.50, 0.53], [0.78, 0.58]])
CALIBRATION = Calibration(GUIDE, "foot-spine-line")
FPS, WIDTH, HEIGHT = 30.0, 1280, 720


def five_minutes(seed: int, pass_s: float = 3.0, gap_s: float = 1.0) -> Material:
    """A 5-minute session: passes heel -> toe with the hand lifted between; whole hands.

    Reviewed for real, so its passes are the ones the scoring finds.
    """
    rng = np.random.default_rng(seed)
    n = int(300 * FPS)
    t = np.arange(n) / FPS
    phase = t % (pass_s + gap_s)
    moving = phase < pass_s
    s = 0.5 - 0.5 * np.cos(np.pi * np.clip(phase / pass_s, 0, 1))
    pts = GUIDE * [WIDTH, HEIGHT]
    cum = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])
    xy = np.column_stack([np.interp(s * cum[-1], cum, pts[:, k]) for k in (0, 1)])
    xy += rng.normal(0, 2.0, xy.shape)
    xy[~moving] = np.nan
    hand = rng.normal(0, 0.05, (N_LANDMARKS, 3))  # a hand shape carried along with the thumb
    landmarks = (xy / [WIDTH, HEIGHT])[:, None, :2].repeat(N_LANDMARKS, 1)
    landmarks = np.concatenate([landmarks, np.zeros((n, N_LANDMARKS, 1))], axis=2) + hand
    landmarks += rng.normal(0, 0.002, landmarks.shape)
    base = Track.from_points(t, xy, WIDTH, HEIGHT, FPS)
    track = Track(
        t=t,
        thumb_px=xy,
        landmarks=landmarks,
        confidence=base.confidence,
        handedness=base.handedness,
        width=WIDTH,
        height=HEIGHT,
        fps=FPS,
    )
    judged = judge_track(track, load_technique("foot-spine-line"), CALIBRATION)
    return Material.from_review(f"session {seed}", track, judged)


def bench_compare(repeats: int = 20) -> float:
    """Print and return the median seconds to compare two 5-minute attempts."""
    a, b = five_minutes(1), five_minutes(2)
    compare_with(a, b)  # warm-up: imports and the C library
    times, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        c = compare_with(a, b)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    median = float(np.median(times))
    # CPU time too: on a shared machine the wall clock also counts other programs' turns.
    print(
        f"compare two 5-minute attempts ({len(a.spans())} and {len(b.spans())} passes, "
        f"{len(a.track)} frames each; {c.n_strokes} aligned): median {median * 1000:.1f} ms, "
        f"best {min(times) * 1000:.1f} ms, CPU {np.median(cpu) * 1000:.1f} ms "
        f"over {repeats} runs (target < 100 ms)"
    )
    return median


def bench_store(repeats: int = 5) -> tuple[float, float]:
    """Print and return seconds to save one 5-minute attempt and its bytes in an SQLite file."""
    m = five_minutes(3)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(f"sqlite:///{db}") as store:
            times, cpu = [], []
            for _ in range(repeats):
                started, started_cpu = time.perf_counter(), time.process_time()
                store.save_attempt(
                    person="Ann",
                    technique=m.technique,
                    kind="practice",
                    track=m.track,
                    calibration=m.calibration,
                    review=m.review,
                    score=m.review.score,
                )
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            started, started_cpu = time.perf_counter(), time.process_time()
            store.load_attempt(1)
            load_s, load_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / repeats
    median = float(np.median(times))
    print(
        f"save one 5-minute attempt (track with all 21 landmarks): median {median * 1000:.0f} ms "
        f"(CPU {np.median(cpu) * 1000:.0f} ms); load {load_s * 1000:.0f} ms "
        f"(CPU {load_cpu * 1000:.0f} ms); SQLite size {size / 1e6:.2f} MB per attempt"
    )
    return median, size


def main() -> None:
    bench_compare()
    bench_store()


if __name__ == "__main__":
    main()
