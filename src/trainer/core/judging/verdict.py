"""Verdicts: one movement's (`StrokeReview`) and a session's (`Review`), with their JSON form
(read back, every field checked, by trainer.documents.decoding.review_from_json)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from trainer.core.path.pathmotion import PathMotion
from trainer.core.strokes.metrics import StrokeMetrics

PASS, RETURN, MOVE = "pass", "return", "move"


@dataclass(frozen=True)
class StrokeReview:
    """One movement and its verdict. Frames start_index .. end_index - 1 of the track.

    kind: "pass" (a scored stroke), "return" (moving back to the start between passes, not
    scored) or "move" (too little travel along the path to be a stroke, not scored).
    parts: points 0..100 per score part (passes only). faults: codes, most important first.
    hand: "left" or "right" when both hands stroke, each judged on its own (else None).
    """

    start_index: int
    end_index: int
    kind: str
    ended_by: str
    metrics: StrokeMetrics
    direction_ok: bool
    faults: tuple[str, ...]
    parts: dict[str, float]
    feedback: tuple[str, ...]
    hand: str | None = None

    @property
    def good(self) -> bool:
        return self.kind == PASS and not self.faults

    def to_dict(self) -> dict[str, Any]:
        m = self.metrics
        hand = {"hand": self.hand} if self.hand else {}
        return {
            **hand,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "start_s": round(m.start_t, 3),
            "end_s": round(m.end_t, 3),
            "kind": self.kind,
            "ended_by": self.ended_by,
            "direction_ok": self.direction_ok,
            "good": self.good,
            "mean_offset": round(m.mean_offset, 4),
            "coverage": round(m.coverage, 4),
            "duration_s": round(m.duration_s, 3),
            "faults": list(self.faults),
            "feedback": list(self.feedback),
            "parts": {k: round(v, 1) for k, v in self.parts.items()},
            "metrics": asdict(m),
        }


@dataclass(frozen=True)
class ScorePart:
    """One part of the score: its points (0..100), weight, and weight * points."""

    name: str
    points: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.points * self.weight


@dataclass(frozen=True)
class Penalty:
    code: str
    points: float
    reason: str


@dataclass(frozen=True)
class Review:
    """A whole exercise judged. `strokes` holds the passes; `others` returns and small moves.

    zones: mean share of each zone the passes covered; lingers: per zone, how often and how
    long the thumb stayed inside passes; hand_lost: (start, end) s of mid-work gaps.
    path_motion: where the path was in each frame when it followed the body part (None: it
    stayed where it was given); body_lost: (start, end) s when the body part was lost and the
    path held still.
    """

    technique: str
    score: float
    parts: tuple[ScorePart, ...]
    penalties: tuple[Penalty, ...]
    strokes: tuple[StrokeReview, ...]
    others: tuple[StrokeReview, ...]
    faults: tuple[str, ...]
    feedback: tuple[str, ...]
    exercise_s: float
    duration_s: float
    hand_lost: tuple[tuple[float, float], ...]
    zones: dict[str, float]
    lingers: dict[str, dict[str, float]]
    calibration: dict[str, Any]
    body_lost: tuple[tuple[float, float], ...] = ()
    path_motion: PathMotion | None = field(default=None, compare=False)

    @property
    def good_share(self) -> float:
        return sum(s.good for s in self.strokes) / len(self.strokes) if self.strokes else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "technique": self.technique,
            "score": round(self.score, 1),
            "parts": [
                {
                    "name": p.name,
                    "points": round(p.points, 1),
                    "weight": p.weight,
                    "contribution": round(p.contribution, 2),
                }
                for p in self.parts
            ],
            "penalties": [asdict(p) for p in self.penalties],
            "stroke_count": len(self.strokes),
            "good_share": round(self.good_share, 3),
            "faults": list(self.faults),
            "feedback": list(self.feedback),
            "exercise_s": round(self.exercise_s, 2),
            "duration_s": round(self.duration_s, 2),
            "hand_lost": [list(g) for g in self.hand_lost],
            "zones": {k: round(v, 3) for k, v in self.zones.items()},
            "lingers": self.lingers,
            "calibration": self.calibration,
            "body_lost": [list(g) for g in self.body_lost],
            "path_motion": None if self.path_motion is None else self.path_motion.to_dict(),
            "strokes": [s.to_dict() for s in self.strokes],
            "others": [s.to_dict() for s in self.others],
        }
