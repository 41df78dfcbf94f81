"""The path live and offline: LivePractice's follower against `trainer review`'s, on the
moving samples and on composites whose stroking hand is a real one cut out with a margin of
its own background (tests/clips.py; they need ../shared/footage).

Per video, the path's error in pixels (the largest of its vertices' distances), median, p95
and max over the frames: offline (follow_video on the tracked video) against the ground
truth, live (every frame fed to LivePractice, then every other one, as when the page falls
behind) against the truth and against offline.
Run: PYTHONPATH=src python benchmarks/bench_follow_live.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from trainer.analysis.video import hands_px
from trainer.capture.body import follow_video
from trainer.capture.video import read_frames
from trainer.capture.video_tracking import track_video
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import apply
from trainer.core.technique import load_technique
from trainer.practice.live import LivePractice
from trainer.practice.pool import TrackerPool
from trainer.synth.truth import GroundTruth

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
FOOTAGE = ROOT.parent / "shared" / "footage"
MOVING = ("foot-spine-line_moving", "neck-back-stroke_moving")


def _errors(matrices, truth, path: np.ndarray) -> np.ndarray:
    pairs = zip(matrices, truth, strict=True)
    return np.array([np.abs(apply(m, path) - apply(t, path)).max() for m, t in pairs])


def _figures(e: np.ndarray) -> str:
    return f"median {np.median(e):5.1f}  p95 {np.percentile(e, 95):5.1f}  max {e.max():5.1f}"


def _live(video: Path, technique, calibration, pool, step: int) -> tuple[list, list[int]]:
    session = LivePractice(technique, calibration, pool, follow=True)
    kept = []
    for frame in read_frames(video):
        if frame.index % step == 0:
            session.process(frame.rgb, frame.t, dropped=step - 1)
            kept.append(frame.index)
    return list(session.finish().path_motion.matrices), kept


def bench(name: str, video: Path, calibration: Calibration, truth: list, pool) -> None:
    technique = load_technique(calibration.technique)
    track = track_video(video)
    path = calibration.points * track.size
    offline = follow_video(video, path, hands_px(track)).matrices
    print(f"{name}: offline vs truth {_figures(_errors(offline, truth, path))}")
    for step in (1, 2):
        live, kept = _live(video, technique, calibration, pool, step)
        to_truth = _errors(live, [truth[i] for i in kept], path)
        to_offline = _errors(live, [offline[i] for i in kept], path)
        print(
            f"  live, every {'frame' if step == 1 else 'other frame'}: vs truth "
            f"{_figures(to_truth)} | vs offline {_figures(to_offline)}"
        )


def composites(folder: Path):
    """(name, video, calibration, truth transforms) of each composite."""
    sys.path.insert(0, str(ROOT / "tests"))
    from clips import make_cutout_moving, paste_hand_over

    for technique in ("foot-spine-line", "neck-back-stroke"):
        video, known = make_cutout_moving(FOOTAGE, technique, folder / f"{technique}_cut.mp4")
        truth = [np.array(m) for m in known["motion"]]
        yield f"{technique} cut out", video, Calibration.from_dict(known["calibration"]), truth
        sample = SAMPLES / f"{technique}_moving.mp4"
        over = paste_hand_over(FOOTAGE, sample, folder / f"{technique}_over.mp4")
        known = GroundTruth.load(sample.with_suffix(".json"))
        calibration = Calibration.from_dict(known.calibration)
        yield f"{technique}_moving, hand pasted over", over, calibration, list(known.transforms)


def main() -> None:
    pool = TrackerPool()
    for name in MOVING:
        known = GroundTruth.load(SAMPLES / f"{name}.json")
        calibration = Calibration.from_dict(known.calibration)
        bench(name, SAMPLES / f"{name}.mp4", calibration, list(known.transforms), pool)
    if not FOOTAGE.exists():
        print(f"composites skipped: no footage at {FOOTAGE}")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            for name, video, calibration, truth in composites(Path(tmp)):
                bench(name, video, calibration, truth, pool)
    pool.close()


if __name__ == "__main__":
    main()
