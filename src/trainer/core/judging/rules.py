"""The judge's rules: is a movement a pass, which faults it has, and its points per part.

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

import numpy as np

from trainer.core.judging import feedback
from trainer.core.judging.verdict import MOVE, PASS, RETURN, StrokeReview
from trainer.core.strokes.metrics import StrokeMetrics
from trainer.core.strokes.segmenter import Stroke
from trainer.core.technique import Segmentation, Technique


def ramp(value: float, full: float, zero: float) -> float:
    """100 at `full`, 0 at `zero`, linear between, clamped (works either way round)."""
    if full == zero:
        return 100.0 if value == full else 0.0
    return float(np.clip((value - zero) / (full - zero), 0.0, 1.0) * 100.0)


def part(value: float, full: float, limit: float) -> float:
    """Points of a measure: 100 at `full`, 50 at the fault `limit`, 0 as far again beyond."""
    return ramp(value, full, 2 * limit - full)


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
