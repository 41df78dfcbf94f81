"""Real attempts for the tests: the sample videos' ground truths judged by the review, and
the videos tracked by MediaPipe (once per test run)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

from conftest import ROOT, require
from trainer.analysis.material import Material, save_material
from trainer.core.judging.streaming import judge_track
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.documents.files import load_track
from trainer.store.store import Store

SAMPLES = ROOT / "sample_videos"
GUIDE = [[0.22, 0.60], [0.50, 0.53], [0.78, 0.58]]
CALIBRATION = {"technique": "foot-spine-line", "points": GUIDE}


def along_guide(s: np.ndarray, d: np.ndarray, width: int, height: int) -> np.ndarray:
    """Pixel points at progress s and offset d (path lengths, > 0 right of travel)."""
    pts = np.array(GUIDE) * [width, height]
    seg = np.diff(pts, axis=0)
    lengths = np.hypot(*seg.T)
    cum = np.concatenate([[0], np.cumsum(lengths)])
    at = np.clip(s, 0, 1) * cum[-1]
    k = np.clip(np.searchsorted(cum, at, side="right") - 1, 0, len(seg) - 1)
    unit = seg[k] / lengths[k, None]
    base = pts[k] + unit * (at - cum[k])[:, None]
    normal = np.column_stack([-unit[:, 1], unit[:, 0]])  # right of travel on screen (y down)
    return base + normal * (d * cum[-1])[:, None]


def session(passes=5, duration=3.0, offset=0.0, width=1280, height=720, fps=30.0, seed=0):
    """A track of passes heel -> toe with the hand lifted 0.5 s between; its real review."""
    rng = np.random.default_rng(seed)
    points: list[list[float] | None] = []
    for _ in range(passes):
        t = np.arange(0, duration, 1 / fps)
        s = 0.5 - 0.5 * np.cos(np.pi * t / duration)
        d = offset + 0.01 * np.sin(2 * np.pi * s) + rng.normal(0, 0.003, len(t))
        points += along_guide(s, d, width, height).tolist()
        points += [None] * int(0.5 * fps)
    track = Track.from_points(np.arange(len(points)) / fps, points, width, height, fps)
    technique = load_technique("foot-spine-line")
    return track, judge_track(track, technique, Calibration.from_dict(CALIBRATION))


def sample_video(name: str) -> Path:
    return require(SAMPLES / f"{name}.mp4", "sample videos (make samples)")


def truth_file(name: str) -> Path:
    """A sample's ground truth JSON (sample_videos/<technique>_<case>.json)."""
    return require(SAMPLES / f"{name}.json", "sample videos' ground truth (make samples)")


def truth(name: str) -> dict[str, Any]:
    return json.loads(truth_file(name).read_text(encoding="utf-8"))


@functools.cache
def tracked(name: str, model_path: Path) -> Track:
    """A sample video through MediaPipe: costly, so each is tracked once per test run."""
    from trainer.capture.video_tracking import track_video  # MediaPipe loads only where it is used

    return track_video(sample_video(name), model_path=model_path, workers=2)


def judged(name: str) -> tuple[Track, Review]:
    """A sample's true thumb track (no MediaPipe) and the real review of it."""
    known = truth(name)
    track = load_track(truth_file(name))
    technique = load_technique(known["technique"])
    return track, judge_track(track, technique, Calibration.from_dict(known["calibration"]))


def review_file(name: str, folder: Path) -> Path:
    """`<name>.json` in folder: the real review of a sample's truth with its track, as
    `trainer review --json` writes it."""
    track, result = judged(name)
    path = folder / f"{name}.json"
    path.write_text(json.dumps({**result.to_dict(), "track": track.to_dict()}), encoding="utf-8")
    return path


def save(store: Store, name: str, person: str, kind: str, keep_video: bool = False) -> int:
    track, r = judged(name)
    return save_material(
        store,
        Material.from_review(name, track, r),
        person,
        kind,
        sample_video(name) if keep_video else None,
        keep_video,
    )


def fill(store: Store) -> dict[str, int]:
    """An instructor's kept demonstration (the reference), and students' attempts."""
    store.add_person("Dee", "instructor")
    return {
        "demo": save(store, "foot-spine-line_correct", "Dee", "reference", keep_video=True),
        "ann_off": save(store, "foot-spine-line_off_line", "Ann", "video"),
        "ann_good": save(store, "foot-spine-line_correct", "Ann", "video", keep_video=True),
        "bo_fast": save(store, "foot-spine-line_too_fast", "Bo", "practice"),
        "bo_neck": save(store, "neck-back-stroke_correct", "Bo", "video"),
    }
