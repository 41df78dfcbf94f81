"""Saved tracks: read the JSON of `trainer track --json -o`, a bare Track, or a sample's truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainer.errors import TrainerError
from trainer.jsonfile import read_json
from trainer.track import Track


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
