"""Tracking speed: `trainer track` against bare HandLandmarker VIDEO loops, one and two hands.

One-hand clip: `trainer track` with 1 and 2 workers against a bare `num_hands=1` VIDEO loop.
Two-hand clip (the same footage beside its mirror image, 960x480: a right and a left hand in
every frame): `trainer track` against a bare `num_hands=2` VIDEO loop, which runs the palm
detector on every frame until it holds both hands. All run over their clip in one process,
interleaved, best of `repeats` each; the bare loops get their frames already decoded, the
pipeline decodes as it goes. Beside frames per second (wall clock), the CPU time per frame of
the whole process (every thread), which other jobs on a shared machine disturb far less.
Peak memory is that of a separate `trainer track` process.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from trainer.capture.landmarker import Landmarker
from trainer.capture.video import VideoWriter, probe, read_frames
from trainer.capture.video_tracking import track_video
from trainer.core.base.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT.parent / "shared" / "footage" / "videos" / "finger_press_desk_cam1.mp4"


def bare_loop(frames: list, model: Path, num_hands: int = 1) -> tuple[float, float]:
    """Frames per second and CPU ms per frame of MediaPipe alone, default options, VIDEO mode."""
    with Landmarker(model, video=True, num_hands=num_hands) as lm:
        started, cpu = time.perf_counter(), time.process_time()
        for f in frames:
            lm.detect(f.rgb, round(f.t * 1000))
        cpu_ms = (time.process_time() - cpu) * 1000 / len(frames)
        return len(frames) / (time.perf_counter() - started), cpu_ms


def pipeline(clip: Path, model: Path, workers: int) -> tuple[float, float, int]:
    """Frames per second and CPU ms per frame of `trainer track`; how many hands it followed."""
    started, cpu = time.perf_counter(), time.process_time()
    track = track_video(clip, model_path=model, workers=workers)
    cpu_ms = (time.process_time() - cpu) * 1000 / len(track)
    return len(track) / (time.perf_counter() - started), cpu_ms, track.all_hands.count


def two_hand_clip(clip: Path, out: Path) -> Path:
    """The clip at 480x480 beside its mirror image: two hands, 960x480."""
    with VideoWriter(out, probe(clip).fps, 960, 480) as writer:
        for f in read_frames(clip):
            half = cv2.resize(f.rgb, (480, 480), interpolation=cv2.INTER_AREA)
            writer.write(np.concatenate([half, half[:, ::-1]], axis=1), f.t)
    return out


def peak_memory_mb(clip: Path) -> float:
    subprocess.run(
        [sys.executable, "-m", "trainer", "track", str(clip), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _best(best: dict[str, float], key: str, fps: float, cpu_ms: float) -> None:
    best[key] = max(best.get(key, 0.0), fps)
    best[key + "_cpu"] = min(best.get(key + "_cpu", np.inf), cpu_ms)


def _line(label: str, best: dict[str, float], key: str, bare: str, target: float) -> str:
    fps, cpu = best[key], best[key + "_cpu"]
    ratio, cpu_ratio = fps / best[bare], best[bare + "_cpu"] / cpu
    return (
        f"  {label:<32} {fps:6.1f} frames/s = {ratio:.2f} x bare (target >= {target:.2f});"
        f" {cpu:5.1f} ms CPU a frame = {cpu_ratio:.2f} x"
    )


def _one_hand(clip: Path, model: Path, repeats: int) -> dict[str, float]:
    frames = list(read_frames(clip))
    h, w = frames[0].rgb.shape[:2]
    best: dict[str, float] = {}
    for _ in range(repeats):
        _best(best, "bare", *bare_loop(frames, model))
        _best(best, "w1", *pipeline(clip, model, 1)[:2])
        _best(best, "w2", *pipeline(clip, model, 2)[:2])
    print(f"tracking speed, one hand, {clip.name} ({w}x{h}, best of {repeats}):")
    print(
        f"  {'bare VIDEO loop, num_hands=1':<32} {best['bare']:6.1f} frames/s (pre-decoded);"
        f" {best['bare_cpu']:5.1f} ms CPU a frame"
    )
    print(_line("trainer track --workers 1", best, "w1", "bare", 0.90))
    print(_line("trainer track --workers 2", best, "w2", "bare", 1.70))
    return best


def _two_hands(clip: Path, model: Path, repeats: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        both = two_hand_clip(clip, Path(tmp) / "two_hands.mp4")
        frames = list(read_frames(both))
        best: dict[str, float] = {}
        for _ in range(repeats):
            _best(best, "bare2", *bare_loop(frames, model, num_hands=2))
            fps, cpu_ms, best["hands"] = pipeline(both, model, 1)
            _best(best, "two", fps, cpu_ms)
    print(f"tracking speed, two hands, {clip.name} beside its mirror image (960x480):")
    print(
        f"  {'bare VIDEO loop, num_hands=2':<32} {best['bare2']:6.1f} frames/s (pre-decoded);"
        f" {best['bare2_cpu']:5.1f} ms CPU a frame"
    )
    print(_line(f"trainer track ({best['hands']:.0f} hands followed)", best, "two", "bare2", 0.90))
    return best


def main(clip: Path = CLIP, repeats: int = 3) -> dict[str, float]:
    model = Settings.from_env().model_path
    mem = peak_memory_mb(clip)  # first, while this process is still small (fork copies it)
    one = _one_hand(clip, model, repeats)
    two = _two_hands(clip, model, repeats)
    print(f"  peak memory of `trainer track`   {mem:6.0f} MB")
    return {**one, **two, "peak_mb": mem}


if __name__ == "__main__":
    main()
