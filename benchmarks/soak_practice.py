"""Soak: a long live Practice run, memory at its start and its end (issue 13).

Frames of a sample video (a rendered hand stroking the foot's path), looped, go one by one
through `LivePractice.process`, the code the webcam callback runs, stamped 1/30 s apart: a
60-minute stream at 30 frames/s, fed as fast as the machine tracks it (sped up, since nothing
in the session waits for the clock). The page's reads are done too: a snapshot six times a
second of stream time. Memory is the process's resident set (VmRSS) once the first minute
has run (model and buffers warm) and at the end, before the session's track is taken.

Run: PYTHONPATH=src python benchmarks/soak_practice.py [--minutes 60]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_videos" / "foot-spine-line_correct.mp4"
FPS = 30.0

from trainer.capture.video import read_frames  # noqa: E402
from trainer.core.technique import load_technique  # noqa: E402
from trainer.practice.live import LivePractice  # noqa: E402
from trainer.practice.pool import TrackerPool  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) / 1024


def _looped():
    """The sample's frames over and over, decoded as they are needed (as a camera gives them)."""
    while True:
        for frame in read_frames(SAMPLE):
            yield frame.rgb


def soak(minutes: float = 60.0, report_every_min: float = 5.0) -> dict[str, float]:
    frames = _looped()
    pool = TrackerPool()
    session = LivePractice(load_technique("foot-spine-line"), None, pool)
    total = round(minutes * 60 * FPS)
    warm = round(60 * FPS)
    start_mb = 0.0
    started = time.perf_counter()
    for i in range(total):
        session.process(next(frames), i / FPS)
        if i % 5 == 0:
            session.snapshot()
        if i + 1 == warm:
            start_mb = rss_mb()
        if (i + 1) % round(report_every_min * 60 * FPS) == 0:
            print(f"  {(i + 1) / FPS / 60:5.1f} min of stream: {rss_mb():6.1f} MB", flush=True)
    end_mb = rss_mb()
    review = session.finish()
    track = session.track()
    pool.close()
    seconds = time.perf_counter() - started
    kept = sum(getattr(track, k).nbytes for k in ("t", "thumb_px", "landmarks"))
    result = {
        "minutes": minutes,
        "frames": total,
        "start_mb": start_mb,
        "end_mb": end_mb,
        "growth_pct": 100 * (end_mb - start_mb) / start_mb,
        "track_mb": kept / 2**20,
        "strokes": len(review.strokes),
        "speedup": total / FPS / seconds,
    }
    print(
        f"practice soak, {minutes:g} min at {FPS:g} frames/s ({total} frames, "
        f"{result['speedup']:.1f}x real time): RSS {start_mb:.1f} MB after the first minute, "
        f"{end_mb:.1f} MB at the end ({result['growth_pct']:+.1f}%); "
        f"{len(review.strokes)} strokes; the track taken at the end holds "
        f"{result['track_mb']:.1f} MB of arrays"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="stream length")
    args = parser.parse_args()
    result = soak(args.minutes)
    sys.exit(0 if result["growth_pct"] <= 5.0 else 1)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
