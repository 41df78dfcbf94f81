"""Attempts as material to compare: from the store or a review JSON file, to path profiles.

The glue between the store and the numpy core (reference, compare), so the CLI and the app
pages only wire arguments and widgets to these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainer.core.base.errors import ComparisonError, StoreError, TechniqueError, TrainerError
from trainer.core.base.fields import plain_id
from trainer.core.comparing.compare import Comparison, Zone, compare, even_zones
from trainer.core.comparing.reference import PathProfile, Reference
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import PathMotion
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.documents.files import load_review
from trainer.store.attempts.records import Attempt
from trainer.store.store import Store


@dataclass(frozen=True)
class Material:
    """One attempt's track, calibration and review, wherever it came from.

    Attributes:
        label: how to name it to the user ("attempt 12" or the file name).
        technique: the technique's name.
        track: the thumb track.
        calibration: where the path lay in the frame.
        review: the verdict; its strokes are the passes. None for an attempt saved without one.
        attempt_id: the attempt in the store, None for a file.
    """

    label: str
    technique: str
    track: Track
    calibration: Calibration
    review: Review | None
    attempt_id: int | None = None

    @classmethod
    def from_review(cls, label: str, track: Track, review: Review) -> Material:
        """A track and its review, which names the technique and holds the calibration."""
        calibration = Calibration.from_dict(review.calibration)
        return cls(label, review.technique, track, calibration, review)

    @classmethod
    def from_attempt(cls, a: Attempt, label: str | None = None) -> Material:
        """A stored attempt, named "attempt <id>" unless label is given."""
        return cls(label or f"attempt {a.id}", a.technique, a.track, a.calibration, a.review, a.id)

    def spans(self, good_only: bool = False) -> list[tuple[int, int]]:
        """Frame ranges (start, end excluded) of the passes, or of the good ones only."""
        strokes = () if self.review is None else self.review.strokes
        return [(s.start_index, s.end_index) for s in strokes if not good_only or s.good]

    def profiles(self, good_only: bool = False) -> list[PathProfile]:
        """The passes resampled in path coordinates."""
        motion = None if self.review is None else self.review.path_motion
        s, d = path_coordinates(self.track, self.calibration, motion)
        t = self.track.t
        found = (PathProfile.from_samples(t[a:b], s[a:b], d[a:b]) for a, b in self.spans(good_only))
        return [p for p in found if p is not None]


def path_coordinates(
    track: Track, calibration: Calibration, motion: PathMotion | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(N,) progress s and (N,) offset d of the thumb, in path lengths (d > 0 right of travel);
    with `motion` (the path followed the body part) measured on the body part."""
    path = calibration.in_pixels(track.width, track.height)
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
    if source.isascii() and source.isdigit():
        if store is None:
            raise TrainerError(f"{source} looks like an attempt id, but no store is open")
        attempt_id = plain_id(source)
        if attempt_id is None:
            raise StoreError(f"no attempt with id {source}")
        return Material.from_attempt(store.load_attempt(attempt_id))
    return material_from_file(Path(source))


def material_from_file(path: Path) -> Material:
    """Read the JSON of `trainer review --json`: the review with its track."""
    return Material.from_review(path.name, *load_review(path))


def reference_of(m: Material) -> Reference:
    """A reference from an attempt's good passes (all its passes when none is marked good)."""
    profiles = m.profiles(good_only=True) or m.profiles()
    if not profiles:
        raise ComparisonError(f"{m.label} has no strokes to make a reference from")
    return Reference.from_profiles(m.technique, profiles, attempt_id=m.attempt_id)


def _as_yardstick(other: Material) -> Reference:
    """Another attempt's forward passes to compare with; no stored reference is involved, so
    the message says what is wrong with that attempt."""
    profiles = other.profiles()
    if not any(p.forward for p in profiles):
        why = "has no strokes" if not profiles else "runs every stroke backwards (end to start)"
        raise ComparisonError(f"{other.label} {why}: nothing in it to compare with")
    return reference_of(other)


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
    job_id: int | None = None,
) -> int:
    """Save a reviewed attempt; an instructor's demonstration becomes the technique's reference.

    The reference is built first and saved in the attempt's transaction: a demonstration
    that makes no reference leaves nothing behind.
    """
    return store.save_attempt(
        person=person,
        technique=m.technique,
        kind=kind,
        track=m.track,
        calibration=m.calibration,
        review=m.review,
        score=None if m.review is None else m.review.score,
        video=video,
        keep_video=keep_video,
        reference=reference_of(m) if kind == "reference" else None,
        job_id=job_id,
    )


def promote(store: Store, attempt_id: int) -> int:
    """Make an instructor's attempt its technique's reference; the id of the reference attempt.

    A video or practice attempt is copied as a reference attempt (with its video, if kept),
    so it stays in the instructor's history.
    """
    a = store.load_attempt(attempt_id)
    if a.kind == "reference":
        make_reference(store, a.id)
        return a.id
    m = Material.from_attempt(a)
    with store.kept_video_file(a) as video:
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
            ref = _as_yardstick(other)
    return compare(student.profiles(), ref, technique_zones(student.technique))
