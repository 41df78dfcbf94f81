"""Rendering sample videos with their ground truth: one case, or the whole sample set."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainer.capture.video import VideoWriter
from trainer.core.errors import TrainerError
from trainer.synth.animate import CASES, OFF_LINE, PARTIAL, Plan, animate, plan_for
from trainer.synth.hand import GRIPS, jitter, place, pose, roll_toward, rotation, toward_palm
from trainer.synth.lighting import Lighting, Room, dim, nearest_tone
from trainer.synth.render import SKIN_TONES, Grain, HandLook, draw_hand
from trainer.synth.scene import HOLDS, TECHNIQUES, make_scene
from trainer.synth.truth import GroundTruth

SIZE = (640, 360)
FPS = 25.0
LIFT_NEARER = 0.12  # a lifted hand is this much larger: nearer the camera
DAYLIGHT = Lighting()
DIM_LEVEL = 0.03  # light of the dim samples, relative to daylight
SLEEVES = ((40, 52, 84), (30, 30, 34), (120, 40, 40), (200, 200, 205), (60, 100, 70))


@dataclass(frozen=True)
class Actor:
    """The massaging hand of one video: how it looks, how big, how it is posed and held.

    `joints` (21, 3) is the posed hand (a left hand mirrored) in the hand frame.
    """

    look: HandLook
    scale: float
    joints: np.ndarray
    roll: float
    pitch: float
    yaw: float

    def at(self, thumb_px: np.ndarray, lift: float, turn: np.ndarray) -> tuple[np.ndarray, float]:
        """Screen joints (21, 3) and palm length in px with the thumb tip at `thumb_px`.

        `lift` 0..1 brings the hand nearer the camera; `turn` (3,) adds roll, pitch and yaw.
        """
        scale = self.scale * (1 + LIFT_NEARER * lift)
        rot = rotation(self.roll + turn[0], self.pitch + turn[1], self.yaw + turn[2])
        return place(self.joints, thumb_px, scale, rot), scale

    @property
    def toward_hand(self) -> np.ndarray:
        """(2,) screen direction from the thumb tip to the palm, at rest."""
        return toward_palm(self.at(np.zeros(2), 0.0, np.zeros(3))[0])


def cast(technique: str, height: int, rng: np.random.Generator) -> Actor:
    """A random hand for the technique: either side, any skin tone, size and a natural pose."""
    if technique not in HOLDS:
        raise TrainerError(f"unknown technique {technique!r}; expected one of {', '.join(HOLDS)}")
    grip, toward_hand = HOLDS[technique].grip, np.array(HOLDS[technique].toward_hand)
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
    roll = roll_toward(joints, np.array([[c, -s], [s, c]]) @ toward_hand, pitch, yaw)
    return Actor(look, float(rng.uniform(0.25, 0.3)) * height, joints, roll, pitch, yaw)


def body_skin(hand_skin: tuple[int, int, int], rng: np.random.Generator):
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
    lighting: Lighting = DAYLIGHT,
) -> GroundTruth:
    """Render `plan` on the technique's scene to `video` (H.264 mp4) and return its truth.

    The same seed and case give the same hand, scene and motion under any `lighting`.
    """
    w, h = size
    rng = np.random.default_rng([seed, zlib.crc32(f"{technique}/{case}".encode())])
    actor = cast(technique, h, rng)
    skin = body_skin(actor.look.skin, rng)
    if lighting.skin_on_skin:
        skin = nearest_tone(actor.look.skin, SKIN_TONES)
    scene = make_scene(technique, w, h, rng, skin)
    lift_side = np.array(HOLDS[technique].lift_side)
    motion = animate(plan, scene.path_px, lift_side, -actor.toward_hand, size, fps, rng)
    grain = Grain(w, h, rng, sigma=lighting.noise_sigma)
    room = Room(lighting, technique, size, scene.path_px.mean(axis=0), seed)
    with VideoWriter(video, fps, w, h) as writer:
        for t, xy, lift, turn in zip(
            motion.t, motion.thumb_px, motion.lift, motion.turn, strict=True
        ):
            canvas = scene.image.copy()
            joints, scale = actor.at(xy, lift, turn)
            draw_hand(canvas, joints, scale, actor.look)
            room.light(canvas, float(t))
            writer.write(grain.finish(canvas))
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
        light=None if lighting.plain else lighting.to_dict(),
    )


SHOWS = {
    "correct": "a correct attempt: 3 passes start -> end, 3.0-3.6 s each, on the line",
    "reversed": "3 passes on the line, but end -> start",
    "off_line": f"3 passes start -> end, {OFF_LINE:.2f} path lengths beside the line",
    "too_fast": "5 passes start -> end of 0.7-0.95 s each",
    "too_slow": "1 slow pass start -> end of 14-15 s (over 10 s of clear movement)",
    "partial": f"3 passes covering only the first {PARTIAL:.0%} of the line",
    "hand_lost": "3 correct passes; after the 2nd the hand leaves the picture for over 2 s",
    "dim": (
        f"a correct attempt in a dim room: warm low-key light at {DIM_LEVEL:.0%} of daylight,"
        " skin on skin, candles behind, a noisy camera"
    ),
}


def render_case(technique: str, case: str, out_dir: str | Path, *, seed: int = 0) -> GroundTruth:
    """Render `<technique>_<case>.mp4` and its `.json` ground truth into out_dir."""
    rng = np.random.default_rng([seed, zlib.crc32(f"plan/{technique}/{case}".encode())])
    video = Path(out_dir) / f"{technique}_{case}.mp4"
    lighting = dim(DIM_LEVEL) if case == "dim" else DAYLIGHT
    truth = render(technique, plan_for(case, rng), video, seed=seed, case=case, lighting=lighting)
    truth.save(video.with_suffix(".json"))
    return truth


def make_samples(
    out_dir: str | Path,
    *,
    seed: int = 0,
    techniques: Iterable[str] = TECHNIQUES,
    cases: Iterable[str] = CASES,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Render the sample set (every case of every technique) and its README; returns videos."""
    techniques, cases = list(techniques), list(cases)
    for name, known, given in (("technique", TECHNIQUES, techniques), ("case", CASES, cases)):
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise TrainerError(f"unknown {name} {unknown[0]!r}; expected one of {', '.join(known)}")
    out = Path(out_dir)
    truths = []
    for technique in techniques:
        for case in cases:
            truths.append(render_case(technique, case, out, seed=seed))
            if progress:
                progress(out / f"{technique}_{case}.mp4")
    (out / "README.md").write_text(readme(truths))
    return [out / f"{t.technique}_{t.case}.mp4" for t in truths]


def readme(truths: list[GroundTruth]) -> str:
    """The sample folder's README: what each video shows and what a checker should say."""
    seeds = sorted({t.seed for t in truths})
    lines = [
        "# Sample videos",
        "",
        "Synthetic massage strokes with a known thumb path, made by",
        f"`trainer samples make --out sample_videos --seed {seeds[0]}` (do not edit by hand).",
        "A drawn hand, posed from a real hand's 21 landmarks, strokes the technique's line",
        "(the default framing guide) with a minimum-jerk speed profile, lifting between passes.",
        "Each `.mp4` (H.264) has a `.json` ground truth beside it: per frame the time, the thumb",
        "tip in pixels and normalized (null while out of the picture) and the pass number; the",
        "calibration line; and the expected verdict. Start -> end is heel -> big toe for",
        "`foot-spine-line` and hairline -> base of the neck for `neck-back-stroke`.",
        "Hand (left or right), skin tones, sizes and backgrounds vary with the seed.",
        "",
        "| video | what it shows | expected faults | passes | direction ok | length |",
        "|---|---|---|---|---|---|",
    ]
    for t in truths:
        faults = ", ".join(f"`{f}`" for f in t.expected["faults"]) or "none"
        lines.append(
            f"| `{t.technique}_{t.case}.mp4` | {SHOWS[t.case]} | {faults} "
            f"| {t.expected['passes']} | {'yes' if t.expected['direction_ok'] else 'no'} "
            f"| {len(t.t) / t.fps:.1f} s |"
        )
    return "\n".join(lines) + "\n"
