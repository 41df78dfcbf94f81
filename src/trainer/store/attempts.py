"""Attempts as material to compare: from the store or a review JSON file, to path profiles.

The glue between the store and the numpy core (reference, compare), so the CLI and the app
pages only wire arguments and widgets to these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from trainer.core.calibration import Calibration
from trainer.core.compare import Comparison, Zone, compare, even_zones
from trainer.core.errors import ComparisonError, TechniqueError, TrainerError
from trainer.core.pathmotion import PathMotion
from trainer.core.reference import PathProfile, Reference
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.store.database import Store
from trainer.store.files import read_json


@dataclass(frozen=True)
class Material:
    """One attempt's track, calibration and review, wherever it came from.

    Attributes:
        label: how to name it to the user ("attempt 12" or the file name).
        technique: the technique's name.
        track: the thumb track.
        calibration: calibration JSON ({"technique", "points": [[x, y], ...]}).
        review: review JSON; its "strokes" list holds the passes (start_index, end_index, good).
        attempt_id: the attempt in the store, None for a file.
    """

    label: str
    technique: str
    track: Track
    calibration: dict[str, Any]
    review: dict[str, Any]
    attempt_id: int | None = None

    @classmethod
    def from_review(cls, label: str, track: Track, review: dict[str, Any]) -> Material:
        """A track and its review JSON (`Review.to_dict()`), which names technique and path."""
        calibration = review.get("calibration")
        technique = review.get("technique")
        if not isinstance(calibration, dict) or not isinstance(technique, str):
            raise ComparisonError("the review names no technique or calibration")
        return cls(label, technique, track, calibration, review)

    def spans(self, good_only: bool = False) -> list[tuple[int, int]]:
        """Frame ranges (start, end excluded) of the passes, or of the good ones only."""
        return [
            (int(s["start_index"]), int(s["end_index"]))
            for s in self.review.get("strokes", [])
            if not good_only or s.get("good", False)
        ]

    def profiles(self, good_only: bool = False) -> list[PathProfile]:
        """The passes resampled in path coordinates."""
        moved = self.review.get("path_motion")
        motion = PathMotion.from_dict(moved) if moved else None
        s, d = path_coordinates(self.track, self.calibration, motion)
        t = self.track.t
        found = (PathProfile.from_samples(t[a:b], s[a:b], d[a:b]) for a, b in self.spans(good_only))
        return [p for p in found if p is not None]


def path_coordinates(
    track: Track, calibration: dict[str, Any], motion: PathMotion | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(N,) progress s and (N,) offset d of the thumb, in path lengths (d > 0 right of travel);
    with `motion` (the path followed the body part) measured on the body part."""
    path = Calibration.from_dict(calibration).in_pixels(track.width, track.height)
    thumb = track.thumb_px if motion is None else motion.to_first(track.thumb_px)
    return path.project(thumb)


def technique_zones(technique: str) -> list[Zone]:
    """The technique file's zones; four even ones for a technique without a file."""
    try:
        found = load_technique(technique)
    except TechniqueError:
        return even_zones()
    return [(z.name, z.start, z.end) for z in found.zones]


def load_material(source: str, store: Store | None = None) -> Material:
    """An attempt id in the store, or a review JSON file holding track and calibration."""
    if source.isdigit():
        if store is None:
            raise TrainerError(f"{source} looks like an attempt id, but no store is open")
        a = store.load_attempt(int(source))
        return Material(
            f"attempt {a.id}", a.technique, a.track, a.calibration, a.review or {}, a.id
        )
    return material_from_file(Path(source))


def material_from_file(path: Path) -> Material:
    """Read the JSON of `trainer review --json`: the review with its track."""
    data = read_json(path, "the review")
    if not isinstance(data, dict) or not isinstance(data.get("track"), dict):
        raise ComparisonError(f"{path}: no track in it (expected `trainer review --json` output)")
    try:
        track = Track.from_dict(data["track"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ComparisonError(f"{path}: unreadable track ({exc})") from exc
    review = {k: v for k, v in data.items() if k != "track"}
    try:
        return Material.from_review(path.name, track, review)
    except ComparisonError as exc:
        raise ComparisonError(f"{path}: {exc}") from exc


def reference_of(m: Material) -> Reference:
    """A reference from an attempt's good passes (all its passes when none is marked good)."""
    profiles = m.profiles(good_only=True) or m.profiles()
    if not profiles:
        raise ComparisonError(f"{m.label} has no strokes to make a reference from")
    return Reference.from_profiles(m.technique, profiles, attempt_id=m.attempt_id)


def make_reference(store: Store, attempt_id: int) -> Reference:
    """Make an instructor's demonstration its technique's reference, in the store."""
    m = load_material(str(attempt_id), store)
    ref = reference_of(m)
    store.set_reference(attempt_id, ref.to_dict())
    return ref


def save_material(
    store: Store,
    m: Material,
    person: str,
    kind: str = "practice",
    video: Path | None = None,
    keep_video: bool = False,
) -> int:
    """Save a reviewed attempt; an instructor's demonstration becomes the technique's reference."""
    score = m.review.get("score")
    attempt_id = store.save_attempt(
        person=person,
        technique=m.technique,
        kind=kind,
        track=m.track,
        calibration=m.calibration,
        review=m.review,
        score=None if score is None else float(score),
        video=video,
        keep_video=keep_video,
    )
    if kind == "reference":
        make_reference(store, attempt_id)
    return attempt_id


def promote(store: Store, attempt_id: int) -> int:
    """Make an instructor's attempt its technique's reference; the id of the reference attempt.

    A review or practice attempt is copied as a reference attempt (with its video, if kept),
    so it stays in the instructor's history.
    """
    a = store.load_attempt(attempt_id)
    if a.kind == "reference":
        make_reference(store, a.id)
        return a.id
    m = Material(f"attempt {a.id}", a.technique, a.track, a.calibration, a.review or {})
    reference_of(m)  # refuse before writing anything when it has no stroke to learn from
    video = a.video_path if a.video_path is not None and a.video_path.is_file() else None
    return save_material(store, m, a.person, "reference", video, keep_video=video is not None)


def stored_reference(store: Store, technique: str) -> Reference:
    found = store.reference(technique)
    if found is None:
        raise ComparisonError(f"{technique} has no reference yet: an instructor must set one")
    return Reference.from_dict(found.profile)


def compare_with(
    student: Material, other: Material | None = None, store: Store | None = None
) -> Comparison:
    """Compare student's passes with other's, or with the technique's stored reference.

    When other is the stored reference attempt, its stored profile is used.
    """
    if other is None:
        if store is None:
            raise ComparisonError("nothing to compare with: give a second attempt or a store")
        ref = stored_reference(store, student.technique)
    elif student.technique != other.technique:
        raise ComparisonError(
            f"{student.label} is {student.technique}, {other.label} is {other.technique}"
        )
    else:
        found = store.reference(other.technique) if store is not None else None
        if found is not None and found.attempt_id == other.attempt_id:
            ref = Reference.from_dict(found.profile)
        else:
            ref = reference_of(other)
    return compare(student.profiles(), ref, technique_zones(student.technique))
