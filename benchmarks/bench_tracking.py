"""Tracking speed: `trainer track` (1 and 2 workers) against a bare HandLandmarker VIDEO loop.

All three run over the same clip in one process, interleaved, best of `repeats` each; the
bare loop gets its frames already decoded, the pipeline decodes as it goes. Peak memory is
that of a separate `trainer track` process.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

from trainer.capture.hand_model import default_model_path
from trainer.capture.landmarker import Landmarker
from trainer.capture.video import read_frames
from trainer.capture.video_track import track_video

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT.parent / "shared" / "footage" / "videos" / "finger_press_desk_cam1.mp4"


def bare_loop(frames: list, model: Path) -> float:
    """Frames per second of MediaPipe alone, default options, VIDEO mode."""
    with Landmarker(model, video=True, num_hands=1) as lm:
        started = time.perf_counter()
        for f in frames:
            lm.detect(f.rgb, round(f.t * 1000))
        return len(frames) / (time.perf_counter() - started)


def pipeline(clip: Path, model: Path, workers: int) -> float:
    started = time.perf_counter()
    track = track_video(clip, model_path=model, workers=workers)
    return len(track) / (time.perf_counter() - started)


def peak_memory_mb(clip: Path) -> float:
    subprocess.run(
        [sys.executable, "-m", "trainer", "track", str(clip), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(clip: Path = CLIP, repeats: int = 3) -> dict[str, float]:
    model = default_model_path()
    mem = peak_memory_mb(clip)  # first, while this process is still small (fork copies it)
    frames = list(read_frames(clip))
    h, w = frames[0].rgb.shape[:2]
    best = {"bare": 0.0, "w1": 0.0, "w2": 0.0}
    for _ in range(repeats):
        best["bare"] = max(best["bare"], bare_loop(frames, model))
        best["w1"] = max(best["w1"], pipeline(clip, model, 1))
        best["w2"] = max(best["w2"], pipeline(clip, model, 2))
    print(f"tracking speed on {clip.name} ({w}x{h}, best of {repeats}):")
    print(f"  bare HandLandmarker VIDEO loop   {best['bare']:6.1f} frames/s  (frames pre-decoded)")
    print(
        f"  trainer track --workers 1        {best['w1']:6.1f} frames/s  "
        f"= {best['w1'] / best['bare']:.2f} x bare (target >= 0.90)"
    )
    print(
        f"  trainer track --workers 2        {best['w2']:6.1f} frames/s  "
        f"= {best['w2'] / best['bare']:.2f} x bare (target >= 1.70)"
    )
    print(f"  peak memory of `trainer track`   {mem:6.0f} MB")
    return {**best, "peak_mb": mem}


if __name__ == "__main__":
    main()
