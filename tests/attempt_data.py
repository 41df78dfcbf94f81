"""Real attempts for the app's tests: the sample videos' ground truths judged by the review."""

from __future__ import annotations

import json
from pathlib import Path

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


def judged(name: str) -> tuple[Track, Review]:
    """A sample's true thumb track (no MediaPipe) and the real review of it."""
    path = sample_video(name).with_suffix(".json")
    truth = json.loads(path.read_text())
    track = load_track(path)
    technique = load_technique(truth["technique"])
    return track, review(track, technique, Calibration.from_dict(truth["calibration"]))


def review_file(name: str, folder: Path) -> Path:
    """The sample's judged truth as `trainer review --json` writes it: the review and track."""
    track, r = judged(name)
    path = folder / f"{name}_review.json"
    path.write_text(json.dumps({**r.to_dict(), "track": track.to_dict()}))
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
        "ann_off": save(store, "foot-spine-line_off_line", "Ann", "review"),
        "ann_good": save(store, "foot-spine-line_correct", "Ann", "review", keep_video=True),
        "bo_fast": save(store, "foot-spine-line_too_fast", "Bo", "practice"),
        "bo_neck": save(store, "neck-back-stroke_correct", "Bo", "review"),
    }
