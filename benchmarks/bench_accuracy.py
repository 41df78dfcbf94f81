"""Tracking accuracy on the sample set: the thumb tip MediaPipe finds vs the known one.

`main()` is what `make bench` calls; `python benchmarks/bench_accuracy.py [DIR]` runs it alone.
For each sample: the share of frames with the thumb tip in view where a hand was found, and the
median and 95th percentile distance to the true tip, in pixels and in % of the frame diagonal,
for the trainer's smoothed thumb tip (filter lag included) and for MediaPipe's raw landmark.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from trainer.capture.video_track import track_video
from trainer.synth.accuracy import Accuracy, compare, pooled
from trainer.synth.truth import GroundTruth

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"


def _row(name: str, a: Accuracy, raw: Accuracy, extra: str = "") -> str:
    return (
        f"{name:<34} {a.detected_fraction:>6.1%} {a.median_px:>7.1f} {a.median_share:>7.2%}"
        f" {a.p95_px:>7.1f} {a.p95_share:>7.2%} | {raw.median_px:>7.1f} {raw.median_share:>7.2%}"
        f" {raw.p95_px:>7.1f} {raw.p95_share:>7.2%}  {extra}"
    )


def main(samples: Path = SAMPLES, model_path: Path | None = None) -> dict[str, Accuracy]:
    """Track every sample video in `samples`, print the table, return the scores by name."""
    videos = sorted(samples.glob("*.mp4"))
    if not videos:
        raise SystemExit(f"no sample videos in {samples}: run `trainer samples make` first")
    head = f"{'med px':>7} {'med %':>7} {'p95 px':>7} {'p95 %':>7}"
    print(f"{'':<41} {'smoothed thumb (trainer)':^31} | {'raw landmark 4 (MediaPipe)':^31}")
    print(f"{'sample':<34} {'found':>6} {head} | {head}  (% of the frame diagonal)")
    scores: dict[str, Accuracy] = {}
    raws: dict[str, Accuracy] = {}
    frames, seconds = 0, 0.0
    for video in videos:
        truth = GroundTruth.load(video.with_suffix(".json"))
        started = time.perf_counter()
        track = track_video(video, model_path=model_path)
        seconds += time.perf_counter() - started
        frames += len(track)
        scores[video.stem] = compare(track, truth)
        raws[video.stem] = compare(track, truth, raw=True)
        print(_row(video.stem, scores[video.stem], raws[video.stem]), flush=True)
    everything = pooled(list(scores.values())), pooled(list(raws.values()))
    print(_row("all samples", *everything, f"tracked at {frames / seconds:.0f} fps"))
    return scores


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="?", type=Path, default=SAMPLES)
    parser.add_argument("--model", type=Path, help="hand model (default: models/)")
    args = parser.parse_args()
    main(args.samples, args.model)
