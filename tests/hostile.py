"""Hostile files and a way to run the trainer on them: a separate process, its peak memory and
time measured, its address space capped so a blow-up ends as a failure, not a frozen machine."""

from __future__ import annotations

import os
import resource
import signal
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


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_trainer(*args: object, env: dict[str, str] | None = None, timeout: float = 120) -> Outcome:
    """`python -m trainer args` in a new process; its exit code, output, peak RSS and time."""
    environ = {
        **os.environ,
        "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src"),
        "TRAINER_MODEL": os.environ.get("TRAINER_MODEL", str(ROOT / "models/hand_landmarker.task")),
        **(env or {}),
    }
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "trainer", *map(str, args)],
            env=environ,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            preexec_fn=_cap,
        )
        code, peak = _wait(proc, timeout)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Outcome(code, out.read(), err.read(), peak / 1024, seconds)


def _wait(proc: subprocess.Popen, timeout: float) -> tuple[int | None, int]:
    """Wait for the process (kill it at the timeout); its exit code and peak RSS in KiB."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage.ru_maxrss
        if time.monotonic() > deadline:
            proc.send_signal(signal.SIGKILL)
            _, _, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            return None, usage.ru_maxrss
        time.sleep(0.05)


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
