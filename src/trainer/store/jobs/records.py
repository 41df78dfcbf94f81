"""What the store hands back about review jobs, and what a new one is asked to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from trainer.store.db.schema import as_utc

FINAL_STATES = ("done", "failed", "cancelled")


@dataclass(frozen=True)
class JobSpec:
    """What a review job is asked: whose video, judged against what, kept how.

    Attributes:
        person: who the attempt is saved for (a new name becomes a student).
        technique: the technique's name.
        calibration: calibration JSON ({"technique", "points"}) the strokes are judged on.
        video_name: the name the video came with; shown, never used as a file name.
        kind: the attempt's kind (video, practice or reference).
        keep_video: keep the video with the attempt.
        annotate: also draw the annotated video (the app's Review page shows it).
        follow: the path follows the body part (as `trainer review` does), else stays fixed.
        exposure: brighten dark frames for the hand model (TRAINER_EXPOSURE where the job is
            made; the worker's own setting does not count).
        batch: a name shared by jobs made together (a class).
    """

    person: str
    technique: str
    calibration: dict[str, Any]
    video_name: str
    kind: str = "video"
    keep_video: bool = False
    annotate: bool = False
    batch: str | None = None
    follow: bool = True
    exposure: bool = True


@dataclass(frozen=True)
class Job:
    """A review job's row."""

    id: int
    created_at: datetime
    batch: str | None
    person: str
    technique: str
    kind: str
    calibration: dict[str, Any]
    video_name: str
    video_file: str
    keep_video: bool
    annotate: bool
    follow: bool
    exposure: bool
    state: str
    step: str | None
    frames_done: int
    frames_total: int | None
    tries: int
    cancel_requested: bool
    error: str | None
    attempt_id: int | None
    output_file: str | None
    worker: str | None
    heartbeat_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    review_s: float | None

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def share(self) -> float:
        """Share of the frames done, 0-1."""
        return min(self.frames_done / self.frames_total, 1.0) if self.frames_total else 0.0

    @classmethod
    def from_row(cls, row: Any) -> Job:
        values = {f.name: getattr(row, f.name) for f in fields(cls)}
        for key in ("created_at", "heartbeat_at", "started_at", "finished_at"):
            if values[key] is not None:
                values[key] = as_utc(values[key])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["video"] = d.pop("video_name")
        for key, value in d.items():
            if isinstance(value, datetime):
                d[key] = value.isoformat()
        return d
