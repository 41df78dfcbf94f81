"""Rendering sample videos with their ground truth: one case, or the whole sample set."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainer.errors import TrainerError
from trainer.synth.animate import CASES, Plan, animate, plan_for
from trainer.synth.hand import GRIPS, jitter, place, pose, roll_toward, rotation
from trainer.synth.render import SKIN_TONES, HandLook, draw_hand, finish
from trainer.synth.scene import HOLDS, TECHNIQUES, make_scene
from trainer.synth.truth import GroundTruth
from trainer.video import VideoWriter

SIZE = (640, 360)
FPS = 25.0
SLEEVES = ((40, 52, 84), (30, 30, 34), (120, 40, 40), (200, 200, 205), (60, 100, 70))


@dataclass(frozen=True)
class Actor:
    """The massaging hand of one video: which hand, how it looks, how big, how it is held."""

    left: bool
    look: HandLook
    scale: float
    joints: np.ndarray
    roll: float
    pitch: float
    yaw: float


def _actor(grip: str, toward_hand: np.ndarray, height: int, rng: np.random.Generator) -> Actor:
    left = bool(rng.random() < 0.5)
    look = HandLook(
        SKIN_TONES[rng.choice(list(SKIN_TONES))],
        width=float(rng.uniform(0.95, 1.1)),
        sleeve=tuple(int(c) for c in SLEEVES[rng.integers(len(SLEEVES))]),
    )
    joints = pose(jitter(GRIPS[grip], rng, 5.0), left=left)
    pitch, yaw = np.radians(rng.uniform(10, 22)), np.radians(rng.uniform(-10, 10))
    turn = np.radians(rng.uniform(-20, 20))
    c, s = np.cos(turn), np.sin(turn)
    toward = np.array([[c, -s], [s, c]]) @ toward_hand
    roll = roll_toward(joints, toward, pitch, yaw)
    return Actor(left, look, float(rng.uniform(0.25, 0.3)) * height, joints, roll, pitch, yaw)


def _body_skin(hand_skin: tuple[int, int, int], rng: np.random.Generator):
    """A skin tone for the body part that differs from the hand's."""
    tones = [t for t in SKIN_TONES.values() if abs(sum(t) - sum(hand_skin)) > 60]
    return tones[rng.integers(len(tones))]


def render(
    technique: str,
    plan: Plan,
    video: str | Path,
    *,
    seed: int = 0,
    case: str = "custom",
    size: tuple[int, int] = SIZE,
    fps: float = FPS,
) -> GroundTruth:
    """Render `plan` on the technique's scene to `video` (H.264 mp4) and return its truth."""
    w, h = size
    rng = np.random.default_rng([seed, zlib.crc32(f"{technique}/{case}".encode())])
    if technique not in HOLDS:
        raise TrainerError(f"unknown technique {technique!r}; expected one of {', '.join(HOLDS)}")
    hold = HOLDS[technique]
    actor = _actor(hold.grip, np.array(hold.toward_hand), h, rng)
    scene = make_scene(technique, w, h, rng, _body_skin(actor.look.skin, rng))
    motion = animate(plan, scene.path_px, np.array(hold.toward_hand), size, fps, rng)
    with VideoWriter(video, fps, w, h) as writer:
        for xy, lift, (roll, pitch, yaw) in zip(
            motion.thumb_px, motion.lift, motion.turn, strict=True
        ):
            canvas = scene.image.copy()
            scale = actor.scale * (1 + 0.08 * lift)
            rot = rotation(actor.roll + roll, actor.pitch + pitch, actor.yaw + yaw)
            draw_hand(canvas, place(actor.joints, xy, scale, rot), scale, actor.look)
            writer.write(finish(canvas, rng))
    inside = (motion.thumb_px >= 0).all(axis=1) & (motion.thumb_px < [w, h]).all(axis=1)
    return GroundTruth(
        technique=technique,
        case=case,
        fps=fps,
        width=w,
        height=h,
        seed=seed,
        calibration={"technique": technique, "points": np.round(scene.path, 4).tolist()},
        expected={
            "faults": list(plan.faults),
            "passes": len(plan.passes),
            "direction_ok": plan.direction_ok,
        },
        t=motion.t,
        thumb_px=np.where(inside[:, None], motion.thumb_px, np.nan),
        stroke=motion.stroke,
    )


def render_case(technique: str, case: str, out_dir: str | Path, *, seed: int = 0) -> Path:
    """Render `<technique>_<case>.mp4` and its `.json` ground truth into out_dir."""
    rng = np.random.default_rng([seed, zlib.crc32(f"plan/{technique}/{case}".encode())])
    video = Path(out_dir) / f"{technique}_{case}.mp4"
    truth = render(technique, plan_for(case, rng), video, seed=seed, case=case)
    truth.save(video.with_suffix(".json"))
    return video


def make_samples(
    out_dir: str | Path,
    *,
    seed: int = 0,
    techniques: Iterable[str] = TECHNIQUES,
    cases: Iterable[str] = CASES,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Render the sample set: every case of every technique; returns the video paths."""
    videos = []
    for technique in techniques:
        for case in cases:
            videos.append(render_case(technique, case, out_dir, seed=seed))
            if progress:
                progress(videos[-1])
    return videos
