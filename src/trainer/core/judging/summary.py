"""A session's review from its judged movements: score parts, penalties and sentences.

`summarize` runs small steps over the passes: score parts, penalties, the score, then the
advice (fault sentences, hand lost, exercise time, lingering) in the order it is read.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from trainer.core.judging import feedback
from trainer.core.judging.verdict import PASS, Penalty, Review, ScorePart, StrokeReview
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import PathMotion
from trainer.core.technique import PARTS, Technique

Advice = tuple[list[str], list[str]]  # fault codes and sentences, most important first


def _mid_work_gaps(
    passes: list[StrokeReview], gaps: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Gaps without a hand that fall between the first and the last pass."""
    if not passes:
        return []
    first, last = passes[0].metrics.start_t, passes[-1].metrics.end_t
    return [g for g in gaps if g[0] >= first and g[1] <= last]


def _score_parts(passes: list[StrokeReview], technique: Technique) -> tuple[ScorePart, ...]:
    """Each part's mean points over the passes (0 without passes), with its weight."""
    n = len(passes)
    weights = technique.scoring.weights
    return tuple(
        ScorePart(name, sum(p.parts[name] for p in passes) / n if n else 0.0, weights[name])
        for name in PARTS
    )


def _penalties(
    passes: list[StrokeReview], lost: list[tuple[float, float]], technique: Technique
) -> list[Penalty]:
    """One per mid-work gap without a hand, then one per pass into a forbidden region."""
    sc = technique.scoring
    penalties = [
        Penalty("hand_lost", sc.hand_lost_penalty, feedback.hand_lost_sentence(b - a))
        for a, b in lost
    ]
    forbidden = {r.fault: r for r in technique.forbidden}
    for p in passes:
        for code in p.faults:
            if code in forbidden:
                reason = feedback.forbidden_reason(forbidden[code].message, p.metrics.start_t)
                penalties.append(Penalty(code, sc.forbidden_penalty, reason))
    return penalties


def _score(parts: tuple[ScorePart, ...], penalties: list[Penalty], n_passes: int) -> float:
    """Weighted parts minus penalties, clamped to 0..100; 0 without passes."""
    total = sum(p.contribution for p in parts) - sum(p.points for p in penalties)
    return float(np.clip(total, 0.0, 100.0)) if n_passes else 0.0


def _fault_advice(passes: list[StrokeReview], technique: Technique) -> Advice:
    """One sentence per fault over the session (per hand when both hands stroke, each named),
    most important then most frequent first."""
    if not passes:
        return ["no_strokes"], [feedback.no_strokes_sentence(technique)]
    flagged: dict[tuple[str, str | None], list[StrokeReview]] = {}
    for p in passes:
        for code in p.faults:
            flagged.setdefault((code, p.hand), []).append(p)
    keys = sorted(
        flagged, key=lambda k: (feedback.rank(k[0], technique), -len(flagged[k]), k[1] or "")
    )
    sentences = []
    for code, hand in keys:
        said = [(p.metrics, p.feedback[p.faults.index(code)]) for p in flagged[code, hand]]
        total = sum(p.hand == hand for p in passes)
        text = feedback.session_sentence(code, said, total, technique)
        sentences.append(text if hand is None else feedback.hand_sentence(hand, text))
    return list(dict.fromkeys(code for code, _ in keys)), sentences


def _hand_lost_advice(lost: list[tuple[float, float]]) -> Advice:
    """Keep the hand in view, quoting the longest mid-work gap."""
    if not lost:
        return [], []
    return ["hand_lost"], [feedback.hand_lost_sentence(max(b - a for a, b in lost))]


def _exercise_s(passes: list[StrokeReview]) -> float:
    """From the start of the first pass to the end of the last."""
    return passes[-1].metrics.end_t - passes[0].metrics.start_t if passes else 0.0


def _timing_advice(passes: list[StrokeReview], exercise_s: float, technique: Technique) -> Advice:
    """Advice when the exercise ran shorter or longer than the technique's window."""
    lo, hi = technique.timing.exercise_s
    code = "exercise_short" if exercise_s < lo else "exercise_long" if exercise_s > hi else None
    if not passes or code is None:
        return [], []
    return [code], [feedback.timing_sentence(code, exercise_s, technique)]


def _zone_coverage(passes: list[StrokeReview], technique: Technique) -> dict[str, float]:
    """Mean share of each zone the passes covered (0 without passes)."""
    n = len(passes)
    return {
        z.name: sum(p.metrics.zone_coverage[z.name] for p in passes) / n if n else 0.0
        for z in technique.zones
    }


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


def _linger_advice(lingers: dict[str, dict[str, float]]) -> Advice:
    """One sentence per zone the thumb lingered in, under the one code "lingered"."""
    sentences = [
        feedback.linger_sentence(zone, int(info["count"]), info["seconds"])
        for zone, info in lingers.items()
    ]
    return (["lingered"] if lingers else []), sentences


def _body_lost_advice(body_lost: list[tuple[float, float]] | tuple) -> Advice:
    """Where the path held still because the body part under it was lost."""
    if not body_lost:
        return [], []
    return ["body_lost"], [feedback.body_lost_sentence(list(body_lost))]


def summarize(
    technique: Technique,
    calibration: Calibration,
    judged: list[StrokeReview],
    gaps: list[tuple[float, float]],
    duration_s: float,
    motion: PathMotion | None = None,
    body_lost: list[tuple[float, float]] | tuple = (),
) -> Review:
    """Session score, faults and sentences from judged movements and no-hand gaps; `motion`
    and `body_lost` say where the path was when it followed the body part."""
    passes = [j for j in judged if j.kind == PASS]
    lost = _mid_work_gaps(passes, gaps)
    parts = _score_parts(passes, technique)
    penalties = _penalties(passes, lost, technique)
    exercise_s = _exercise_s(passes)
    lingers = _lingers(passes, technique)
    codes: list[str] = []
    sentences: list[str] = []
    for step_codes, step_sentences in (
        _fault_advice(passes, technique),
        _hand_lost_advice(lost),
        _body_lost_advice(body_lost),
        _timing_advice(passes, exercise_s, technique),
        _linger_advice(lingers),
    ):
        codes += step_codes
        sentences += step_sentences
    return Review(
        technique=technique.name,
        score=_score(parts, penalties, len(passes)),
        parts=parts,
        penalties=tuple(penalties),
        strokes=tuple(passes),
        others=tuple(j for j in judged if j.kind != PASS),
        faults=tuple(codes),
        feedback=tuple(sentences),
        exercise_s=exercise_s,
        duration_s=duration_s,
        hand_lost=tuple(lost),
        zones=_zone_coverage(passes, technique),
        lingers=lingers,
        calibration=calibration.to_dict(),
        body_lost=tuple(body_lost),
        path_motion=motion,
    )


TIMING = ("exercise_short", "exercise_long")


def untimed(review: Review, technique: Technique) -> Review:
    """The review without advice on the exercise's length: a video or a reference clip is a
    sample of the work, not the whole exercise (Practice and Guided sessions keep it)."""
    drop = {
        feedback.timing_sentence(code, review.exercise_s, technique)
        for code in TIMING
        if code in review.faults
    }
    return replace(
        review,
        faults=tuple(c for c in review.faults if c not in TIMING),
        feedback=tuple(x for x in review.feedback if x not in drop),
    )
