"""Peak memory of `trainer review` against the video's length (issue 13).

A long video is made by looping a sample (640x360, 25 frames/s, a rendered hand stroking
the foot's path) for the given minutes; `trainer review` runs on it in a process of its own,
whose peak resident memory (VmHWM) is read as it exits. Bounded means: a fixed part (the
interpreter, MediaPipe, the decoder) plus a part in proportion to the track it keeps.

Run: PYTHONPATH=src python benchmarks/review_memory.py [--minutes 30 [10 ...]]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_videos" / "foot-spine-line_correct.mp4"
TRACK_BYTES_PER_FRAME = 8 + 16 + 21 * 3 * 8 + 8 + 1  # t, thumb, landmarks, confidence, hand

from trainer.capture.video import VideoWriter, read_frames  # noqa: E402

CHILD = """
import atexit, sys
where = sys.argv[1]

def report():
    with open("/proc/self/status") as status, open(where, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")).split()[1])

atexit.register(report)
from trainer.cli import main
sys.argv = ["trainer", *sys.argv[2:]]
sys.exit(main())
"""


def long_video(path: Path, minutes: float) -> int:
    """The sample looped for `minutes`; its frame count."""
    frames = list(read_frames(SAMPLE))
    step = frames[1].t - frames[0].t
    total = round(minutes * 60 / step)
    with VideoWriter(path, 1 / step, frames[0].rgb.shape[1], frames[0].rgb.shape[0]) as out:
        for k in range(total):
            out.write(frames[k % len(frames)].rgb, k * step)
    return total


def review_peak(video: Path) -> tuple[float, float]:
    """Peak resident memory (MB) of `trainer review video` and its wall time (s)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", CHILD, peak.name, "review", str(video),
             "--technique", "foot-spine-line"],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return int(peak.read()) / 1024, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[30.0])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in sorted(args.minutes):
            video = Path(tmp) / f"long_{minutes:g}.mp4"
            frames = long_video(video, minutes)
            peak, seconds = review_peak(video)
            video.unlink()
            rows.append((minutes, frames, peak, seconds))
    print("trainer review of a long video (the sample looped), peak resident memory:")
    for minutes, frames, peak, seconds in rows:
        track = frames * TRACK_BYTES_PER_FRAME / 2**20
        print(
            f"  {minutes:5g} min, {frames:6d} frames: peak {peak:7.1f} MB "
            f"(the track's arrays {track:5.1f} MB), reviewed in {seconds:.0f} s"
        )
    if len(rows) > 1:
        (_, f0, p0, _), (_, f1, p1, _) = rows[0], rows[-1]
        per_frame = (p1 - p0) * 2**20 / (f1 - f0)
        print(
            f"  growth {per_frame:.0f} bytes a frame ({per_frame / TRACK_BYTES_PER_FRAME:.1f}x "
            f"the track's own {TRACK_BYTES_PER_FRAME}); fixed part about "
            f"{p0 - f0 * per_frame / 2**20:.0f} MB"
        )


if __name__ == "__main__":
    main()
