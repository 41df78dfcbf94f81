"""A session's review from its judged movements: score parts, penalties and sentences."""

from __future__ import annotations

import numpy as np

from trainer.core import feedback
from trainer.core.calibration import Calibration
from trainer.core.technique import PARTS, Technique
from trainer.core.verdict import PASS, Penalty, Review, ScorePart, StrokeReview


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

    # Per fault (and per hand when both hands stroke, each named in its sentences).
    counts: dict[tuple[str, str | None], list[StrokeReview]] = {}
    for p in passes:
        for code in p.faults:
            counts.setdefault((code, p.hand), []).append(p)
    keys = sorted(
        counts, key=lambda k: (feedback.rank(k[0], technique), -len(counts[k]), k[1] or "")
    )
    sentences = []
    for code, hand in keys:
        flagged = [(p.metrics, p.feedback[p.faults.index(code)]) for p in counts[code, hand]]
        total = sum(p.hand == hand for p in passes)
        text = feedback.session_sentence(code, flagged, total, technique)
        sentences.append(text if hand is None else feedback.hand_sentence(hand, text))
    codes = list(dict.fromkeys(code for code, _ in keys))
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
