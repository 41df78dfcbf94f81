"""Live form of the review: one frame in, one cue out, on the same judge as the offline form."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.core.judging import feedback
from trainer.core.judging.streaming import StreamingJudge
from trainer.core.judging.verdict import PASS, Review, StrokeReview
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.path.pathmotion import PathPose
from trainer.core.technique import Region, Technique

VERDICT_S = 2.5  # how long a stroke's verdict stays on screen once it is judged
MISSING_S = 0.5  # no hand for this long before asking to show it


@dataclass(frozen=True)
class LiveState:
    """What the screen shows after one frame.

    cue: the one sentence to show now. stroke_count: passes so far. score: session score so
    far (None before the first pass). last_verdict: the latest pass's verdict (see
    feedback.stroke_verdict). trail: (start_index, end_index, good) per movement, good None
    for returns and small moves, for colouring the thumb's trail. in_stroke_from: first frame
    of the movement in progress (None when still). elapsed_s: exercise time since the first
    pass. along / offset: where the thumb is along / across the path (path lengths, NaN: no
    hand). zone: the zone under the thumb. warning: a forbidden region the thumb is in.
    """

    index: int
    cue: str
    stroke_count: int
    score: float | None
    last_verdict: str | None
    last_good: bool | None
    trail: tuple[tuple[int, int, bool | None], ...]
    in_stroke_from: int | None
    elapsed_s: float
    along: float
    offset: float
    zone: str | None
    warning: str | None
    cue_code: str = "stroke"


class LiveScorer:
    """Feed `update(t, thumb_px or None)` per frame; `review()` gives the full Review."""

    def __init__(
        self, technique: Technique, calibration: Calibration | None, width: int, height: int
    ):
        self.technique = technique
        self.judge = StreamingJudge(
            technique, calibration_for(technique, calibration), width, height
        )
        self._summary: Review | None = None
        self._trail: list[tuple[int, int, bool | None]] = []
        self._last: StrokeReview | None = None
        self._first_pass_t: float | None = None
        self._verdict_t = 0.0
        self._passes = 0
        self._trail_view: tuple[tuple[int, int, bool | None], ...] = ()
        self._last_seen: float | None = None
        self._index = -1

    def update(
        self, t: float, thumb_px: np.ndarray | list[float] | None, pose: PathPose | None = None
    ) -> LiveState:
        """One frame (pose: where the path is, when it follows the body part); cheap except on
        the frame a stroke ends (then it is judged)."""
        self._index += 1
        found = thumb_px is not None and not np.isnan(thumb_px[0])
        if found:
            self._last_seen = t
        self._take(self.judge.feed(t, thumb_px if found else None, pose), t)
        return self._state(t, found)

    def switch_hand(self, t: float) -> None:
        """Another hand is judged from the next frame on: the movement in progress ends."""
        self._take(self.judge.cut(t), t)

    def name(self, hand: str) -> None:
        """Its thumb is one of two stroking hands, `hand`: its verdicts name it, past ones too."""
        self.judge.name(hand)
        if self._last is not None:
            last = self._last.start_index
            self._last = next(j for j in self.judge.judged if j.start_index == last)
        self._summary = None

    def finish(self) -> LiveState | None:
        """The stream ended: judge the movement in progress."""
        last_t = self.judge.last_t
        self._take(self.judge.finish(), last_t or 0.0)
        return None if last_t is None else self._state(last_t, False)

    def review(self) -> Review:
        if self._summary is None:
            self._summary = self.judge.summary()
        return self._summary

    def _stroking(self) -> bool:
        """A movement is under way the way passes go: not the hand going back to the start
        between passes, which leaves the line on purpose (the review does not judge it)."""
        start = self.judge.segmenter.open_start
        if not self.judge.segmenter.moving or start is None:
            return False
        s0, d0 = self.judge.point(start)
        s, d = self.judge.point(self._index)
        travel = s - s0
        if np.isnan(travel) or travel == 0:
            return True
        if abs(travel) <= abs(d - d0):  # across more than along: lifting off the line, or back
            return False
        if self.technique.direction == "forward":
            return travel > 0
        # Either way: the way back is the other way from the pass before it.
        return self._last is None or travel * self._last.metrics.progress > 0

    def _take(self, judged: list[StrokeReview], t: float) -> None:
        for j in judged:
            self._trail.append((j.start_index, j.end_index, j.good if j.kind == PASS else None))
            self._trail_view = tuple(self._trail)
            if j.kind == PASS:
                self._last, self._verdict_t = j, t
                self._passes += 1
                if self._first_pass_t is None:
                    self._first_pass_t = j.metrics.start_t
            self._summary = None

    def _state(self, t: float, found: bool) -> LiveState:
        s, d = self.judge.point(self._index) if self._index >= 0 else (np.nan, np.nan)
        region = next((r for r in self.technique.forbidden if found and r.contains(s, d)), None)
        summary = self.review() if self._passes else None
        last = self._last
        verdict = None if last is None else feedback.stroke_verdict(last.feedback)
        elapsed = 0.0 if self._first_pass_t is None else t - self._first_pass_t
        code, cue = self._cue(t, found, d, region, elapsed, verdict)
        return LiveState(
            index=self._index,
            cue=cue,
            stroke_count=self._passes,
            score=summary.score if summary else None,
            last_verdict=verdict,
            last_good=last.good if last else None,
            trail=self._trail_view,
            in_stroke_from=self.judge.segmenter.open_start,
            elapsed_s=elapsed,
            along=s,
            offset=d,
            zone=self.technique.zone_at(s) if found else None,
            warning=region.name if region else None,
            cue_code=code,
        )

    def _cue(
        self,
        t: float,
        found: bool,
        d: float,
        region: Region | None,
        elapsed: float,
        verdict: str | None,
    ) -> tuple[str, str]:
        """The most important thing to say right now, (code, sentence): which, decided here;
        the words, feedback's."""
        tech = self.technique
        if region is not None:
            return "warning", region.message
        if not found and (self._last_seen is None or t - self._last_seen >= MISSING_S):
            code = "show_hand"
        elif elapsed > tech.timing.first_session_max_s:
            code = "first_session"
        elif elapsed > tech.timing.exercise_s[1]:
            code = "exercise_long"
        elif verdict is not None and t - self._verdict_t <= VERDICT_S:
            return "verdict", verdict
        elif found and abs(d) > tech.tolerances.max_mean_offset and self._stroking():
            code = "drifting"
        else:
            code = "stroke"
        return code, feedback.live_cue(code, tech, elapsed, d)
