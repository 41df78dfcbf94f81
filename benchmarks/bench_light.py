"""Tracking as the light falls: the light curve, real footage, and what exposure costs.

`main()` is what `make bench` calls; `python benchmarks/bench_light.py` runs it alone.
1. The light curve: the same rendered strokes (each technique, two seeds) under warm,
   low-key light from daylight down to very dim, tracked with and without the exposure
   normalization; the share of frames in view with a hand found and the median thumb-tip
   error, printed and plotted into docs/light_curve.png.
2. Each clip of ../shared/footage/videos tracked with and without it.
3. What preparing one 640x480 frame costs (statistic, smoothing, lookup table).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from trainer.capture.exposure import Exposure, luminance
from trainer.capture.video import read_frames
from trainer.capture.video_tracking import track_video
from trainer.synth.accuracy import Accuracy, compare, pooled
from trainer.synth.animate import Pass, Plan
from trainer.synth.lighting import dim
from trainer.synth.samples import render
from trainer.synth.scene import TECHNIQUES

ROOT = Path(__file__).resolve().parent.parent
FOOTAGE = ROOT.parent / "shared" / "footage" / "videos"
PLOT = ROOT / "docs" / "light_curve.png"
LEVELS = (1.0, 0.3, 0.1, 0.05, 0.03, 0.02, 0.014, 0.01, 0.007, 0.005, 0.0035)
SEEDS = (21, 22)


def _clip_luminance(video: Path) -> float:
    """Median over frames of each frame's median luminance, as recorded."""
    return float(np.median([luminance(f.rgb) for f in read_frames(video)]))


def light_curve(levels=LEVELS, seeds=SEEDS) -> list[dict]:
    """Per light level: luminance, found share and median tip error, off and on."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for level in levels:
            scores: dict[bool, list[Accuracy]] = {False: [], True: []}
            lum = []
            for technique in TECHNIQUES:
                for seed in seeds:
                    video = Path(tmp) / f"{technique}_{seed}_{level}.mp4"
                    plan = Plan([Pass(3.0)])
                    truth = render(technique, plan, video, seed=seed, lighting=dim(level))
                    lum.append(_clip_luminance(video))
                    for on in (False, True):
                        scores[on].append(compare(track_video(video, exposure=on), truth))
            off, on = pooled(scores[False]), pooled(scores[True])
            rows.append(
                {
                    "level": level,
                    "luminance": float(np.median(lum)),
                    "found_off": off.detected_fraction,
                    "found_on": on.detected_fraction,
                    "error_off": off.median_share,
                    "error_on": on.median_share,
                }
            )
            r = rows[-1]
            print(
                f"  {level:>6.4g} {r['luminance']:>8.3f}   {r['found_off']:>6.1%} "
                f"{r['found_on']:>6.1%}   {r['error_off']:>7.2%} {r['error_on']:>7.2%}",
                flush=True,
            )
    return rows


def plot(rows: list[dict], out: Path = PLOT) -> Path:
    """Found share and tip error against the light level, without and with normalization."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levels = [r["level"] for r in rows]
    fig, (found, error) = plt.subplots(1, 2, figsize=(10, 4))
    for key, label, style in (("off", "as filmed", "o--"), ("on", "exposure normalized", "o-")):
        found.plot(levels, [100 * r[f"found_{key}"] for r in rows], style, label=label)
        error.plot(levels, [100 * r[f"error_{key}"] for r in rows], style, label=label)
    for ax in (found, error):
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.set_xlabel("light, share of daylight (log scale; dimmer to the right)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    found.set_ylabel("hand found, % of frames in view")
    found.set_ylim(0, 102)
    error.set_ylabel("median thumb-tip error, % of frame diagonal")
    fig.suptitle("Rendered strokes in warm, low-key light (foot and neck, two hands each)")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def footage() -> dict[str, tuple[float, float]]:
    """Each real clip's found share without and with the normalization."""
    out = {}
    for clip in sorted(FOOTAGE.glob("*.mp4")):
        off = track_video(clip, exposure=False).detected_fraction
        on = track_video(clip, exposure=True).detected_fraction
        out[clip.name] = off, on
        print(f"  {clip.name:<32} {off:>6.1%} {on:>6.1%}  {100 * (on - off):+5.1f} points")
    return out


def cost_per_frame(frames: int = 300) -> tuple[float, float]:
    """Median and 95th percentile ms to prepare a dark and changing 640x480 frame."""
    rng = np.random.default_rng(0)
    base = rng.integers(0, 60, (480, 640, 3), dtype=np.uint8)
    exposure = Exposure()
    times = []
    for i in range(frames):
        frame = np.roll(base, i, axis=1)
        started = time.perf_counter()
        exposure.prepare(frame, i / 30)
        times.append(time.perf_counter() - started)
    ms = 1000 * np.array(times[10:])
    return float(np.median(ms)), float(np.percentile(ms, 95))


def main() -> None:
    print("light curve (rendered strokes, warm low-key light):")
    print("  level luminance   found off/on   tip error off/on (% of diagonal)")
    rows = light_curve()
    print(f"  plotted into {plot(rows).relative_to(ROOT)}")
    if FOOTAGE.is_dir():
        print("real footage, hand found without / with exposure normalization:")
        footage()
    median, p95 = cost_per_frame()
    print(f"exposure normalization per 640x480 frame: median {median:.3f} ms, p95 {p95:.3f} ms")


if __name__ == "__main__":
    main()
