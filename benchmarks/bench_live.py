"""Per-frame time of the live scorer on a synthetic 5-minute foot-spine-line session.

Run: PYTHONPATH=src python benchmarks/bench_live.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import session
from trainer.live import LiveScorer
from trainer.techniques import load_technique


def bench_live(technique: str = "foot-spine-line", passes: int = 58) -> dict[str, float]:
    """Feed a noisy session frame by frame; print and return median and p95 ms per frame."""
    tech = load_technique(technique)
    track = session([list(p) for p in tech.guide], passes=passes, noise_px=1.0, seed=1)
    live = LiveScorer(tech, None, track.width, track.height)
    times = np.empty(len(track))
    for i, (t, p) in enumerate(zip(track.t, track.thumb_px, strict=True)):
        start = time.perf_counter()
        live.update(float(t), p)
        times[i] = time.perf_counter() - start
    ms = times * 1000
    result = {
        "frames": float(len(track)),
        "median_ms": float(np.median(ms)),
        "p95_ms": float(np.percentile(ms, 95)),
        "max_ms": float(ms.max()),
    }
    print(
        f"live scorer, {technique}: {len(track)} frames ({track.duration_s / 60:.1f} min), "
        f"median {result['median_ms']:.3f} ms, p95 {result['p95_ms']:.3f} ms, "
        f"max {result['max_ms']:.2f} ms per frame; {live.review().score:.0f} points"
    )
    return result


if __name__ == "__main__":
    bench_live()
