"""Which hand is judged: stroke by stroke, the one whose thumb moves along the path.

With two hands in view (one holds the foot while the other strokes), each hand's thumb is cut
into movements by the same segmenter the review uses. A movement counts for its hand when it
progresses along the path by at least `min_progress` of it while staying inside the path's
corridor (`ignore_offset`); a hand that holds or rests makes no such movement. Every frame of
such a movement is the hand's to be judged (the one progressing further wins where two
overlap); frames between movements (pauses, lingering) stay with the hand before them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from trainer.core.hands import NOT_JUDGED, HandTracks
from trainer.core.path.calibration import PathFrame
from trainer.core.strokes.segmenter import segment
from trainer.core.technique import Technique
from trainer.core.track import Track


@dataclass(frozen=True)
class Movement:
    """A movement of one hand along the path: frames start .. end - 1, how far along the path
    it reached (progress span, 0..1), and its median cross-track offset (path lengths)."""

    hand: int
    start: int
    end: int
    span: float
    offset: float


def movements(
    t: np.ndarray, hands: HandTracks, path: PathFrame, technique: Technique
) -> list[Movement]:
    """Every hand's movements along the path inside its corridor, by hand then time."""
    seg = technique.segmentation
    out: list[Movement] = []
    for k in range(hands.count):
        thumb = hands.thumb_px[:, k]
        s, d = path.project(thumb)
        for stroke in segment(t, thumb / path.length, s, seg):
            sl = stroke.slice
            ss, dd = s[sl][~np.isnan(s[sl])], d[sl][~np.isnan(d[sl])]
            if not len(ss):
                continue
            span = float(np.clip(ss.max(), 0, 1) - np.clip(ss.min(), 0, 1))
            if span >= seg.min_progress and np.mean(np.abs(dd)) <= seg.ignore_offset:
                out.append(
                    Movement(k, stroke.start_index, stroke.end_index, span, float(np.median(dd)))
                )
    return out


def judged_per_frame(n: int, moves: list[Movement], fallback: np.ndarray) -> np.ndarray:
    """(n,) the hand judged in each frame: the hand of the movement there, else of the movement
    before (or the first one); `fallback` when no hand moved along the path."""
    if not moves:
        return fallback.copy()
    owner = np.full(n, NOT_JUDGED, np.int8)
    best = np.zeros(n)
    for m in moves:
        sl = slice(m.start, m.end)
        better = m.span > best[sl]
        owner[sl] = np.where(better, m.hand, owner[sl])
        best[sl] = np.maximum(best[sl], m.span)
    covered = np.flatnonzero(owner >= 0)
    # Carry each owner forward over the frames after it; the first one back to the start.
    last = np.maximum.accumulate(np.where(owner >= 0, np.arange(n), -1))
    return np.where(last >= 0, owner[np.maximum(last, 0)], owner[covered[0]]).astype(np.int8)


def judge_hands(track: Track, technique: Technique, path: PathFrame) -> Track:
    """The track with its judged thumb chosen stroke by stroke (a one-hand track as it is)."""
    hands = track.hands
    if hands is None:
        return track
    moves = movements(track.t, hands, path, technique)
    owner = judged_per_frame(len(track), moves, hands.judged)
    rows = np.arange(len(track))
    seen = (owner >= 0) & hands.seen[rows, np.maximum(owner, 0)]
    judged = np.where(seen, owner, NOT_JUDGED).astype(np.int8)
    thumb, landmarks, confidence, handedness = hands.pick(judged)
    return replace(
        track,
        thumb_px=thumb,
        landmarks=landmarks,
        confidence=confidence,
        handedness=handedness,
        hands=replace(hands, judged=judged),
    )


@dataclass
class LivePicker:
    """Live: the hand judged from now on, frame by frame. It starts with the first hand that
    moves along the path (the first hand seen until one does) and changes only when another
    hand has moved along the path, inside its corridor, for `confirm_s` while the judged one
    has not: a hand that holds or rests never takes over, and a stroke is never split.
    `moving`: after each update, which hands are moving along the path that way."""

    technique: Technique
    path: PathFrame
    confirm_s: float = 0.2
    judged: int = NOT_JUDGED
    moving: tuple[bool, ...] = ()
    _recent: dict[int, list[tuple[float, float, float]]] = field(default_factory=dict)

    def update(self, t: float, thumbs: np.ndarray) -> tuple[int, bool]:
        """thumbs: (H, 2) pixels, NaN for a hand not seen; returns (judged, switched now)."""
        s, d = self.path.project(thumbs)
        moving = [self._moving(k, t, s[k], d[k]) for k in range(len(thumbs))]
        self.moving = tuple(moving)
        seen = ~np.isnan(thumbs[:, 0])
        if self.judged == NOT_JUDGED or self.judged >= len(thumbs):
            if any(moving) or seen.any():
                self.judged = int(np.argmax(moving)) if any(moving) else int(np.argmax(seen))
            return self.judged, False
        if moving[self.judged] or not any(moving):
            return self.judged, False
        self.judged = int(np.argmax(moving))
        return self.judged, True

    def _moving(self, k: int, t: float, s: float, d: float) -> bool:
        """Hand k progressed along the path at stroke speed, in its corridor, for confirm_s."""
        seg = self.technique.segmentation
        recent = self._recent.setdefault(k, [])
        if np.isnan(s):
            recent.clear()
            return False
        recent.append((t, s, d))
        while recent[0][0] < t - self.confirm_s:
            recent.pop(0)
        t0, s0, _ = recent[0]
        if t - t0 < 0.8 * self.confirm_s:
            return False
        inside = all(abs(x[2]) <= seg.ignore_offset for x in recent)
        return inside and abs(s - s0) / (t - t0) >= seg.start_speed
