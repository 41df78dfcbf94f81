"""Rendering sample videos with their ground truth: one case, or the whole sample set."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from trainer.capture.video import VideoWriter
from trainer.core.base.errors import TrainerError
from trainer.core.hands import THUMB_TIP, WRIST
from trainer.synth.actor import body_skin, cast
from trainer.synth.animate import CASES, FAULTS, OFF_LINE, PARTIAL, Plan, plan_for
from trainer.synth.lighting import Lighting, Room, dim, nearest_tone
from trainer.synth.render import SKIN_TONES, Grain, draw_hand
from trainer.synth.scene import HOLDS, TECHNIQUES, make_scene, with_detail
from trainer.synth.staging import SHOWS as STAGED_SHOWS
from trainer.synth.staging import STAGES, stage
from trainer.synth.truth import GroundTruth

SIZE = (640, 360)
FPS = 25.0
DAYLIGHT = Lighting()
DIM_LEVEL = 0.03  # light of the dim samples, relative to daylight


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

    Cases of `staging.STAGES` add a second hand or move the body part (see `staging.stage`).
    The same seed and case give the same hands, scene and motion under any `lighting`.
    """
    w, h = size
    rng = np.random.default_rng([seed, zlib.crc32(f"{technique}/{case}".encode())])
    actor = cast(technique, h, rng, left=False if case == "two_hands" else None)
    skin = body_skin(actor.look.skin, rng)
    if lighting.skin_on_skin:
        skin = nearest_tone(actor.look.skin, SKIN_TONES)
    scene = make_scene(technique, w, h, rng, skin)
    if case == "moving":
        scene = with_detail(scene, np.random.default_rng([seed, zlib.crc32(b"detail")]))
    lift_side = np.array(HOLDS[technique].lift_side)
    staging = stage(case, technique, actor, scene.path_px, lift_side, plan, size, fps, rng)
    grain = Grain(w, h, rng, sigma=lighting.noise_sigma)
    room = Room(lighting, technique, size, scene.path_px.mean(axis=0), seed)
    n = len(staging.hands[0].motion.t)
    hands = np.zeros((n, len(staging.hands), 2, 2))
    with VideoWriter(video, fps, w, h) as writer:
        for i in range(n):
            moving = staging.matrices is not None
            canvas = scene.moved(staging.matrices[i]) if moving else scene.image.copy()
            for k, (who, joints, scale) in enumerate(staging.joints(i)):
                draw_hand(canvas, joints, scale, who.look)
                hands[i, len(staging.hands) - 1 - k] = joints[[THUMB_TIP, WRIST], :2]
            room.light(canvas, float(staging.hands[0].motion.t[i]))
            writer.write(grain.finish(canvas))
    truth = _truth(technique, case, seed, scene.path, plan, staging, hands, fps, size)
    return replace(truth, light=None if lighting.plain else lighting.to_dict())


def _truth(technique, case, seed, path, plan, staging, hands, fps, size) -> GroundTruth:
    """The truth of a rendered video (in daylight): the judged thumb on screen and every
    hand's."""
    w, h = size
    main = staging.hands[0].motion
    thumb = hands[:, 0, 0] if staging.matrices is not None else main.thumb_px
    inside = (thumb >= 0).all(axis=1) & (thumb < [w, h]).all(axis=1)
    several = len(staging.hands) > 1
    return GroundTruth(
        technique=technique,
        case=case,
        fps=fps,
        width=w,
        height=h,
        seed=seed,
        calibration={"technique": technique, "points": np.round(path, 4).tolist()},
        expected={
            "faults": list(plan.faults),
            "passes": len(plan.passes),
            "direction_ok": plan.direction_ok,
        },
        t=main.t,
        thumb_px=np.where(inside[:, None], thumb, np.nan),
        stroke=main.stroke,
        hands=hands if several else None,
        roles=tuple(hand.role for hand in staging.hands),
        sides=tuple(hand.side for hand in staging.hands),
        transforms=staging.matrices,
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
    **STAGED_SHOWS,
}


def render_case(technique: str, case: str, out_dir: str | Path, *, seed: int = 0) -> GroundTruth:
    """Render `<technique>_<case>.mp4` and its `.json` ground truth into out_dir."""
    rng = np.random.default_rng([seed, zlib.crc32(f"plan/{technique}/{case}".encode())])
    video = Path(out_dir) / f"{technique}_{case}.mp4"
    lighting = dim(DIM_LEVEL) if case == "dim" else DAYLIGHT
    truth = render(technique, plan_for(case, rng), video, seed=seed, case=case, lighting=lighting)
    truth.save(video.with_suffix(".json"))
    return truth


def cases_of(technique: str) -> tuple[str, ...]:
    """The sample cases of a technique: a correct attempt, each mistake, its staged cases."""
    return (*CASES, *STAGES.get(technique, ()))


def make_samples(
    out_dir: str | Path,
    *,
    seed: int = 0,
    techniques: Iterable[str] = TECHNIQUES,
    cases: Iterable[str] | None = None,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Render the sample set (every case of every technique, or the given cases where they
    apply) and its README; returns the videos."""
    techniques = list(techniques)
    every = sorted({c for t in TECHNIQUES for c in cases_of(t)}, key=list(FAULTS).index)
    given = every if cases is None else list(cases)
    for name, known, asked in (("technique", TECHNIQUES, techniques), ("case", every, given)):
        unknown = sorted(set(asked) - set(known))
        if unknown:
            raise TrainerError(f"unknown {name} {unknown[0]!r}; expected one of {', '.join(known)}")
    out = Path(out_dir)
    truths = []
    for technique in techniques:
        for case in (c for c in given if c in cases_of(technique)):
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
        "Staged samples: with two hands in view (`_held`, `_two_hands`) the truth lists every",
        "hand (`hands`: its role, `stroke` or `hold`, and the path lengths its line lies beside",
        "the path) and per frame `hands_px` (thumb tip x, y, wrist x, y of each, the judged hand",
        "first). When the body part moves (`_moving`, its skin freckled so it can be followed)",
        "each frame has the body part's `transform` (2x3, first frame -> this frame, pixels) and",
        "the `path` where it is then (normalized); the calibration is the first frame's.",
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
