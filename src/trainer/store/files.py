"""The project's JSON files: tracks, reviews and calibrations, read with one clear error."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from trainer.core.calibration import Calibration
from trainer.core.errors import CalibrationError, ReviewError, TrainerError
from trainer.core.hands import N_LANDMARKS, THUMB_TIP, WRIST, HandTracks
from trainer.core.track import NO_HAND, Track
from trainer.core.verdict import Review

REVIEW_FIELDS = tuple(f.name for f in fields(Review))  # its JSON's keys are its field names
# Review.from_dict reads each field on its own: what one field does to an empty review tells
# whether that field is the bad one.
EMPTY_REVIEW = Review(
    technique="",
    score=0.0,
    parts=(),
    penalties=(),
    strokes=(),
    others=(),
    faults=(),
    feedback=(),
    exercise_s=0.0,
    duration_s=0.0,
    hand_lost=(),
    zones={},
    lingers={},
    calibration={},
).to_dict()
UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)


def read_json(path: str | Path, what: str, error: type[TrainerError] = TrainerError) -> Any:
    """Parse a JSON file; `error` names the file and what is wrong with it."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise error(f"{path}: cannot read {what} ({e.strerror})") from e
    except UnicodeDecodeError as e:
        raise error(f"{path}: not valid JSON (not text: byte {e.start})") from e
    except json.JSONDecodeError as e:
        raise error(f"{path}: not valid JSON ({e.msg}, line {e.lineno})") from e


def _from_frames(d: dict[str, Any]) -> Track:
    """A sample video's ground truth: frames of {"t", "thumb_px": [x, y] | null}, and with
    several hands in view "hands_px": per hand [thumb x, thumb y, wrist x, wrist y] | null."""
    frames = d["frames"]
    t = [f["t"] for f in frames]
    size = int(d["width"]), int(d["height"])
    fps = float(d.get("fps", 0.0))
    if "hands_px" not in frames[0]:
        return Track.from_points(t, [f["thumb_px"] for f in frames], *size, fps)
    return Track.from_hands(np.asarray(t, dtype=np.float64), _true_hands(frames, size), *size, fps)


def _true_hands(frames: list[dict[str, Any]], size: tuple[int, int]) -> HandTracks:
    """Every hand of a truth file: thumb tip and wrist known, the other landmarks not."""
    rows = [[h if h is not None else [np.nan] * 4 for h in f["hands_px"]] for f in frames]
    px = np.asarray(rows, dtype=np.float64)  # (N, H, 4)
    n, count = px.shape[:2]
    landmarks = np.full((n, count, N_LANDMARKS, 3), np.nan)
    landmarks[:, :, THUMB_TIP, :2] = px[..., :2] / size
    landmarks[:, :, WRIST, :2] = px[..., 2:] / size
    landmarks[:, :, [THUMB_TIP, WRIST], 2] = 0.0
    landmarks[np.isnan(px[..., 0])] = np.nan
    return HandTracks(
        thumb_px=px[..., :2],
        landmarks=landmarks,
        confidence=np.where(np.isnan(px[..., 0]), np.nan, 1.0),
        handedness=np.full((n, count), NO_HAND, dtype=np.int8),
        judged=np.where(np.isnan(px[:, 0, 0]), -1, 0).astype(np.int8),
    )


def load_track(path: str | Path) -> Track:
    """Read a saved track; TrainerError names the file and what is wrong with it."""
    data = read_json(path, "track")
    try:
        if isinstance(data, dict) and isinstance(data.get("track"), dict):
            return Track.from_dict(data["track"])
        if isinstance(data, dict) and "thumb_px" in data:
            return Track.from_dict(data)
        if isinstance(data, dict) and data.get("frames") and "thumb_px" in data["frames"][0]:
            return _from_frames(data)
    except (KeyError, TypeError, ValueError) as e:
        raise TrainerError(f"{path}: not a usable track ({e})") from e
    raise TrainerError(
        f"{path}: not a track (expected the JSON of `trainer track --json` or a sample's truth)"
    )


def review_from_json(data: Any) -> Review:
    """A review from its JSON (`Review.to_dict()`); ReviewError names the missing or bad field."""
    if not isinstance(data, dict):
        raise ReviewError("not a review: expected a JSON object")
    missing = [name for name in REVIEW_FIELDS if name not in data]
    if missing:
        raise ReviewError(f"not a usable review: missing {_names(missing)}")
    try:
        review = Review.from_dict(data)
    except UNREADABLE as e:
        bad = [name for name in REVIEW_FIELDS if _breaks(name, data[name])]
        reason = f"no {e.args[0]!r} in it" if isinstance(e, KeyError) else str(e)
        raise ReviewError(f"not a usable review: bad {_names(bad)} ({reason})") from e
    if not isinstance(review.technique, str) or not review.technique:
        raise ReviewError('not a usable review: bad field "technique" (not a name)')
    try:
        Calibration.from_dict(review.calibration)
    except CalibrationError as e:
        raise ReviewError(f'not a usable review: bad field "calibration" ({e})') from e
    return review


def _names(names: list[str]) -> str:
    quoted = ", ".join(f'"{name}"' for name in names)
    return f"field {quoted}" if len(names) == 1 else f"fields {quoted}"


def _breaks(name: str, value: Any) -> bool:
    """Whether Review.from_dict fails on this field's value alone."""
    try:
        Review.from_dict({**EMPTY_REVIEW, name: value})
    except UNREADABLE:
        return True
    return False


def load_review(path: str | Path) -> tuple[Track, Review]:
    """The JSON of `trainer review --json`: the track and its review, both checked."""
    data = read_json(path, "the review", ReviewError)
    if not isinstance(data, dict) or not isinstance(data.get("track"), dict):
        raise ReviewError(f"{path}: no track in it (expected `trainer review --json` output)")
    try:
        track = Track.from_dict(data["track"])
    except (KeyError, TypeError, ValueError) as e:
        raise ReviewError(f"{path}: unreadable track ({e})") from e
    try:
        return track, review_from_json(data)
    except ReviewError as e:
        raise ReviewError(f"{path}: {e}") from e


def load_calibration(path: str | Path) -> Calibration:
    """A calibration JSON file ({"technique", "points": [[x, y], ...]})."""
    data = read_json(path, "calibration", CalibrationError)
    try:
        return Calibration.from_dict(data)
    except CalibrationError as e:
        raise CalibrationError(f"{path}: {e}") from e


def save_calibration(calibration: Calibration, path: str | Path) -> None:
    text = json.dumps(calibration.to_dict(), indent=1) + "\n"
    Path(path).write_text(text, encoding="utf-8")
