"""Review jobs in tests: sample videos with their ground-truth paths, worker processes, waits on
the job's row (never on time alone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from conftest import ROOT, require
from trainer.capture.video import VideoWriter
from trainer.core.base.settings import Settings
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import Job, JobSpec

SAMPLES = ROOT / "sample_videos"
WAIT_S = 300  # generous: the machine is shared; every wait is for a state, never a duration


def sample(name: str) -> Path:
    """A bundled sample video (sample_videos/NAME.mp4)."""
    return require(SAMPLES / f"{name}.mp4", "sample videos (make samples)")


def truth_calibration(video: Path) -> dict:
    """The path a sample was rendered along, from its ground-truth JSON."""
    return json.loads(video.with_suffix(".json").read_text())["calibration"]


def spec(video: Path, person: str = "ana", technique: str | None = None, **kw) -> JobSpec:
    """A job for a sample video (named after its technique), judged on its true path."""
    technique = technique or video.stem.split("_")[0]
    if (video.with_suffix(".json")).is_file():
        calibration = truth_calibration(video)
    else:
        calibration = {"technique": technique, "points": [[0.2, 0.6], [0.8, 0.6]]}
    return JobSpec(person, technique, calibration, video.name, **kw)


def handless_video(path: Path, frames: int = 20) -> Path:
    """A short video of a plain grey wall: no hand in it."""
    with VideoWriter(path, 10, 320, 240) as w:
        for _ in range(frames):
            w.write(np.full((240, 320, 3), 200, np.uint8))
    return path


def job_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a `trainer` process on the settings' store, this checkout's code."""
    src = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    return settings.child_environ(PYTHONPATH=src, **extra)


def start_worker(settings: Settings, *args: str, log: Path | None = None) -> subprocess.Popen:
    """A `trainer worker` process on the settings' store."""
    out = log.open("a") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "trainer", "worker", *args],
        env=job_env(settings),
        stdout=out,
        stderr=subprocess.STDOUT,
    )


def wait_for(jobs: JobStore, job_id: int, ready: Callable[[Job], bool], what: str) -> Job:
    """The job once ready(job) holds; fails after WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        job = jobs.get(job_id)
        if ready(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} never {what}: {jobs.get(job_id)}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
