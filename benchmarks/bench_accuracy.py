"""Tracking accuracy on the sample set: the thumb tip the trainer uses vs the known one.

`main()` is what `make bench` calls; `python benchmarks/bench_accuracy.py [DIR]` runs it alone.
For each sample: the share of frames with the thumb tip in view where a hand was found, and the
median and 95th percentile distance to the true tip in % of the frame diagonal, for the
offline tip (what a review scores: the RTS smoother, no lag), the live tip (Practice's causal
One-Euro filter, replayed on the same landmarks) and MediaPipe's raw landmark 4.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from trainer.capture.filters import smooth_track_points
from trainer.capture.tracker import make_thumb_filter
from trainer.capture.video_tracking import track_video
from trainer.core.track import THUMB_TIP, Track
from trainer.synth.accuracy import Accuracy, compare, pooled
from trainer.synth.truth import GroundTruth

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
KINDS = ("offline", "live", "raw")


def live_tip(track: Track) -> Track:
    """The track with the tip Practice would have shown: the live filter on the raw landmark."""
    diag = float(np.hypot(*track.size))
    raw = track.landmarks[:, THUMB_TIP, :2] * track.size / diag
    return replace(track, thumb_px=smooth_track_points(track.t, raw, make_thumb_filter) * diag)


def _row(name: str, found: float, scores: dict[str, Accuracy], extra: str = "") -> str:
    cells = " | ".join(f"{a.median_share:>7.2%} {a.p95_share:>7.2%}" for a in scores.values())
    return f"{name:<34} {found:>6.1%} {cells}  {extra}"


def main(samples: Path = SAMPLES, model_path: Path | None = None) -> dict[str, Accuracy]:
    """Track every sample video in `samples`, print the table, return the offline scores."""
    videos = sorted(samples.glob("*.mp4"))
    if not videos:
        raise SystemExit(f"no sample videos in {samples}: run `trainer samples make` first")
    head = " | ".join(f"{k + ' med':>7} {'p95':>7}" for k in KINDS)
    print(f"{'sample':<34} {'found':>6} {head}  (% of the frame diagonal)")
    scores: dict[str, dict[str, Accuracy]] = {k: {} for k in KINDS}
    frames, seconds = 0, 0.0
    for video in videos:
        truth = GroundTruth.load(video.with_suffix(".json"))
        started = time.perf_counter()
        track = track_video(video, model_path=model_path)
        seconds += time.perf_counter() - started
        frames += len(track)
        scores["offline"][video.stem] = compare(track, truth)
        scores["live"][video.stem] = compare(live_tip(track), truth)
        scores["raw"][video.stem] = compare(track, truth, raw=True)
        row = {k: scores[k][video.stem] for k in KINDS}
        print(_row(video.stem, row["offline"].detected_fraction, row), flush=True)
    everything = {k: pooled(list(scores[k].values())) for k in KINDS}
    found = everything["offline"].detected_fraction
    print(_row("all samples", found, everything, f"tracked at {frames / seconds:.0f} fps"))
    return scores["offline"]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="?", type=Path, default=SAMPLES)
    parser.add_argument("--model", type=Path, help="hand model (default: models/)")
    args = parser.parse_args()
    main(args.samples, args.model)
