"""Hostile files and a way to run the trainer on them: a separate process, its peak memory and
time measured, its address space capped so a blow-up ends as a failure, not a frozen machine."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from conftest import ROOT

SAMPLE = ROOT / "sample_videos" / "foot-spine-line_correct.mp4"
ADDRESS_SPACE = 3 << 30  # bytes a run may map: MediaPipe needs ~1.5 GB; a blow-up asks for more


@dataclass(frozen=True)
class Outcome:
    """How one run of the trainer ended."""

    code: int | None  # None: killed at the time limit
    out: str
    err: str
    peak_mb: float  # the process's peak resident memory
    seconds: float

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    def clean(self) -> bool:
        """Exit 0 or 2, at most one line on stderr, no traceback."""
        return self.code in (0, 2) and len(self.err_lines) <= 1 and "Traceback" not in self.err


# The child caps its own address space and reports its own peak (VmHWM counts from exec: a
# forked child's ru_maxrss would count the parent's pages it shared before exec).
CHILD = """
import atexit, resource, sys
where, limit = sys.argv[1], int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

def report():
    with open("/proc/self/status") as status, open(where, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")).split()[1])

atexit.register(report)
from trainer.cli import main
sys.argv = ["trainer", *sys.argv[3:]]
sys.exit(main())
"""


def run_trainer(*args: object, env: dict[str, str] | None = None, timeout: float = 120) -> Outcome:
    """`trainer args` in a new process; its exit code, output, peak RSS and time."""
    environ = {
        **os.environ,
        "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src"),
        "TRAINER_MODEL": os.environ.get("TRAINER_MODEL", str(ROOT / "models/hand_landmarker.task")),
        **(env or {}),
    }
    started = time.perf_counter()
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r") as peak,
    ):
        command = [sys.executable, "-c", CHILD, peak.name, str(ADDRESS_SPACE), *map(str, args)]
        proc = subprocess.Popen(
            command, env=environ, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            code = None
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        reported = peak.read().strip()
        peak_mb = int(reported) / 1024 if reported else float("inf")
        return Outcome(code, out.read(), err.read(), peak_mb, seconds)


def retimed(src: Path, dst: Path, after_s: float, shift_s: float) -> Path:
    """A copy of src (no re-encoding) whose frames from after_s on are stamped shift_s later."""
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        stream = inp.streams.video[0]
        copy = out.add_stream_from_template(stream)
        shift = round(shift_s / stream.time_base)
        cut = round(after_s / stream.time_base)
        for packet in inp.demux(stream):
            if packet.dts is None:
                continue
            if packet.dts >= cut:
                packet.dts += shift
                packet.pts += shift
            packet.stream = copy
            out.mux(packet)
    return dst


def still_video(dst: Path, width: int, height: int, frames: int, fps: int = 10) -> Path:
    """Grey frames of width x height in Motion JPEG (any size, small files)."""
    with av.open(str(dst), "w") as out:
        stream = out.add_stream("mjpeg", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuvj420p"
        rng = np.random.default_rng(0)
        frame = np.full((height, width, 3), 128, np.uint8)
        for _ in range(frames):
            frame[:64, :64] = rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return dst


def tiny_video(dst: Path, frames: int = 3) -> Path:
    """A real, tiny video (64x64, H.264 in mp4, or what dst's suffix names)."""
    from trainer.capture.video import VideoWriter

    with VideoWriter(dst, 10, 64, 64) as writer:
        for k in range(frames):
            writer.write(np.full((64, 64, 3), 40 * k, np.uint8))
    return dst
