"""The arrays of every followed hand inside a stored track (beside the judged hand's own)."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainer.core.track import HandTracks, Track

_PREFIX = "hands_"


def pack_hands(track: Track) -> dict[str, np.ndarray]:
    """Named arrays for np.savez; none for a one-hand track. Landmarks as float32 (7 digits,
    as exact as the JSON's 6 decimals)."""
    h = track.hands
    if h is None:
        return {}
    return {
        f"{_PREFIX}thumb_px": h.thumb_px,
        f"{_PREFIX}landmarks": h.landmarks.astype(np.float32),
        f"{_PREFIX}confidence": h.confidence.astype(np.float32),
        f"{_PREFIX}handedness": h.handedness,
        f"{_PREFIX}judged": h.judged,
    }


def unpack_hands(z: Any) -> HandTracks | None:
    """The hands from an opened npz (None when the track had one hand)."""
    if f"{_PREFIX}judged" not in z.files:
        return None
    return HandTracks(
        thumb_px=z[f"{_PREFIX}thumb_px"],
        landmarks=z[f"{_PREFIX}landmarks"].astype(np.float64),
        confidence=z[f"{_PREFIX}confidence"].astype(np.float64),
        handedness=z[f"{_PREFIX}handedness"],
        judged=z[f"{_PREFIX}judged"],
    )
