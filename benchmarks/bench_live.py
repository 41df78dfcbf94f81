"""Per-frame time of the live scorer on a synthetic 5-minute foot-spine-line session.

Ordinary frames and the frames on which a stroke ends (and is judged) are reported apart:
the second kind is rarer (one every few seconds) and costlier.
Run: PYTHONPATH=src python benchmarks/bench_live.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import session
from trainer.core.judging.live_scorer import LiveScorer
from trainer.core.technique import load_technique


def bench_live(technique: str = "foot-spine-line", passes: int = 61) -> dict[str, float]:
    """Feed a noisy session frame by frame; print and return median and p95 ms per frame."""
    tech = load_technique(technique)
    track = session([list(p) for p in tech.guide], passes=passes, noise_px=1.0, seed=1)
    live = LiveScorer(tech, None, track.width, track.height)
    times = np.empty(len(track))
    judged = np.zeros(len(track), dtype=bool)
    seen = 0
    for i, (t, p) in enumerate(zip(track.t, track.thumb_px, strict=True)):
        start = time.perf_counter()
        state = live.update(float(t), p)
        times[i] = time.perf_counter() - start
        judged[i], seen = len(state.trail) > seen, len(state.trail)
    ms = times * 1000
    result = {
        "frames": float(len(track)),
        "median_ms": float(np.median(ms)),
        "p95_ms": float(np.percentile(ms, 95)),
        "judging_median_ms": float(np.median(ms[judged])),
        "judging_max_ms": float(ms[judged].max()),
    }
    print(
        f"live scorer, {technique}: {len(track)} frames ({track.duration_s / 60:.1f} min), "
        f"median {result['median_ms']:.3f} ms, p95 {result['p95_ms']:.3f} ms per frame; "
        f"{int(judged.sum())} frames judging a stroke: median "
        f"{result['judging_median_ms']:.2f} ms, max {result['judging_max_ms']:.1f} ms; "
        f"score {live.review().score:.0f}"
    )
    return result


if __name__ == "__main__":
    bench_live()
