"""Making review jobs: everything checked before anything is stored, then one job per video,
queued (PostgreSQL) or picked up by this machine's workers (SQLite)."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer.core.base.errors import JobError
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.technique import load_technique
from trainer.jobs import local
from trainer.store.jobs.job_store import Enqueue, JobStore
from trainer.store.jobs.records import Job, JobSpec

VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".avi", ".mkv", ".m4v", ".gif")
MB = 1_000_000  # as TRAINER_MAX_UPLOAD_MB counts


def check_class_upload(settings: Settings, count: int, total_bytes: int) -> None:
    """Refuse a class upload over TRAINER_MAX_CLASS_VIDEOS videos or TRAINER_MAX_CLASS_MB in
    all: every upload is held in the app's memory until its job has copied it."""
    if count > settings.max_class_videos:
        raise JobError(
            f"{count} videos at once: a class upload takes at most {settings.max_class_videos} "
            "(TRAINER_MAX_CLASS_VIDEOS)"
        )
    if total_bytes > settings.max_class_mb * 1e6:
        raise JobError(
            f"{total_bytes / 1e6:.0f} MB at once: a class upload takes at most "
            f"{settings.max_class_mb} MB in all (TRAINER_MAX_CLASS_MB)"
        )


def person_from_name(path: Path | str) -> str:
    """The person a file is of: its name up to the first "_" ("ana_neck.mp4" -> "ana")."""
    name = Path(path).stem.split("_", 1)[0].strip()
    if not name:
        raise JobError(f"{Path(path).name}: no person's name before the first '_'")
    return name


def videos_in(paths: list[Path]) -> list[Path]:
    """The videos named, a folder's videos (by name) in place of the folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise JobError(f"{path}: no such file or folder")
    if not found:
        raise JobError(f"no video in {', '.join(str(p) for p in paths)}")
    return found


def check_space(settings: Settings, size: int, name: str) -> None:
    """Refuse a video of size bytes when the data directory's disk would keep less than the
    margin (TRAINER_DISK_MARGIN_MB) free."""
    folder = settings.data_dir
    while not folder.exists():
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < size + settings.disk_margin_mb * MB:
        raise JobError(
            f"{name} not accepted: the disk of the data directory has {free / MB:.0f} MB free, "
            f"and needs {size / MB:.0f} MB for the video plus {settings.disk_margin_mb} MB "
            "to spare (TRAINER_DISK_MARGIN_MB). Free some space and upload it again."
        )


class Submitter:
    """Makes and retries review jobs on the settings' store, and starts workers for them."""

    def __init__(self, settings: Settings, jobs: JobStore | None = None) -> None:
        self.settings = settings
        self.jobs = jobs or JobStore.open(settings)
        self._enqueue: Enqueue | None = None
        if not self.jobs.local:
            from trainer.jobs.queue import enqueuer, make_app

            self._enqueue = enqueuer(make_app(settings, self.jobs))

    def submit(self, video: Path, spec: JobSpec) -> int:
        """One job for the video; refused before anything is stored when it cannot run."""
        check_space(self.settings, video.stat().st_size, spec.video_name)
        technique = load_technique(spec.technique)
        calibration_for(technique, Calibration.from_dict(spec.calibration))
        return self.jobs.create(spec, video, self._enqueue, self.settings.max_queued_jobs)

    def retry(self, job_id: int) -> Job:
        return self.jobs.retry(job_id, self._enqueue)

    def start_workers(self, n: int | None = None) -> int:
        """Worker processes on this machine for queued jobs: on SQLite up to n (default: the
        settings' job_workers) running; on PostgreSQL n more (default none: `trainer worker`s
        elsewhere take the jobs). How many were started."""
        if self.jobs.local:
            return local.start_workers(self.settings, n)
        local.spawn(self.settings, n or 0)
        return n or 0
