"""The project's JSON files: tracks, reviews and calibrations, read with one clear error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainer.core.calibration import Calibration
from trainer.core.errors import CalibrationError, TrainerError
from trainer.core.track import Track


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
    """A sample video's ground truth: frames of {"t", "thumb_px": [x, y] | null}."""
    frames = d["frames"]
    return Track.from_points(
        [f["t"] for f in frames],
        [f["thumb_px"] for f in frames],
        int(d["width"]),
        int(d["height"]),
        float(d.get("fps", 0.0)),
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
