"""Pixels (issue 13): frames over the size limit are refused before they are decoded, and the
frames read ahead of a slow tracker wait downscaled, never at full size."""

from __future__ import annotations

import os
import subprocess
import sys

from hostile import run_trainer, still_video

from conftest import ROOT


def test_frames_over_the_pixel_limit_are_refused_in_bounded_memory(tmp_path):
    video = still_video(tmp_path / "big.avi", 3000, 2000, 3)
    run = run_trainer("track", video, env={"TRAINER_MAX_FRAME_PIXELS": "4000000"})
    assert run.code == 2 and run.clean(), run
    assert "3000x2000" in run.err and "TRAINER_MAX_FRAME_PIXELS" in run.err


SLOW_TRACKER = """
import sys, time
from pathlib import Path
import numpy as np
from trainer.capture import tracker, video_tracking

def slow_update(self, rgb, t, *size):
    time.sleep(0.2)
    thumbs, hands, scores = np.full((2, 2), np.nan), np.full((2, 21, 3), np.nan), np.full(2, np.nan)
    return tracker.FrameResult(thumbs, hands, scores, np.full(2, -1, np.int8), -1)

video, model = Path(sys.argv[1]), Path(sys.argv[2])
tracker.FrameTracker(model_path=model).close()  # the libraries and the model, loaded once
tracker.FrameTracker.update = slow_update

def status(field):  # this process's own memory, in kB (ru_maxrss would count the parent's)
    with open("/proc/self/status") as f:
        return int(f.read().split(field + ":")[1].split()[0])

before = status("VmRSS")
video_tracking.track_video(video, model_path=model)
print(status("VmHWM") - before)
"""


def test_frames_read_ahead_wait_downscaled(tmp_path, model_path):
    """A tracker slower than the decoder: the old read-ahead queued 8 full frames (8 x 72 MB
    here); now each is shrunk for the model before it waits. Measured in a process of its
    own: its peak memory over what it held before tracking."""
    video = still_video(tmp_path / "big.avi", 6000, 4000, 12)
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-c", SLOW_TRACKER, str(video), str(model_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    grown = int(run.stdout) * 1024
    frame = 6000 * 4000 * 3
    # A frame being decoded, its RGB copy and the decoder's own buffers: under 5 frames.
    assert grown < 5 * frame, (
        f"{grown / 1e6:.0f} MB more while tracking ({frame / 1e6:.0f} MB a frame)"
    )
