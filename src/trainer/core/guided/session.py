"""A guided session: a routine's exercises in order, on an exercise clock and a session clock.

No camera and no Streamlit here: the clocks read an injected clock (scaled for tests), the
page feeds in each exercise's reviews. The session moves on when an exercise's time is up or
on `next()`; a person's first session is planned to fit the routine's cap (seed 003: a first
massage lasts at most 15 minutes), with a warning 2 minutes before it ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trainer.core.judging import feedback
from trainer.core.judging.verdict import Review
from trainer.core.routine import Exercise, Routine
from trainer.core.track import Track

WARN_BEFORE_S = 120.0  # seed 003's 15 minutes: warn at 13
EPS = 1e-6
# Review codes that are advice about time or sore spots, not a fault of the strokes: the guide
# keeps the time itself.
ADVICE = frozenset({"exercise_short", "exercise_long", "lingered"})


def plan_seconds(routine: Routine, first: bool) -> list[float]:
    """Seconds for each exercise: its high end, or in a first session a share of the cap.

    A first session whose exercises' high ends add up to more than the cap gives each
    exercise its low end plus the same fraction of its (high - low) range, so the plan fills
    the cap exactly (the loader guarantees the low ends fit in it).
    """
    lows = [e.seconds[0] for e in routine.exercises]
    highs = [e.seconds[1] for e in routine.exercises]
    cap = routine.first_session_max_s
    if not first or sum(highs) <= cap:
        return highs
    share = (cap - sum(lows)) / (sum(highs) - sum(lows))
    return [lo + share * (hi - lo) for lo, hi in zip(lows, highs, strict=True)]


@dataclass
class ExerciseRecord:
    """What became of one exercise: time spent, how it ended, and its reviewed stretches.

    parts: (review, track) per stretch of camera work; a pause ends a stretch.
    ended_by: "time" (its time was up), "next", "stop", or None when never reached.
    """

    exercise: Exercise
    planned_s: float
    seconds: float = 0.0
    ended_by: str | None = None
    parts: list[tuple[Review, Track]] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Ended by its time, or moved on from after at least its low end: a Next pressed
        in the first minute skips the exercise rather than finishing it."""
        low = self.exercise.seconds[0]
        return self.ended_by in ("time", "next") and self.seconds >= low - EPS

    @property
    def strokes(self) -> int:
        return sum(len(review.strokes) for review, _ in self.parts)

    @property
    def score(self) -> float | None:
        """The parts' scores weighted by their strokes; None without a stroke."""
        scored = [(review.score, len(review.strokes)) for review, _ in self.parts]
        total = sum(n for _, n in scored)
        return sum(s * n for s, n in scored) / total if total else None

    @property
    def main_fault(self) -> str | None:
        """The first fault sentence of the stretch with the most strokes (not time advice)."""
        if not self.parts:
            return None
        review = max((r for r, _ in self.parts), key=lambda r: len(r.strokes))
        pairs = zip(review.faults, review.feedback, strict=False)
        return next((text for code, text in pairs if code not in ADVICE), None)

    def to_dict(self) -> dict[str, Any]:
        score = self.score
        return {
            "title": self.exercise.title,
            "technique": self.exercise.technique,
            "optional": self.exercise.optional,
            "planned_s": round(self.planned_s, 2),
            "seconds": round(self.seconds, 2),
            "ended_by": self.ended_by,
            "strokes": self.strokes,
            "score": None if score is None else round(score, 1),
            "main_fault": self.main_fault,
        }


@dataclass(frozen=True)
class GuidedState:
    """The clocks and the position in the routine, for the page to show."""

    index: int
    exercise_s: float
    planned_s: float
    session_s: float
    limit_s: float | None
    warning: bool
    running: bool
    finished: bool


class GuidedSession:
    """A routine run on a clock: `start`/`pause`, `tick` to move on at time-up, `next`, `stop`.

    clock: seconds, e.g. time.monotonic; scale: how much faster the session's clocks run
    than it (a test setting). first: a person's first session of this routine (capped).
    """

    def __init__(
        self,
        routine: Routine,
        first: bool,
        clock: Callable[[], float] = time.monotonic,
        scale: float = 1.0,
    ) -> None:
        self.routine = routine
        self.first = first
        self.clock = clock
        self.scale = scale
        self.records = [
            ExerciseRecord(e, s)
            for e, s in zip(routine.exercises, plan_seconds(routine, first), strict=True)
        ]
        self.index = 0
        self.finished = False
        self._run_s = 0.0  # session seconds before the current run
        self._since: float | None = None  # clock reading when the current run began
        self._start_s = 0.0  # session seconds when the current exercise began
        self._warned = False
        self._announced = False

    @property
    def running(self) -> bool:
        return self._since is not None

    @property
    def limit_s(self) -> float | None:
        """The cap on this session, None unless it is the person's first."""
        return self.routine.first_session_max_s if self.first else None

    @property
    def current(self) -> ExerciseRecord:
        return self.records[self.index]

    @property
    def complete(self) -> bool:
        """Every exercise but optional ones done (see `ExerciseRecord.done`)."""
        return all(r.done or r.exercise.optional for r in self.records)

    @property
    def strokes(self) -> int:
        return sum(r.strokes for r in self.records)

    @property
    def score(self) -> float | None:
        """The exercises' scores weighted by their strokes; None without a stroke."""
        scored = [(r.score, r.strokes) for r in self.records if r.score is not None]
        total = sum(n for _, n in scored)
        return sum(s * n for s, n in scored) / total if total else None

    def session_s(self) -> float:
        if self._since is None:
            return self._run_s
        return self._run_s + (self.clock() - self._since) * self.scale

    def start(self) -> list[str]:
        """Run the clocks; the first start announces the first exercise."""
        if self.finished or self.running:
            return []
        self._since = self.clock()
        if self._announced:
            return []
        self._announced = True
        return [self._exercise_sentence()]

    def pause(self) -> None:
        if self.running:
            self._run_s = self.session_s()
            self._since = None

    def tick(self) -> list[str]:
        """Move on for every exercise whose time is up; what to announce."""
        said: list[str] = []
        now = self.session_s()
        while not self.finished and now >= self._start_s + self.current.planned_s - EPS:
            said += self._end_exercise(self._start_s + self.current.planned_s, "time")
        limit = self.limit_s
        near_limit = limit is not None and now >= limit - WARN_BEFORE_S
        if near_limit and not self.finished and not self._warned:
            self._warned = True
            said.append(feedback.first_session_warning(limit - now, limit))
        return said

    def next(self) -> list[str]:
        """End the current exercise now (the last one ends the session)."""
        said = self.tick()
        if not self.finished:
            said += self._end_exercise(self.session_s(), "next")
        return said

    def stop(self) -> list[str]:
        """End the session now; what was done is kept, incomplete if exercises remain."""
        said = self.tick()
        if not self.finished:
            said += self._end_exercise(self.session_s(), "stop")
        return said

    def status(self) -> GuidedState:
        now = self.session_s()
        limit = self.limit_s
        warning = limit is not None and not self.finished and now >= limit - WARN_BEFORE_S
        exercise_s = self.current.seconds if self.finished else now - self._start_s
        return GuidedState(
            index=self.index,
            exercise_s=exercise_s,
            planned_s=self.current.planned_s,
            session_s=now,
            limit_s=limit,
            warning=warning,
            running=self.running,
            finished=self.finished,
        )

    def add_part(self, index: int, review: Review, track: Track) -> None:
        """A stretch of camera work on exercise `index`, reviewed."""
        self.records[index].parts.append((review, track))

    def to_dict(self) -> dict[str, Any]:
        return {
            "routine": self.routine.name,
            "first": self.first,
            "complete": self.complete,
            "session_s": round(self.session_s(), 2),
            "strokes": self.strokes,
            "score": None if self.score is None else round(self.score, 1),
            "exercises": [r.to_dict() for r in self.records],
        }

    def _end_exercise(self, at_s: float, how: str) -> list[str]:
        """Close the current exercise at session time `at_s`; move on or finish."""
        record = self.current
        record.seconds, record.ended_by = at_s - self._start_s, how
        last = self.index == len(self.records) - 1
        if how == "stop" or last:
            self._run_s, self._since = at_s, None  # the clocks stop where the session ended
            self.finished = True
            limit = self.limit_s
            at_limit = how == "time" and limit is not None and at_s >= limit - EPS
            return [feedback.session_over_sentence(self.complete, at_limit, limit or 0.0)]
        self.index += 1
        self._start_s = at_s
        return [self._exercise_sentence()]

    def _exercise_sentence(self) -> str:
        return feedback.exercise_sentence(
            self.index + 1, len(self.records), self.current.exercise.title
        )
