"""Cost of following the body part under the path, per frame, at 640x480 (target: <= 3 ms).

The moving samples' frames (640x360), decoded beforehand and padded to 640x480 (60 rows above
and below, continuing the edges), go through `BodyFollower.update` (grey conversion, masks,
optical flow, RANSAC, re-anchoring) one by one, with the tracked hand masked; the path's error
against the ground truth is printed beside. CPU time of the calling thread, with OpenCV kept to
that one thread (the machine is shared: wall time says more about the neighbours).
Run: PYTHONPATH=src python benchmarks/bench_follow.py
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from trainer.analysis.video import hands_px
from trainer.capture.body import BodyFollower
from trainer.capture.video import read_frames
from trainer.capture.video_tracking import track_video
from trainer.core.path.pathmotion import apply
from trainer.synth.truth import GroundTruth

SAMPLES = Path(__file__).resolve().parent.parent / "sample_videos"
SIZE = (640, 480)


def bench_sample(name: str) -> dict[str, float]:
    video = SAMPLES / f"{name}.mp4"
    truth = GroundTruth.load(video.with_suffix(".json"))
    pad = (SIZE[1] - truth.height) // 2
    shift = np.array([0.0, pad])
    hands = hands_px(track_video(video)) + shift
    frames = [
        cv2.copyMakeBorder(f.rgb, pad, pad, 0, 0, cv2.BORDER_REPLICATE) for f in read_frames(video)
    ]
    path = np.array(truth.calibration["points"]) * [truth.width, truth.height] + shift
    follower = BodyFollower(path)
    ms, errors = [], []
    cv2.setNumThreads(1)
    for i, rgb in enumerate(frames):
        start = time.thread_time()
        pose = follower.update(rgb, hands[i])
        ms.append((time.thread_time() - start) * 1000)
        true = truth.transforms[i].copy()
        true[:, 2] += shift - true[:, :2] @ shift  # the same motion, rows moved by the pad
        errors.append(np.abs(apply(pose.matrix, path) - apply(true, path)).max())
    ms = np.array(ms[1:])  # the first frame only finds the points
    result = {
        "median_ms": float(np.median(ms)),
        "p95_ms": float(np.percentile(ms, 95)),
        "mean_ms": float(ms.mean()),
        "error_median_px": float(np.median(errors)),
        "error_p95_px": float(np.percentile(errors, 95)),
    }
    print(
        f"following the body part, {name} at {SIZE[0]}x{SIZE[1]}, CPU: "
        f"median {result['median_ms']:.2f} ms, mean {result['mean_ms']:.2f} ms, "
        f"p95 {result['p95_ms']:.2f} ms per frame (target <= 3 ms); path error median "
        f"{result['error_median_px']:.1f} px, p95 {result['error_p95_px']:.1f} px; "
        f"{follower.lost_frames} of {follower.frames} frames lost"
    )
    return result


def main() -> None:
    for name in ("foot-spine-line_moving", "neck-back-stroke_moving"):
        bench_sample(name)


if __name__ == "__main__":
    main()
