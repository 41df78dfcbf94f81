"""Stroke verdicts and the session score, built one frame at a time (offline and live alike).

The score is transparent: six parts, each 0-100 with its weight from the technique file; the
total is their weighted sum minus listed penalties, clamped to 0..100. Every part of a pass
falls from 100 (at the technique's `*_full` value) to 50 exactly at its fault threshold and
on to 0 as far again beyond it, so below 50 always means a fault.
  strokes     mean over passes of each pass's weakest part (0 for a pass into a forbidden
              region or missing its circles or steps): a pass is as good as its worst aspect
  direction   share of passes going the right way
  path        mean over passes of the cross-track adherence (mean offset)
  coverage    mean over passes of the share of the path covered
  tempo       mean over passes of the pass time against the accepted range
  smoothness  mean over passes of SPARC
Penalties: each stretch of >= hand_lost_s without a hand mid-work, each pass entering a
forbidden region. Exercise time is reported as advice, not scored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from trainer.core import feedback
from trainer.core.calibration import Calibration, calibration_for
from trainer.core.metrics import Linger, StrokeMetrics, stroke_metrics
from trainer.core.strokes import Stroke, StrokeSegmenter
from trainer.core.technique import PARTS, Segmentation, Technique
from trainer.core.track import Track

PASS, RETURN, MOVE = "pass", "return", "move"


def ramp(value: float, full: float, zero: float) -> float:
    """100 at `full`, 0 at `zero`, linear between, clamped (works either way round)."""
    if full == zero:
        return 100.0 if value == full else 0.0
    return float(np.clip((value - zero) / (full - zero), 0.0, 1.0) * 100.0)


def part(value: float, full: float, limit: float) -> float:
    """Points of a measure: 100 at `full`, 50 at the fault `limit`, 0 as far again beyond."""
    return ramp(value, full, 2 * limit - full)


@dataclass(frozen=True)
class StrokeReview:
    """One movement and its verdict. Frames start_index .. end_index - 1 of the track.

    kind: "pass" (a scored stroke), "return" (moving back to the start between passes, not
    scored) or "move" (too little travel along the path to be a stroke, not scored).
    parts: points 0..100 per score part (passes only). faults: codes, most important first.
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

    @property
    def good(self) -> bool:
        return self.kind == PASS and not self.faults

    def to_dict(self) -> dict[str, Any]:
        m = self.metrics
        return {
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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StrokeReview:
        m = dict(d["metrics"])
        m["covered"] = tuple(m["covered"])
        m["lingers"] = tuple(Linger(**x) for x in m["lingers"])
        m["entered"] = tuple(m["entered"])
        return cls(
            start_index=int(d["start_index"]),
            end_index=int(d["end_index"]),
            kind=d["kind"],
            ended_by=d["ended_by"],
            metrics=StrokeMetrics(**m),
            direction_ok=bool(d["direction_ok"]),
            faults=tuple(d["faults"]),
            parts=dict(d["parts"]),
            feedback=tuple(d["feedback"]),
        )


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
            "strokes": [s.to_dict() for s in self.strokes],
            "others": [s.to_dict() for s in self.others],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Review:
        return cls(
            technique=d["technique"],
            score=float(d["score"]),
            parts=tuple(ScorePart(p["name"], p["points"], p["weight"]) for p in d["parts"]),
            penalties=tuple(Penalty(**p) for p in d["penalties"]),
            strokes=tuple(StrokeReview.from_dict(s) for s in d["strokes"]),
            others=tuple(StrokeReview.from_dict(s) for s in d["others"]),
            faults=tuple(d["faults"]),
            feedback=tuple(d["feedback"]),
            exercise_s=float(d["exercise_s"]),
            duration_s=float(d["duration_s"]),
            hand_lost=tuple((float(a), float(b)) for a, b in d["hand_lost"]),
            zones=dict(d["zones"]),
            lingers=dict(d["lingers"]),
            calibration=dict(d["calibration"]),
        )


def _is_return(m: StrokeMetrics, previous: StrokeReview | None, seg: Segmentation) -> bool:
    """Is this movement the way back to the start after the pass before it?

    Only right after a pass, going the other way. Going back against the technique's
    direction after a right-way pass, it is the way back unless its top speed is under
    `slower_ratio` of that pass's (a deliberate stroke); after a reversed pass, the right-way
    movement is the way back only when quicker (the pass's top speed under `return_ratio` of
    its own). Either way, a movement clearly off the line the pass pressed along (lifted by
    `return_lift` or more) is the way back. So when passes and returns look alike, the
    technique's direction decides.
    """
    if previous is None or previous.kind != PASS:
        return False
    before = previous.metrics
    if np.sign(m.progress) == np.sign(before.progress):
        return False
    if m.mean_offset >= before.mean_offset + seg.return_lift:
        return True
    if before.progress > 0:
        return m.peak_speed >= seg.slower_ratio * before.peak_speed
    return m.peak_speed * seg.return_ratio >= before.peak_speed


def _faults(m: StrokeMetrics, direction_ok: bool, technique: Technique) -> list[str]:
    """Fault codes of one pass, most important first."""
    tol = technique.tolerances
    checks = [
        ("reversed", not direction_ok),
        ("off_line", m.mean_offset > tol.max_mean_offset),
        ("partial", m.coverage < tol.min_coverage),
        ("too_fast", m.moving_s < tol.pass_s[0]),
        ("too_slow", m.moving_s > tol.pass_s[1]),
        ("jerky", m.sparc < tol.min_sparc),
        ("no_circles", technique.motion == "circles" and m.circles < tol.min_circles),
        ("no_steps", technique.motion == "steps" and len(m.lingers) < tol.min_stops),
    ]
    faults = [code for code, failed in checks if failed]
    faults += [r.fault for r in technique.forbidden if r.name in m.entered]
    return sorted(dict.fromkeys(faults), key=lambda c: feedback.rank(c, technique))


def _parts(m: StrokeMetrics, direction_ok: bool, faults: list[str], tech: Technique) -> dict:
    """Points 0..100 of each score part for one pass (see the module docstring)."""
    tol, sc = tech.tolerances, tech.scoring
    (lo, hi), (full_lo, full_hi) = tol.pass_s, sc.pass_s_full
    tempo = 100.0
    if m.moving_s < full_lo:
        tempo = part(m.moving_s, full_lo, lo)
    elif m.moving_s > full_hi:
        tempo = part(m.moving_s, full_hi, hi)
    parts = {
        "direction": 100.0 if direction_ok else 0.0,
        "path": part(m.mean_offset, sc.offset_full, tol.max_mean_offset),
        "coverage": part(m.coverage, sc.coverage_full, tol.min_coverage),
        "tempo": tempo,
        "smoothness": part(m.sparc, sc.sparc_full, tol.min_sparc),
    }
    # Faults without a part of their own (circles, steps, forbidden regions) leave nothing.
    unranked = {"no_circles", "no_steps"} | {r.fault for r in tech.forbidden}
    parts["strokes"] = 0.0 if unranked & set(faults) else min(parts.values())
    return parts


def judge(
    m: StrokeMetrics, stroke: Stroke, previous: StrokeReview | None, technique: Technique
) -> StrokeReview:
    """Kind, faults, part points and sentences of one movement; `previous`: last non-move."""
    seg = technique.segmentation
    forward = technique.direction == "forward"
    kind = PASS
    if m.coverage < seg.min_progress or m.mean_offset > seg.ignore_offset:
        kind = MOVE
    elif forward and _is_return(m, previous, seg):
        kind = RETURN
    direction_ok = not forward or m.progress > 0
    faults = _faults(m, direction_ok, technique) if kind == PASS else []
    parts = _parts(m, direction_ok, faults, technique) if kind == PASS else {}
    return StrokeReview(
        start_index=stroke.start_index,
        end_index=stroke.end_index,
        kind=kind,
        ended_by=stroke.ended_by,
        metrics=m,
        direction_ok=direction_ok,
        faults=tuple(faults),
        parts=parts,
        feedback=tuple(feedback.stroke_sentence(c, m, technique) for c in faults),
    )


@dataclass
class Session:
    """Streaming review: `feed` one frame at a time, `summary()` any time.

    Positions are kept in path lengths (pixels / path length in pixels) so nothing depends on
    resolution or distance to the camera.
    """

    technique: Technique
    calibration: Calibration
    width: int
    height: int
    judged: list[StrokeReview] = field(default_factory=list, init=False)
    gaps: list[tuple[float, float]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.calibration.check_technique(self.technique)
        self.path = self.calibration.in_pixels(self.width, self.height)
        self.segmenter = StrokeSegmenter(self.technique.segmentation)
        self._t: list[float] = []
        self._xy: list[tuple[float, float]] = []
        self._s: list[float] = []
        self._d: list[float] = []
        self._gap_start: float | None = None
        self._last_t: float | None = None

    def feed(self, t: float, thumb_px: Any) -> list[StrokeReview]:
        """One frame: thumb tip in pixels or None; returns the movements judged on it."""
        i = len(self._t)
        found = thumb_px is not None and not np.isnan(thumb_px[0])
        if found:
            s, d = self.path.project(np.asarray(thumb_px, dtype=np.float64))
            s, d = float(s[0]), float(d[0])
            xy = (float(thumb_px[0]) / self.path.length, float(thumb_px[1]) / self.path.length)
            if self._gap_start is not None:
                if t - self._gap_start >= self.technique.segmentation.hand_lost_s:
                    self.gaps.append((self._gap_start, t))
                self._gap_start = None
        else:
            s = d = np.nan
            xy = (np.nan, np.nan)
            if self._gap_start is None and self._last_t is not None:
                self._gap_start = t
        self._t.append(float(t))
        self._xy.append(xy)
        self._s.append(s)
        self._d.append(d)
        if found:
            self._last_t = t
        strokes = self.segmenter.push(i, float(t), np.array(xy) if found else None, s)
        return [self._judge(st) for st in strokes]

    def finish(self) -> list[StrokeReview]:
        return [self._judge(st) for st in self.segmenter.finish()]

    @property
    def last_t(self) -> float | None:
        """Time of the latest frame fed, None before the first."""
        return self._t[-1] if self._t else None

    def point(self, i: int) -> tuple[float, float]:
        """Progress s and cross-track d of frame i (NaN without a hand)."""
        return self._s[i], self._d[i]

    def _judge(self, stroke: Stroke) -> StrokeReview:
        sl = stroke.slice
        m = stroke_metrics(
            np.asarray(self._t[sl]),
            np.asarray(self._xy[sl]),
            np.asarray(self._s[sl]),
            np.asarray(self._d[sl]),
            self.technique,
        )
        previous = next((j for j in reversed(self.judged) if j.kind != MOVE), None)
        verdict = judge(m, stroke, previous, self.technique)
        self.judged.append(verdict)
        return verdict

    def summary(self) -> Review:
        """The review of everything judged so far."""
        return summarize(
            self.technique,
            self.calibration,
            self.judged,
            self.gaps,
            self._t[-1] - self._t[0] if self._t else 0.0,
        )


def _mid_work_gaps(
    passes: list[StrokeReview], gaps: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Gaps without a hand that fall between the first and the last pass."""
    if not passes:
        return []
    first, last = passes[0].metrics.start_t, passes[-1].metrics.end_t
    return [g for g in gaps if g[0] >= first and g[1] <= last]


def _lingers(passes: list[StrokeReview], technique: Technique) -> dict[str, dict[str, float]]:
    """Per zone: how often and how long the thumb stayed still inside a pass."""
    out: dict[str, dict[str, float]] = {}
    if technique.motion != "stroke":
        return out
    for p in passes:
        for linger in p.metrics.lingers:
            zone = out.setdefault(linger.zone or "path", {"count": 0, "seconds": 0.0})
            zone["count"] += 1
            zone["seconds"] = round(zone["seconds"] + linger.duration_s, 2)
    return out


def summarize(
    technique: Technique,
    calibration: Calibration,
    judged: list[StrokeReview],
    gaps: list[tuple[float, float]],
    duration_s: float,
) -> Review:
    """Session score, faults and sentences from judged movements and no-hand gaps."""
    passes = [j for j in judged if j.kind == PASS]
    others = [j for j in judged if j.kind != PASS]
    sc = technique.scoring
    n = len(passes)
    points = {name: sum(p.parts[name] for p in passes) / n if n else 0.0 for name in PARTS}
    parts = tuple(ScorePart(name, points[name], sc.weights[name]) for name in PARTS)
    lost = _mid_work_gaps(passes, gaps)
    penalties = [
        Penalty("hand_lost", sc.hand_lost_penalty, feedback.hand_lost_sentence(b - a))
        for a, b in lost
    ]
    forbidden = {r.fault: r for r in technique.forbidden}
    for p in passes:
        for code in p.faults:
            if code in forbidden:
                reason = f"{forbidden[code].message} (stroke at {p.metrics.start_t:.1f} s)"
                penalties.append(Penalty(code, sc.forbidden_penalty, reason))
    total = sum(p.contribution for p in parts) - sum(p.points for p in penalties)
    score = float(np.clip(total, 0.0, 100.0)) if n else 0.0

    counts: dict[str, list[StrokeReview]] = {}
    for p in passes:
        for code in p.faults:
            counts.setdefault(code, []).append(p)
    codes = sorted(counts, key=lambda c: (feedback.rank(c, technique), -len(counts[c])))
    sentences = [
        feedback.session_sentence(
            c, [(p.metrics, p.feedback[p.faults.index(c)]) for p in counts[c]], n, technique
        )
        for c in codes
    ]
    if not n:
        codes, sentences = ["no_strokes"], [feedback.no_strokes_sentence(technique)]
    if lost:
        codes.append("hand_lost")
        sentences.append(feedback.hand_lost_sentence(max(b - a for a, b in lost)))
    exercise_s = passes[-1].metrics.end_t - passes[0].metrics.start_t if n else 0.0
    lo, hi = technique.timing.exercise_s
    timing = "exercise_short" if exercise_s < lo else "exercise_long" if exercise_s > hi else None
    if n and timing:
        codes.append(timing)
        sentences.append(feedback.timing_sentence(timing, exercise_s, technique))
    zones = {
        z.name: sum(p.metrics.zone_coverage[z.name] for p in passes) / n if n else 0.0
        for z in technique.zones
    }
    lingers = _lingers(passes, technique)
    for zone, info in lingers.items():
        sentences.append(feedback.linger_sentence(zone, int(info["count"]), info["seconds"]))
    if lingers:
        codes.append("lingered")
    return Review(
        technique=technique.name,
        score=score,
        parts=parts,
        penalties=tuple(penalties),
        strokes=tuple(passes),
        others=tuple(others),
        faults=tuple(codes),
        feedback=tuple(sentences),
        exercise_s=exercise_s,
        duration_s=duration_s,
        hand_lost=tuple(lost),
        zones=zones,
        lingers=lingers,
        calibration=calibration.to_dict(),
    )


def review(track: Track, technique: Technique, calibration: Calibration | None = None) -> Review:
    """Judge a whole track: the same frame-by-frame session the live form runs."""
    calibration = calibration_for(technique, calibration)
    session = Session(technique, calibration, track.width, track.height)
    for t, p in zip(track.t, track.thumb_px, strict=True):
        session.feed(float(t), None if np.isnan(p[0]) else p)
    session.finish()
    return session.summary()
