"""The project's JSON files: tracks, reviews and calibrations, read with bounds and checked.

Every read goes through core.base.inputfile (regular files only, size and depth caps) and every
document through documents.decoding or Calibration (each field's type, range and finiteness), so
a hostile file is one line naming the file and the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainer.core.base.errors import CalibrationError, ReviewError, TrainerError
from trainer.core.base.inputfile import read_json as read_bounded
from trainer.core.base.outputfile import write_file
from trainer.core.base.settings import Settings
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.documents import decoding as documents


def read_json(path: str | Path, what: str, error: type[TrainerError] = TrainerError) -> Any:
    """Parse a JSON file within the limits of Settings; `error` names the file and the problem."""
    s = Settings.from_env()
    return read_bounded(path, what, error, max_mb=s.max_json_mb, max_depth=s.max_json_depth)


def load_track(path: str | Path) -> Track:
    """Read a saved track; TrainerError names the file and what is wrong with it."""
    return documents.track_from_json(read_json(path, "track"), str(path))


def review_from_json(data: Any, source: str = "") -> Review:
    """A review from its JSON (`Review.to_dict()`); ReviewError names the missing or bad field."""
    return documents.review_from_json(data, source)


def load_review(path: str | Path) -> tuple[Track, Review]:
    """The JSON of `trainer review --json`: the track and its review, both checked."""
    data = read_json(path, "the review", ReviewError)
    if not isinstance(data, dict) or not isinstance(data.get("track"), dict):
        raise ReviewError(f"{path}: no track in it (expected `trainer review --json` output)")
    try:
        track = documents.track_from_json(data, str(path))
    except TrainerError as e:
        raise ReviewError(str(e)) from None
    review = documents.review_from_json(data, str(path))
    check_fits(track, review, str(path))
    return track, review


def check_fits(track: Track, review: Review, source: str) -> None:
    """ReviewError unless the review's strokes and path transforms lie within the track."""
    where = f"{source}: not a usable review"
    for name, strokes in (("strokes", review.strokes), ("others", review.others)):
        for n, stroke in enumerate(strokes):
            if stroke.end_index > len(track):
                raise ReviewError(
                    f'{where}: field "{name}[{n}].end_index" lies beyond '
                    f"the track's {len(track)} frames"
                )
    if review.path_motion is not None and len(review.path_motion) != len(track):
        raise ReviewError(
            f'{where}: field "path_motion.transforms" must hold one '
            f"transform per frame of the track ({len(track)}), not {len(review.path_motion)}"
        )


def load_calibration(path: str | Path) -> Calibration:
    """A calibration JSON file ({"technique", "points": [[x, y], ...]})."""
    data = read_json(path, "calibration", CalibrationError)
    try:
        return Calibration.from_dict(data)
    except CalibrationError as e:
        raise CalibrationError(f"{path}: {e}") from e


def save_calibration(calibration: Calibration, path: str | Path) -> None:
    text = json.dumps(calibration.to_dict(), indent=1) + "\n"
    write_file(Path(path), text.encode("utf-8"))
