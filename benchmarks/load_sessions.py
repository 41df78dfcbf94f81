"""Load: five app sessions at once, one practising live and four uploading (issue 13).

The app serves every browser session from one server process, each in its own thread; so
does this script. The live session gets a camera's frames at 30 frames/s in real time on a
thread of its own and, like streamlit-webrtc's worker, processes only the newest frame
waiting (the others dropped) through `LivePractice.process`. Each upload session runs the
Review page's work, `analyse_video` on a sample video, over and over. The live session's
processed frame rate and its p95 latency (a frame's arrival to its drawn result) are measured
alone, then with the four uploads running.

Run: PYTHONPATH=src python benchmarks/load_sessions.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
CAMERA = SAMPLES / "foot-spine-line_correct.mp4"
FPS = 30.0

from trainer.analysis.video import analyse_video  # noqa: E402
from trainer.capture.video import read_frames  # noqa: E402
from trainer.core.technique import load_technique  # noqa: E402
from trainer.practice.live import LivePractice  # noqa: E402
from trainer.practice.pool import TrackerPool  # noqa: E402


class Camera:
    """Frames arriving at 30 frames/s; the worker takes the newest, dropping the rest."""

    def __init__(self, frames: list[np.ndarray]) -> None:
        self.frames = frames
        self.latest: tuple[int, float, np.ndarray] | None = None
        self.sent = 0
        self.lock = threading.Condition()
        self.stop = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self.stop.is_set():
            due = start + self.sent / FPS
            time.sleep(max(0.0, due - time.perf_counter()))
            with self.lock:
                frame = self.frames[self.sent % len(self.frames)]
                self.latest = (self.sent, time.perf_counter(), frame)
                self.sent += 1
                self.lock.notify()

    def take(self) -> tuple[int, float, np.ndarray] | None:
        with self.lock:
            self.lock.wait_for(lambda: self.latest is not None or self.stop.is_set(), 1.0)
            got, self.latest = self.latest, None
            return got


def live(seconds: float, frames: list[np.ndarray]) -> dict[str, float]:
    """One live session for `seconds`: processed frames/s, latency p50/p95 (ms), dropped."""
    camera = Camera(frames)
    pool = TrackerPool()
    session = LivePractice(load_technique("foot-spine-line"), None, pool)
    feeder = threading.Thread(target=camera.run, daemon=True)
    feeder.start()
    latencies, last, dropped = [], -1, 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        got = camera.take()
        if got is None:
            continue
        index, arrived, rgb = got
        session.process(rgb.copy(), index / FPS, dropped=index - last - 1)
        dropped += index - last - 1
        last = index
        latencies.append(time.perf_counter() - arrived)
    camera.stop.set()
    feeder.join()
    session.finish()
    pool.close()
    ms = np.array(latencies[30:]) * 1000  # after the model's warm-up
    return {
        "fps": len(latencies) / seconds,
        "p50_ms": float(np.median(ms)),
        "p95_ms": float(np.percentile(ms, 95)),
        "dropped_pct": 100 * dropped / max(1, camera.sent),
    }


def uploads(n: int, stop: threading.Event, done: list[int]) -> list[threading.Thread]:
    """n upload sessions, each reviewing sample videos one after another until stopped."""
    videos = sorted(SAMPLES.glob("*.mp4"))
    technique = {v: load_technique(v.stem.split("_", 1)[0]) for v in videos}

    def work(k: int) -> None:
        for video in videos[k:] + videos * 1000:
            if stop.is_set():
                return
            analyse_video(video, technique[video])
            done[k] += 1

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(n)]
    for thread in threads:
        thread.start()
    return threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="each measurement's length")
    args = parser.parse_args()
    frames = [f.rgb for f in read_frames(CAMERA)]
    h, w = frames[0].shape[:2]
    alone = live(args.seconds, frames)
    stop, done = threading.Event(), [0] * 4
    threads = uploads(4, stop, done)
    time.sleep(5.0)  # the uploads under way
    loaded = live(args.seconds, frames)
    stop.set()
    for thread in threads:
        thread.join()
    print(
        f"five sessions on {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f}), "
        f"live {w}x{h} at {FPS:g} frames/s, {args.seconds:g} s each:"
    )
    for name, r in (("live alone", alone), ("live + 4 uploads", loaded)):
        print(
            f"  {name:<17} {r['fps']:5.1f} frames/s processed, latency p50 {r['p50_ms']:6.1f} ms"
            f" p95 {r['p95_ms']:6.1f} ms, {r['dropped_pct']:4.1f}% of frames dropped"
        )
    print(f"  uploads reviewed meanwhile: {sum(done)} videos")


if __name__ == "__main__":
    main()
