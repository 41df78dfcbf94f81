"""Tracking accuracy against ground truth: how often the hand was found, how far off the tip was."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.core.track import THUMB_TIP, Track
from trainer.synth.truth import GroundTruth


@dataclass(frozen=True)
class Accuracy:
    """A track scored against its video's truth, over the frames where the thumb tip is in view.

    Attributes:
        errors_px: (M,) distance from the tracked to the true thumb tip, frames with a hand.
        frames: frames with the thumb tip in view (M of them had a hand found).
        diagonal: the picture's diagonal in pixels.
    """

    errors_px: np.ndarray
    frames: int
    diagonal: float

    @property
    def detected_fraction(self) -> float:
        return len(self.errors_px) / self.frames if self.frames else 0.0

    @property
    def median_px(self) -> float:
        return float(np.median(self.errors_px)) if len(self.errors_px) else float("nan")

    @property
    def p95_px(self) -> float:
        return float(np.percentile(self.errors_px, 95)) if len(self.errors_px) else float("nan")

    @property
    def median_share(self) -> float:
        """Median error as a share of the diagonal."""
        return self.median_px / self.diagonal

    @property
    def p95_share(self) -> float:
        return self.p95_px / self.diagonal


def compare(track: Track, truth: GroundTruth, *, raw: bool = False) -> Accuracy:
    """Score `track` against `truth`, frame by frame (frames matched by time).

    By default the track's smoothed thumb tip is scored (what the trainer uses, filter lag
    included); `raw` scores MediaPipe's landmark itself (how well the model sees the drawing).
    """
    if (track.width, track.height) != (truth.width, truth.height):
        raise ValueError(
            f"track is {track.width}x{track.height}, truth is {truth.width}x{truth.height}"
        )
    index = np.searchsorted(track.t, truth.t - 0.5 / truth.fps)
    index = np.clip(index, 0, len(track) - 1)
    matched = np.abs(track.t[index] - truth.t) < 0.5 / truth.fps
    in_view = truth.in_frame & matched
    found = in_view & track.detected[index]
    thumb = track.landmarks[:, THUMB_TIP, :2] * track.size if raw else track.thumb_px
    errors = np.linalg.norm(thumb[index[found]] - truth.thumb_px[found], axis=1)
    frames = int(in_view.sum()) + int((truth.in_frame & ~matched).sum())
    return Accuracy(errors, frames, truth.diagonal)


def pooled(results: list[Accuracy]) -> Accuracy:
    """All frames of several videos as one."""
    return Accuracy(
        np.concatenate([r.errors_px for r in results]) if results else np.empty(0),
        sum(r.frames for r in results),
        results[0].diagonal if results else 1.0,
    )
