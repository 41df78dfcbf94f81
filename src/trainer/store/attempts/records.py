"""What the store hands back: whole attempts, history rows, standings and references."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track


@dataclass(frozen=True)
class Attempt:
    """One saved attempt, whole: what was tracked, how it was calibrated and reviewed."""

    id: int
    created_at: datetime
    person: str
    technique: str
    kind: str
    calibration: Calibration
    track: Track
    review: Review | None
    score: float | None
    video: str | None  # the kept video's generated name (Store.kept_video reads it), if any


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt without its track: a row of the history and of the CSV export."""

    id: int
    created_at: datetime
    person: str
    role: str
    technique: str
    kind: str
    score: float | None
    duration_s: float | None
    n_strokes: int | None
    video_kept: bool

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["created_at"] = self.created_at.isoformat()
        return d


@dataclass(frozen=True)
class TechniqueRow:
    """One person's standing on one technique (video and practice attempts only)."""

    person: str
    role: str
    attempts: int
    best: float | None
    mean: float | None
    latest: float | None
    last_at: datetime

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["last_at"] = self.last_at.isoformat()
        return d


@dataclass(frozen=True)
class StoredReference:
    """A technique's reference: the demonstration attempt and the profile built from it."""

    technique: str
    attempt_id: int
    profile: dict[str, Any]
    created_at: datetime
