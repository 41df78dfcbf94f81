"""Render speed of the synthetic videos: frames per second for each technique, H.264 included.

`main()` is what `make bench` calls; `python benchmarks/bench_render.py` runs it alone.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from trainer.synth.animate import Pass, Plan
from trainer.synth.samples import render
from trainer.synth.scene import TECHNIQUES


def main(seconds: float = 4.0) -> dict[str, float]:
    """Render a one-pass clip per technique; print and return frames per second."""
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for technique in TECHNIQUES:
            started = time.perf_counter()
            truth = render(technique, Plan([Pass(seconds)]), Path(tmp) / "clip.mp4", seed=1)
            elapsed = time.perf_counter() - started
            rates[technique] = len(truth.t) / elapsed
            print(
                f"render {technique:<18} {len(truth.t)} frames 640x360 in {elapsed:.1f} s:"
                f" {rates[technique]:.0f} fps ({1000 / rates[technique]:.0f} ms/frame)"
            )
    return rates


if __name__ == "__main__":
    main()
