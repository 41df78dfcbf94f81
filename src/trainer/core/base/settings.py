"""Settings read from the environment, the one place the package reads it.

TRAINER_DATA_DIR, TRAINER_DATABASE_URL, TRAINER_MAX_UPLOAD_MB, TRAINER_MODEL,
TRAINER_SAMPLES_DIR, TRAINER_ICE_SERVERS, TRAINER_EXPOSURE, TRAINER_MIRROR, TRAINER_CLOCK_SCALE,
the review jobs' TRAINER_JOB_WORKERS, TRAINER_JOB_TRIES, TRAINER_WORKER_HEARTBEAT_S and
TRAINER_DISK_MARGIN_MB, how long a login lasts (TRAINER_LOGIN_HOURS), XDG_DATA_HOME and the
limits on input (LIMITS below: TRAINER_MAX_VIDEO_S and the like); callers take
`Settings.from_env()`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from trainer.core.base.errors import TrainerError

DEFAULT_MAX_UPLOAD_MB = 200
MODEL_FILE = "hand_landmarker.task"
# A source checkout keeps the hand model in models/ next to src/.
CHECKOUT_MODELS = Path(__file__).resolve().parents[4] / "models"
SWITCH = {"1": True, "on": True, "true": True, "yes": True}
SWITCH |= {"0": False, "off": False, "false": False, "no": False}


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """The per-user data directory: $XDG_DATA_HOME/trainer, else ~/.local/share/trainer."""
    xdg = environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "trainer"


def default_model_path(environ: Mapping[str, str]) -> Path:
    """`TRAINER_MODEL`, else `models/` of a source checkout, else the user's data folder."""
    if named := environ.get("TRAINER_MODEL"):
        return Path(named)
    if CHECKOUT_MODELS.is_dir():
        return CHECKOUT_MODELS / MODEL_FILE
    return default_data_dir(environ) / "models" / MODEL_FILE


# What one file may ask of the trainer, so no file can exhaust it: field -> its variable.
LIMITS = {
    "max_video_s": "TRAINER_MAX_VIDEO_S",
    "max_gap_s": "TRAINER_MAX_GAP_S",
    "max_frames": "TRAINER_MAX_FRAMES",
    "max_frame_pixels": "TRAINER_MAX_FRAME_PIXELS",
    "max_json_mb": "TRAINER_MAX_JSON_MB",
    "max_json_depth": "TRAINER_MAX_JSON_DEPTH",
    "lock_wait_s": "TRAINER_LOCK_WAIT_S",
    "keep_days": "TRAINER_KEEP_DAYS",
    "max_class_videos": "TRAINER_MAX_CLASS_VIDEOS",
    "max_class_mb": "TRAINER_MAX_CLASS_MB",
    "max_queued_jobs": "TRAINER_MAX_QUEUED_JOBS",
    "worker_idle_s": "TRAINER_WORKER_IDLE_S",
}


def _positive(environ: Mapping[str, str], name: str, kind: type[int] | type[float]) -> Any:
    """A positive whole number (kind int) or number from the variable; None when not set."""
    raw = environ.get(name)
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise TrainerError(f"{name} must be {what}, got {raw!r}") from None
    if not 0 < value < float("inf"):
        raise TrainerError(f"{name} must be positive, got {raw}")
    return value


def _ice_servers(environ: Mapping[str, str]) -> tuple[dict[str, Any], ...]:
    raw = environ.get("TRAINER_ICE_SERVERS") or "[]"
    try:
        servers = json.loads(raw)
    except json.JSONDecodeError as e:
        raise TrainerError(f"TRAINER_ICE_SERVERS is not valid JSON ({e.msg})") from None
    if not isinstance(servers, list) or not all(isinstance(s, dict) for s in servers):
        raise TrainerError('TRAINER_ICE_SERVERS must be a JSON list of {"urls": [...]} objects')
    return tuple(servers)


@dataclass(frozen=True)
class Settings:
    """Where things are and what the app allows; the defaults are an empty environment's.

    Attributes:
        data_dir: folder for the SQLite file and the videos the user chose to keep (absolute).
        database_url: any SQLAlchemy URL; default an SQLite file in data_dir.
        max_upload_mb: largest video the app accepts, in megabytes.
        model_path: the hand model file (`hand_landmarker.task`).
        samples_dir: the app's sample videos; relative paths are from where the app runs.
        ice_servers: WebRTC ICE servers for the live page; none, so WebRTC never reaches for a
            public STUN server (host candidates are enough on one machine or a LAN).
        clock_scale: how much faster a guided session's clocks run (a test setting).
        mirror: show the camera mirrored like a selfie, by default.
        exposure: brighten dark frames for the hand model (TRAINER_EXPOSURE=off to compare).
        job_workers: local worker processes for review jobs on this machine (default: cores).
        job_tries: runs of a review job before it fails for good (a worker lost counts).
        worker_heartbeat_s: how often a worker says it is alive; one silent for three times
            that is taken for dead and its job is run again.
        worker_idle_s: how long a local worker the app or the CLI started waits for the next
            job before it leaves: while it waits, a new review starts within a poll (0.1 s)
            instead of after a new process has loaded the hand model's libraries.
        disk_margin_mb: free disk space an upload must leave in the data directory.
        max_video_s, max_gap_s: longest video (or track) and longest gap between two frames, s.
        max_frames: most frames in a video or track; max_frame_pixels: largest frame (w * h).
        max_json_mb, max_json_depth: largest JSON file read, and its deepest nesting.
        lock_wait_s: how long to wait for a database another process is writing to.
        login_hours: how long a login in a browser lasts before its owner logs in again.
        keep_days: how long an annotated copy not asked to be kept, and the upload of a
            failed or cancelled job, stay before the workers' clean-up removes them.
        max_class_videos, max_class_mb: most videos, and most MB in all, of one class upload.
        max_queued_jobs: most jobs of one person waiting at once.
    """

    data_dir: Path
    database_url: str
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    model_path: Path = field(default_factory=lambda: default_model_path({}))
    samples_dir: Path = Path("sample_videos")
    ice_servers: tuple[dict[str, Any], ...] = ()
    clock_scale: float = 1.0
    mirror: bool = True
    exposure: bool = True
    job_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    job_tries: int = 3
    worker_heartbeat_s: float = 10.0
    worker_idle_s: float = 300.0
    disk_margin_mb: int = 500
    max_video_s: float = 2 * 3600.0
    max_gap_s: float = 60.0
    max_frames: int = 432_000  # two hours at 60 frames/s
    max_frame_pixels: int = 7680 * 4320  # 8K
    max_json_mb: float = 256.0
    max_json_depth: int = 32
    lock_wait_s: float = 10.0
    login_hours: float = 12.0
    keep_days: float = 7.0
    max_class_videos: int = 60
    max_class_mb: int = 2000
    max_queued_jobs: int = 100

    def __post_init__(self) -> None:
        # Absolute once, here, so a later chdir cannot move the data or the SQLite file.
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser().resolve())

    @property
    def video_dir(self) -> Path:
        return self.data_dir / "videos"

    def child_environ(self, **extra: str) -> dict[str, str]:
        """The environment for a worker process on these settings; the rest is inherited."""
        return {
            **os.environ,
            "TRAINER_DATA_DIR": str(self.data_dir),
            "TRAINER_DATABASE_URL": self.database_url,
            "TRAINER_MODEL": str(self.model_path),
            "TRAINER_JOB_WORKERS": str(self.job_workers),
            "TRAINER_JOB_TRIES": str(self.job_tries),
            "TRAINER_WORKER_HEARTBEAT_S": str(self.worker_heartbeat_s),
            "TRAINER_WORKER_IDLE_S": str(self.worker_idle_s),
            "TRAINER_DISK_MARGIN_MB": str(self.disk_margin_mb),
            "TRAINER_KEEP_DAYS": str(self.keep_days),
            "TRAINER_MAX_QUEUED_JOBS": str(self.max_queued_jobs),
            **extra,
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the environment (default os.environ); a bad value is a TrainerError naming it."""
        env = os.environ if environ is None else environ
        named_dir = env.get("TRAINER_DATA_DIR")
        data_dir = Path(named_dir or default_data_dir(env)).expanduser().resolve()
        kinds = {f.name: f.type for f in fields(cls)}
        limits = {
            name: value
            for name, variable in LIMITS.items()
            if (value := _positive(env, variable, int if kinds[name] == "int" else float))
        }
        return cls(
            data_dir=data_dir,
            database_url=env.get("TRAINER_DATABASE_URL") or f"sqlite:///{data_dir / 'trainer.db'}",
            max_upload_mb=_positive(env, "TRAINER_MAX_UPLOAD_MB", int) or DEFAULT_MAX_UPLOAD_MB,
            model_path=default_model_path(env),
            samples_dir=Path(env.get("TRAINER_SAMPLES_DIR") or "sample_videos"),
            ice_servers=_ice_servers(env),
            clock_scale=_positive(env, "TRAINER_CLOCK_SCALE", float) or 1.0,
            mirror=_switch("TRAINER_MIRROR", env.get("TRAINER_MIRROR") or "1"),
            exposure=_switch("TRAINER_EXPOSURE", env.get("TRAINER_EXPOSURE") or "on"),
            job_workers=_positive(env, "TRAINER_JOB_WORKERS", int) or os.cpu_count() or 1,
            job_tries=_positive(env, "TRAINER_JOB_TRIES", int) or 3,
            worker_heartbeat_s=_positive(env, "TRAINER_WORKER_HEARTBEAT_S", float) or 10.0,
            disk_margin_mb=_positive(env, "TRAINER_DISK_MARGIN_MB", int) or 500,
            login_hours=_positive(env, "TRAINER_LOGIN_HOURS", float) or 12.0,
            **limits,
        )


def _switch(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in SWITCH:
        return SWITCH[value]
    raise TrainerError(f"{name} must be 1 or 0 (on or off), got {raw!r}")
