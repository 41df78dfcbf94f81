"""Following the body part under the path, so the path stays on the foot or neck as it moves.

Sparse optical flow (pyramidal Lucas-Kanade) follows corners of the picture around the path,
with every hand masked out (the convex hull of its 21 landmarks and the start of its forearm,
dilated). A similarity (shift, turn, scale) is fitted to where the points went with RANSAC,
so points on a moving hand or on the still background are outvoted by the body part. Points
are carried from frame to frame, and every few frames re-found directly in a keyframe (the
first frame, or a later one when the body part has changed too much to be matched against
it), so errors do not pile up into drift. Points that move as a hand near them moves (its
sleeve, or the background cut out with it in a composite: outside the mask but carried with
it) are left out before the fit, so they cannot carry the path away with the hand. When too
few points agree the path holds still and the frame is marked lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from trainer.capture.exposure import DIM_BELOW, luminance
from trainer.capture.video import read_frames
from trainer.core.hands import N_LANDMARKS
from trainer.core.path.pathmotion import IDENTITY, PathMotion, PathPose, apply, invert
from trainer.core.path.polyline import arc_length

WORK_SIDE = 640  # frames are followed at most this wide or high: the cost stays flat
BAND = 0.35  # points are taken within this many path lengths of the path
MAX_POINTS = 100
MIN_AGREE = 10  # fewer points agreeing on one motion: the body part is lost for this frame
REANCHOR_FRAMES = 5  # re-find the points in the keyframe this often
RANSAC_PX = 2.0  # at WORK_SIDE
HAND_MARGIN = 0.3  # hand masks grow by this share of the palm length
FOREARM = 1.5  # and reach this many palm lengths back from the wrist
LK = {
    "winSize": (21, 21),
    "maxLevel": 3,
    "criteria": (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 10, 0.03),
}
CORNERS = {"qualityLevel": 0.01, "minDistance": 7, "blockSize": 7}
STRETCH_PERCENTILES = (1.0, 99.5)  # a dim frame's grey levels between these fill 0..255
NEAR_HAND = 2.0  # points within this many palm lengths of a hand may be carried with it
WITH_HAND = 0.35  # a point moving as the hand does within this share of its motion is its
HAND_STILL = 2 * RANSAC_PX  # a hand that moved less than this (working px) carries nothing


def hand_mask(shape: tuple[int, int], hands_px: np.ndarray) -> np.ndarray:
    """(h, w) uint8, 255 over every hand: hull of its landmarks and forearm start, dilated.

    hands_px: (H, 21, 2+) landmarks in pixels; hands with NaN landmarks are skipped.
    """
    mask = np.zeros(shape, np.uint8)
    hands = np.asarray(hands_px, dtype=np.float64)
    for hand in hands.reshape(-1, N_LANDMARKS, hands.shape[-1]):
        xy = hand[:, :2]
        if np.isnan(xy).any():
            continue
        palm = max(float(np.hypot(*(xy[9] - xy[0]))), 4.0)
        forearm = xy[0] + (xy[0] - xy[9]) * FOREARM
        hull = cv2.convexHull(np.round(np.vstack([xy, forearm])).astype(np.int32))
        cv2.fillConvexPoly(mask, hull, 255)
        cv2.polylines(mask, [hull], True, 255, max(1, round(2 * HAND_MARGIN * palm)))
    return mask


def with_hands(
    start: np.ndarray, end: np.ndarray, hands_then: np.ndarray, hands_now: np.ndarray
) -> np.ndarray:
    """(M,) bool: points (start -> end, (M, 2)) near a hand that move as that hand moved
    (its landmarks' median motion from hands_then to hands_now, (H, 21, 2), same slots)."""
    out = np.zeros(len(start), bool)
    for then, now in zip(hands_then, hands_now, strict=False):
        if np.isnan(then).any() or np.isnan(now).any():
            continue
        motion = np.median(now - then, axis=0)
        speed = float(np.hypot(*motion))
        if speed < HAND_STILL:
            continue
        palm = max(float(np.hypot(*(now[9] - now[0]))), 4.0)
        near = np.min(np.hypot(*(end[:, None] - now[None]).transpose(2, 0, 1)), axis=1)
        alike = np.hypot(*(end - start - motion).T) < max(RANSAC_PX, WITH_HAND * speed)
        out |= alike & (near < NEAR_HAND * palm)
    return out


def _fit(ref: np.ndarray, cur: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Similarity first frame -> this frame by RANSAC, and which points agree with it."""
    if len(ref) < MIN_AGREE:
        return None, np.zeros(len(ref), bool)
    matrix, inliers = cv2.estimateAffinePartial2D(
        ref, cur, method=cv2.RANSAC, ransacReprojThreshold=RANSAC_PX, maxIters=500
    )
    if matrix is None:
        return None, np.zeros(len(ref), bool)
    agree = inliers.ravel().astype(bool)
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    if agree.sum() < MIN_AGREE or not 0.5 < scale < 2.0:
        return None, agree
    return matrix, agree


@dataclass
class _Keyframe:
    """A picture to re-find points in: its grey image, corners in it, their first-frame
    positions, and the similarity first frame -> keyframe."""

    gray: np.ndarray
    pts: np.ndarray
    ref: np.ndarray
    matrix: np.ndarray
    hands: np.ndarray


@dataclass
class BodyFollower:
    """Feed `update(rgb, hands_px)` frame by frame; each returns where the path is now.

    path_px: (K, 2) the path in the first frame's pixels.
    """

    path_px: np.ndarray
    frames: int = field(default=0, init=False)
    lost_frames: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._scale = 1.0
        self._matrix = IDENTITY.copy()  # first frame -> this frame, working pixels
        self._prev: np.ndarray | None = None
        self._prev_hands = np.zeros((0, 21, 2))  # the previous frame's hands, working pixels
        self._pts = np.zeros((0, 2), np.float32)  # points in the previous frame
        self._ref = np.zeros((0, 2), np.float32)  # the same points in the first frame
        self._key: _Keyframe | None = None
        self._since_anchor = 0
        self._dim = False
        self._stretch: np.ndarray | None = None  # grey level table for a dim video

    def update(self, rgb: np.ndarray, hands_px: np.ndarray) -> PathPose:
        """One frame (RGB uint8) and every hand's landmarks in it, (H, 21, 2+) pixels."""
        gray = self._gray(rgb)
        hands = np.asarray(hands_px, dtype=np.float64)[..., :2].reshape(-1, 21, 2) * self._scale
        mask = hand_mask(gray.shape, hands)
        self.frames += 1
        if self._key is None:
            found = self._start(gray, mask, hands)
        else:
            found = self._follow(gray, mask, hands)
        self._prev, self._prev_hands = gray, hands
        if not found:
            self.lost_frames += 1
        return PathPose(self._full(self._matrix), lost=not found)

    def _gray(self, rgb: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
        if self.frames == 0:
            self._scale = min(1.0, WORK_SIDE / max(gray.shape))
            colour = rgb if rgb.ndim == 3 else cv2.cvtColor(rgb, cv2.COLOR_GRAY2RGB)
            self._dim = luminance(colour) < DIM_BELOW
        if self._scale < 1.0:
            h, w = gray.shape
            size = (round(w * self._scale), round(h * self._scale))
            gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
        return gray if self._stretch is None else cv2.LUT(gray, self._stretch)

    def _full(self, matrix: np.ndarray) -> np.ndarray:
        """A working-pixel similarity in the frame's own pixels."""
        return np.hstack([matrix[:, :2], matrix[:, 2:] / self._scale])

    def _start(self, gray: np.ndarray, mask: np.ndarray, hands: np.ndarray) -> bool:
        """Corners around the path in the first frame with enough of them: the keyframe."""
        pts = self._corners(gray, mask, MAX_POINTS)
        if len(pts) < MIN_AGREE:
            if self._dim and self._stretch is None:
                # Too faint as filmed: from the next frame on, its grey levels are stretched
                # (only then, as stretching amplifies the noise the flow follows too).
                self._stretch = stretch_table(gray)
            return False
        self._pts, self._ref = pts, pts.copy()
        self._key = _Keyframe(gray, pts, pts.copy(), IDENTITY.copy(), hands)
        return True

    def _corners(self, gray: np.ndarray, mask: np.ndarray, count: int) -> np.ndarray:
        """(M, 2) float32 corners in the band around the path where it is now, off the hands
        and away from the points already followed."""
        path = apply(self._matrix, np.asarray(self.path_px, np.float64) * self._scale)
        length = float(arc_length(path)[-1])
        band = np.zeros_like(mask)
        cv2.polylines(band, [np.round(path).astype(np.int32)], False, 255, round(2 * BAND * length))
        band[mask > 0] = 0
        for x, y in np.round(self._pts).astype(int):
            cv2.circle(band, (int(x), int(y)), CORNERS["minDistance"], 0, -1)
        x, y, w, h = cv2.boundingRect(band)
        if w == 0 or h == 0:
            return np.zeros((0, 2), np.float32)
        found = cv2.goodFeaturesToTrack(
            gray[y : y + h, x : x + w], count, mask=band[y : y + h, x : x + w], **CORNERS
        )
        if found is None:
            return np.zeros((0, 2), np.float32)
        return found.reshape(-1, 2) + np.float32([x, y])

    def _usable(self, pts: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(M,) bool: inside the picture and not on a hand."""
        h, w = mask.shape
        ix, iy = np.round(pts[:, 0]).astype(int), np.round(pts[:, 1]).astype(int)
        inside = (ix >= 0) & (iy >= 0) & (ix < w) & (iy < h)
        ok = inside.copy()
        ok[inside] = mask[iy[inside], ix[inside]] == 0
        return ok

    def _follow(self, gray: np.ndarray, mask: np.ndarray, hands: np.ndarray) -> bool:
        if len(self._pts):
            nxt, status, _ = cv2.calcOpticalFlowPyrLK(self._prev, gray, self._pts, None, **LK)
            keep = status.ravel().astype(bool) & self._usable(nxt, mask)
            keep &= ~with_hands(self._pts, nxt, self._prev_hands, hands)
            self._pts, self._ref = nxt[keep], self._ref[keep]
        self._since_anchor += 1
        matrix = None
        if self._since_anchor >= REANCHOR_FRAMES or len(self._pts) < MAX_POINTS // 2:
            matrix = self._reanchor(gray, mask, hands)
        anchored = matrix is not None
        if not anchored:
            matrix, agree = _fit(self._ref, self._pts)
            if matrix is None:
                # Held where it was; fresh points around it, so following can take up again.
                self._top_up(gray, mask, self._matrix, MAX_POINTS // 2)
                return False
            self._pts, self._ref = self._pts[agree], self._ref[agree]
        self._matrix = matrix
        if self._since_anchor >= REANCHOR_FRAMES and not anchored:
            # The keyframe no longer matches (the body part turned or the light changed):
            # this frame, followed well, becomes the keyframe.
            self._key = _Keyframe(gray, self._pts.copy(), self._ref.copy(), matrix.copy(), hands)
            self._since_anchor = 0
        # Top up the points, unless re-anchoring already found plenty (one costly step a frame).
        self._top_up(gray, mask, matrix, MAX_POINTS // (4 if anchored else 2))
        return True

    def _top_up(self, gray: np.ndarray, mask: np.ndarray, matrix: np.ndarray, below: int) -> None:
        """New corners around the path, when fewer than `below` points are followed."""
        if len(self._pts) >= below:
            return
        new = self._corners(gray, mask, MAX_POINTS - len(self._pts))
        back = apply(invert(matrix), new).astype(np.float32)
        self._pts = np.vstack([self._pts, new])
        self._ref = np.vstack([self._ref, back])

    def _reanchor(self, gray: np.ndarray, mask: np.ndarray, hands: np.ndarray) -> np.ndarray | None:
        """Find the keyframe's points in this frame directly; on success (the similarity is
        returned) they replace the points carried from frame to frame, so errors never add up.
        """
        key = self._key
        guess = apply(self._matrix @ np.vstack([invert(key.matrix), [0, 0, 1]]), key.pts)
        guess = guess.astype(np.float32)
        use = self._usable(guess, mask)
        if use.sum() < MIN_AGREE:
            return None
        start = guess[use].copy()
        flags = cv2.OPTFLOW_USE_INITIAL_FLOW
        nxt, status, _ = cv2.calcOpticalFlowPyrLK(
            key.gray, gray, key.pts[use], start, flags=flags, **LK
        )
        ok = status.ravel().astype(bool) & self._usable(nxt, mask)
        ok &= ~with_hands(key.pts[use], nxt, key.hands, hands)
        ref, cur = key.ref[use][ok], nxt[ok]
        matrix, agree = _fit(ref, cur)
        if matrix is None or agree.sum() < 0.5 * use.sum():
            return None
        self._pts, self._ref = cur[agree], ref[agree]
        self._since_anchor = 0
        return matrix


def stretch_table(gray: np.ndarray) -> np.ndarray:
    """(256,) uint8: grey levels of a dim frame stretched over the whole range.

    In a dim room the body part's texture spans a few grey levels, too faint for corners to
    be found on it. The table is fixed from the first frame: one that changed from frame to
    frame would look like motion to the flow.
    """
    lo, hi = np.percentile(gray[::4, ::4], STRETCH_PERCENTILES)
    levels = (np.arange(256, dtype=np.float64) - lo) * 255.0 / max(hi - lo, 1.0)
    return np.clip(np.round(levels), 0, 255).astype(np.uint8)


def follow_video(
    path: str | Path,
    path_px: np.ndarray,
    hands_px: Sequence[np.ndarray],
    progress: Callable[[int, int], None] | None = None,
) -> PathMotion:
    """Where the path is in each frame of a video; hands_px[i]: (H, 21, 2+) pixels of frame i.

    One pose per entry of hands_px (frames matched by index, as the track's are); frames the
    video lacks keep the last pose.
    """
    follower = BodyFollower(np.asarray(path_px, dtype=np.float64))
    total = len(hands_px)
    poses: list[PathPose] = []
    for frame in read_frames(path):
        if frame.index >= total:
            break
        poses.append(follower.update(frame.rgb, hands_px[frame.index]))
        if progress:
            progress(frame.index + 1, total)
    last = poses[-1] if poses else PathPose(IDENTITY, lost=True)
    poses += [PathPose(last.matrix, lost=True)] * (total - len(poses))
    return PathMotion.from_poses(poses)
