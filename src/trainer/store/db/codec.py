"""How an attempt is kept in its row: the track as compressed numpy arrays (and the first
format, zlib-compressed JSON, for the migrations), and the stroke count of a stored review."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from typing import Any

import numpy as np

from trainer.core.base.settings import Settings
from trainer.core.track import N_LANDMARKS, Track
from trainer.store.db.hands_codec import pack_hands, unpack_hands

# Stored bytes of one frame: t, thumb (float64), landmarks (int32), confidence, handedness.
PACKED_BYTES_PER_FRAME = 8 + 16 + N_LANDMARKS * 3 * 4 + 4 + 1
MICRO = 1e6  # landmarks are stored in whole millionths of the frame, as the JSON's 6 decimals
NO_VALUE = np.iinfo(np.int32).min  # a landmark of a frame without a hand


def pack_track(track: Track) -> bytes:
    """The track's arrays, zip-deflated (np.savez_compressed); ~6x faster than JSON, ~half size.

    Times and thumb positions stay float64. Landmarks (most of the bytes) become int32
    millionths with their bytes regrouped (`_shuffle`), as exact as the JSON's 6 decimals.
    """
    buf = io.BytesIO()
    info = {"width": track.width, "height": track.height, "fps": track.fps, "meta": track.meta}
    scaled = np.clip(np.round(track.landmarks * MICRO), NO_VALUE + 1, -NO_VALUE - 1)
    landmarks = np.where(np.isnan(track.landmarks), NO_VALUE, np.nan_to_num(scaled))
    np.savez_compressed(
        buf,
        info=np.array(json.dumps(info)),
        t=track.t,
        thumb_px=track.thumb_px,
        landmarks=_shuffle(landmarks.astype("<i4")),
        confidence=track.confidence.astype(np.float32),
        handedness=track.handedness,
        **pack_hands(track),
    )
    return buf.getvalue()


def unpack_track(blob: bytes) -> Track:
    """A stored track; ValueError for one whose arrays would unpack beyond the frame limit
    (a row anyone could write must not unpack into gigabytes)."""
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > Settings.from_env().max_frames * PACKED_BYTES_PER_FRAME:
        raise ValueError(f"its arrays would unpack to {unpacked} bytes, beyond the frame limit")
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        info = json.loads(str(z["info"]))
        t = z["t"]
        raw = np.ascontiguousarray(z["landmarks"].T).view("<i4").reshape(len(t), N_LANDMARKS, 3)
        return Track(
            t=t,
            thumb_px=z["thumb_px"],
            landmarks=np.where(raw == NO_VALUE, np.nan, raw / MICRO),
            confidence=z["confidence"].astype(np.float64),
            handedness=z["handedness"],
            width=int(info["width"]),
            height=int(info["height"]),
            fps=float(info["fps"]),
            meta=dict(info["meta"]),
            hands=unpack_hands(z),
        )


def _shuffle(a: np.ndarray) -> np.ndarray:
    """(itemsize, N) uint8: byte k of every value in row k. High bytes of nearby values repeat,
    so grouped they deflate far better than interleaved with the noisy low bytes."""
    # Contiguous copy: np.save would write a bare transpose back in the original byte order.
    return np.ascontiguousarray(np.ascontiguousarray(a).view(np.uint8).reshape(-1, a.itemsize).T)


def unpack_json_track(blob: bytes) -> Track:
    """The first format (migrations 1-3): zlib-compressed JSON of `Track.to_dict()`."""
    return Track.from_dict(json.loads(zlib.decompress(blob)))


UNREADABLE_TRACK = (zlib.error, zipfile.BadZipFile, ValueError, KeyError, OSError)


def count_strokes(review: dict[str, Any] | None) -> int | None:
    """Number of strokes in a review JSON (its "strokes" list), None when it has none."""
    if not review or not isinstance(review.get("strokes"), list):
        return None
    return len(review["strokes"])
