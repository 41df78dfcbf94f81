"""Real attempts for the tests: the sample videos' ground truths judged by the review, and
the videos tracked by MediaPipe (once per test run)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from conftest import ROOT, require
from trainer.core.calibration import Calibration
from trainer.core.session import review
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.core.verdict import Review
from trainer.store.attempts import Material, save_material
from trainer.store.database import Store
from trainer.store.files import load_track

SAMPLES = ROOT / "sample_videos"


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
    from trainer.capture.tracker import track_video  # MediaPipe loads only where it is used

    return track_video(sample_video(name), model_path=model_path, workers=2)


def judged(name: str) -> tuple[Track, Review]:
    """A sample's true thumb track (no MediaPipe) and the real review of it."""
    known = truth(name)
    track = load_track(truth_file(name))
    technique = load_technique(known["technique"])
    return track, review(track, technique, Calibration.from_dict(known["calibration"]))


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
        Material.from_review(name, track, r.to_dict()),
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
        "ann_off": save(store, "foot-spine-line_off_line", "Ann", "review"),
        "ann_good": save(store, "foot-spine-line_correct", "Ann", "review", keep_video=True),
        "bo_fast": save(store, "foot-spine-line_too_fast", "Bo", "practice"),
        "bo_neck": save(store, "neck-back-stroke_correct", "Bo", "review"),
    }
