"""Test clips of strokes made from a real hand: a photo of it slid along a technique's path.

Until the project's sample videos are in the tree, this gives the app's tests a video with a
known thumb path that the real model follows: the hand in one frame of real footage is cut
out and moved, pass after pass, from the path's start to its end, lifted on the way back, over
a still mottled surface (detail for the path to follow).
"""

from __future__ import annotations

import json
from pathlib import Path

import av
import cv2
import numpy as np

from trainer.capture.landmarker import Landmarker
from trainer.capture.video import VideoWriter, probe, read_frames
from trainer.core.base.settings import Settings
from trainer.core.technique import load_technique
from trainer.core.track import THUMB_TIP

SOURCE = "videos/open_hand_reach.mp4"
SOURCE_FRAME = 100
MARGIN = 30  # pixels around the landmarks' box


def photo(path: Path) -> np.ndarray:
    """A still photo as RGB, decoded by FFmpeg as the video reader decodes frames (the reader
    itself takes only video containers)."""
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


def _hand_cutout(footage: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hand's patch (H, W, 3), the thumb tip's position in it (2,) and its landmarks in it
    (21, 2)."""
    frame = next(f.rgb for f in read_frames(footage / SOURCE) if f.index == SOURCE_FRAME)
    h, w = frame.shape[:2]
    with Landmarker(Settings.from_env().model_path, video=False, num_hands=1) as lm:
        hands = lm.detect(frame)
    points = hands.landmarks[0, :, :2] * [w, h]
    x0, y0 = np.maximum(points.min(axis=0) - MARGIN, 0).astype(int)
    x1, y1 = np.minimum(points.max(axis=0) + MARGIN, [w, h]).astype(int)
    y0 = 0  # keep the wrist and sleeve: a hand cut off at the wrist looks like no hand
    return frame[y0:y1, x0:x1].copy(), points[THUMB_TIP] - [x0, y0], points - [x0, y0]


def _hand_only(patch: np.ndarray, points: np.ndarray) -> np.ndarray:
    """(H, W) bool: the hand and the start of its forearm in the patch, outlined closely."""
    forearm = points[0] + 1.2 * (points[0] - points[9])
    hull = cv2.convexHull(np.round(np.vstack([points, forearm])).astype(np.int32))
    mask = np.zeros(patch.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, hull, 1)
    return cv2.dilate(mask, np.ones((15, 15), np.uint8)) > 0


def _paste(canvas: np.ndarray, patch: np.ndarray, top_left: np.ndarray, only=None) -> None:
    """Paste `patch` with its top left corner at top_left; `only`: (H, W) bool, these pixels."""
    h, w = canvas.shape[:2]
    x, y = np.round(top_left).astype(int)
    px0, py0 = max(0, -x), max(0, -y)
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + patch.shape[1]), min(h, y + patch.shape[0])
    if x1 > x0 and y1 > y0:
        piece = patch[py0 : py0 + y1 - y0, px0 : px0 + x1 - x0]
        if only is None:
            canvas[y0:y1, x0:x1] = piece
        else:
            keep = only[py0 : py0 + y1 - y0, px0 : px0 + x1 - x0]
            canvas[y0:y1, x0:x1][keep] = piece[keep]


def _along(points: np.ndarray, s: np.ndarray) -> np.ndarray:
    seg = np.hypot(*np.diff(points, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(seg)]) / seg.sum()
    return np.stack([np.interp(s, cum, points[:, 0]), np.interp(s, cum, points[:, 1])], axis=1)


def thumb_plan(
    path_px: np.ndarray, fps: float, passes: int, pass_s: float = 3.0, gap_s: float = 0.0
) -> np.ndarray:
    """(N, 2) thumb positions: rest, a smooth pass start -> end, rest, a lifted return.

    `gap_s` > 0: after the first pass the hand leaves the frame that long (NaN rows).
    """

    def steps(seconds: float) -> np.ndarray:
        return np.linspace(0.0, 1.0, max(2, round(seconds * fps)))

    def min_jerk(u: np.ndarray) -> np.ndarray:
        return 10 * u**3 - 15 * u**4 + 6 * u**5

    lift = np.array([0.0, -0.15 * np.hypot(*(path_px[-1] - path_px[0]))])
    out = [np.repeat(path_px[:1], round(0.8 * fps), axis=0)]
    for k in range(passes):
        out.append(_along(path_px, min_jerk(steps(pass_s))))
        out.append(np.repeat(path_px[-1:], round(0.6 * fps), axis=0))
        back = min_jerk(steps(1.2))
        out.append(_along(path_px, 1 - back) + lift * np.sin(np.pi * back)[:, None])
        out.append(np.repeat(path_px[:1], round(0.8 * fps), axis=0))
        if gap_s and k == 0:
            out.append(np.full((round(gap_s * fps), 2), np.nan))
    return np.concatenate(out)


def _surface(w: int, h: int, tone: np.ndarray) -> np.ndarray:
    """A still, softly mottled surface in `tone`: detail for the path to follow, as on skin."""
    rng = np.random.default_rng(0)
    mottle = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 3)
    mottle /= mottle.std()
    return np.clip(tone * (1 + 0.12 * mottle[..., None]), 0, 255).astype(np.uint8)


def make_stroke_clip(
    footage: Path,
    out: Path,
    technique: str = "foot-spine-line",
    size: tuple[int, int] = (640, 480),
    fps: float = 25.0,
    passes: int = 3,
    gap_s: float = 0.0,
    plain: bool = False,
) -> Path:
    """Write the clip (mp4, or y4m by the suffix) and, beside it, a ground truth JSON;
    `plain`: over a flat colour, with nothing around the path to follow."""
    patch, tip, points = _hand_cutout(footage)
    only = _hand_only(patch, points) if plain else None  # nothing else to follow
    w, h = size
    guide = np.array(load_technique(technique).guide)
    plan = thumb_plan(guide * [w, h], fps, passes, gap_s=gap_s)
    tone = patch[:8].reshape(-1, 3).mean(axis=0)  # the sleeve's
    background = np.empty((h, w, 3), np.uint8)
    background[:] = tone.astype(np.uint8)
    if not plain:
        background = _surface(w, h, tone)
    with VideoWriter(out, fps, w, h) as writer:
        for xy in plan:
            canvas = background.copy()
            if not np.isnan(xy[0]):
                _paste(canvas, patch, xy - tip, only)
            writer.write(canvas)
    truth = {
        "technique": technique,
        "case": "hand_lost" if gap_s else "correct",
        "fps": fps,
        "width": w,
        "height": h,
        "seed": 0,
        "calibration": {"technique": technique, "points": guide.tolist()},
        "expected": {
            "faults": ["hand_lost"] if gap_s else [],
            "passes": passes,
            "direction_ok": True,
        },
        "frames": [
            {
                "t": i / fps,
                "thumb_px": None if np.isnan(p[0]) else p.tolist(),
                "thumb": None if np.isnan(p[0]) else (p / [w, h]).tolist(),
                "stroke": None,
            }
            for i, p in enumerate(plan)
        ],
    }
    out.with_suffix(".json").write_text(json.dumps(truth), encoding="utf-8")
    return out


def rest_plan(spot_px: np.ndarray, n: int, fps: float, drift_px: float = 4.0) -> np.ndarray:
    """(n, 2) a resting (holding) hand's thumb: still but for a slow shift of a few pixels."""
    t = np.arange(n) / fps
    return spot_px + drift_px * np.stack([np.sin(0.7 * t), np.sin(0.45 * t + 1.0)], axis=1)


def make_hands_clip(
    footage: Path,
    out: Path,
    plans: list[np.ndarray],
    size: tuple[int, int] = (960, 540),
    fps: float = 25.0,
) -> Path:
    """Several real hands in one clip, hand k's thumb tip at plans[k][i] in frame i (NaN: out
    of view). Hand 0 is the footage's right hand, hand 1 its mirror image (a left hand), so
    MediaPipe sees two different hands. Writes the clip and, beside it, each hand's truth."""
    patch, tip, _ = _hand_cutout(footage)
    patches = [(patch, tip), (patch[:, ::-1].copy(), np.array([patch.shape[1] - tip[0], tip[1]]))]
    w, h = size
    background = _surface(w, h, patch[:8].reshape(-1, 3).mean(axis=0))  # detail to follow
    with VideoWriter(out, fps, w, h) as writer:
        for i in range(len(plans[0])):
            canvas = background.copy()
            for k, plan in enumerate(plans):
                if not np.isnan(plan[i, 0]):
                    image, at = patches[k % 2]
                    _paste(canvas, image, plan[i] - at)
            writer.write(canvas)
    truth = {
        "fps": fps,
        "width": w,
        "height": h,
        "hands": [[None if np.isnan(p[0]) else p.tolist() for p in plan] for plan in plans],
    }
    out.with_suffix(".json").write_text(json.dumps(truth), encoding="utf-8")
    return out


def _small_cutout(footage: Path) -> tuple[np.ndarray, np.ndarray]:
    """The footage's hand with a margin of its own background, at the synthetic hands' size
    (a palm about a tenth of the picture's height); its thumb tip in the patch."""
    patch, tip, _ = _hand_cutout(footage)
    scale = 0.6
    return cv2.resize(patch, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), tip * scale


def paste_hand_over(footage: Path, sample: Path, out: Path) -> Path:
    """A sample video with the real hand, cut out with a margin of its own background, pasted
    thumb on thumb over its stroking hand (whose arm still shows beside it, a second thing
    moving with the stroke that no hand model sees)."""
    patch, tip = _small_cutout(footage)
    truth = json.loads(sample.with_suffix(".json").read_text())["frames"]
    info = probe(sample)
    with VideoWriter(out, info.fps, info.width, info.height) as writer:
        for f in read_frames(sample):
            canvas = f.rgb.copy()
            thumb = truth[f.index]["thumb_px"] if f.index < len(truth) else None
            if thumb is not None:
                _paste(canvas, patch, np.array(thumb) - tip)
            writer.write(canvas)
    return out


def make_cutout_moving(footage: Path, technique: str, out: Path) -> tuple[Path, dict]:
    """The `moving` sample's scene (the body part shifting and turning, the background still)
    stroked by the real hand cut out with a margin of its own background: a patch whose
    corners move with the hand, outside the hand's outline. Writes the clip; returns it and
    its truth: calibration, each frame's thumb (pixels) and the body part's 2x3 motion."""
    import zlib

    from trainer.synth.actor import body_skin, cast
    from trainer.synth.animate import plan_for
    from trainer.synth.samples import FPS, SIZE
    from trainer.synth.scene import HOLDS, make_scene, with_detail
    from trainer.synth.staging import stage

    patch, tip = _small_cutout(footage)
    w, h = SIZE
    case = "moving"
    rng = np.random.default_rng([0, zlib.crc32(f"{technique}/{case}".encode())])
    plan_rng = np.random.default_rng([0, zlib.crc32(f"plan/{technique}/{case}".encode())])
    actor = cast(technique, h, rng, left=None)
    scene = make_scene(technique, w, h, rng, body_skin(actor.look.skin, rng))
    scene = with_detail(scene, np.random.default_rng([0, zlib.crc32(b"detail")]))
    lift = np.array(HOLDS[technique].lift_side)
    plan = plan_for(case, plan_rng)
    staging = stage(case, technique, actor, scene.path_px, lift, plan, SIZE, FPS, rng)
    thumbs, motion = [], []
    with VideoWriter(out, FPS, w, h) as writer:
        for i in range(len(staging.hands[0].motion.t)):
            canvas = np.clip(scene.moved(staging.matrices[i]) * 255.0, 0, 255).astype(np.uint8)
            (_, joints, _), *_ = staging.joints(i)
            _paste(canvas, patch, joints[4, :2] - tip)
            writer.write(canvas)
            thumbs.append(joints[4, :2].tolist())
            motion.append(staging.matrices[i].tolist())
    calibration = {"technique": technique, "points": scene.path.tolist()}
    return out, {"calibration": calibration, "thumb_px": thumbs, "motion": motion}


def fake_camera_file(video: Path, out: Path) -> Path:
    """video as raw y4m, the one format Chromium's fake camera plays (in a loop)."""
    info = probe(video)
    with VideoWriter(out, info.fps, info.width, info.height) as writer:
        for frame in read_frames(video):
            writer.write(frame.rgb)
    return out
