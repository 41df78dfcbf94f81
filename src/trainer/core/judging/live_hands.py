"""Live scoring of the hands a technique judges: the one hand stroking, or both hands.

A technique for both hands (`hands = 2`) is judged live as the review judges it
(core/strokes/two_hands.py): once two hands move along the path, each is judged by a LiveScorer
of its own against the path moved `side_offset` to its own side (the hand further to the positive
side of the path on the positive side line) and named by where it is in the picture. Which
side a hand will take is not known before then, so until then every hand is also scored on
both side lines; the two scorers that fit are kept, with all they judged (the review, too,
judges the whole session on the side lines once two hands moved). Until then, and for a
one-hand technique, the hand the picker chose is judged against the path itself.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from trainer.core.hands import NOT_JUDGED
from trainer.core.judging import feedback
from trainer.core.judging.live_scorer import LiveScorer, LiveState
from trainer.core.judging.streaming import together
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.path.pathmotion import PathMotion, PathPose
from trainer.core.strokes.active_hand import LivePicker
from trainer.core.strokes.two_hands import side_line
from trainer.core.technique import Technique

PAIR_S = 1.0  # two hands that moved along the path within this long of each other stroke together
SIDE_FRAMES = 30  # a hand's latest moving frames, whose offsets and x decide its side and name


@dataclass(frozen=True)
class Lane:
    """One judged hand: its slot (-1: the picker's hand of the moment), its name ("left" or
    "right"; None for the one hand judged on the path) and its scorer."""

    hand: int
    name: str | None
    scorer: LiveScorer


class LiveHands:
    """Feed `update(t, thumbs)` per frame with every hand slot's thumb; `review()` any time."""

    def __init__(
        self,
        technique: Technique,
        calibration: Calibration | None,
        width: int,
        height: int,
        mirrored: bool = False,
    ) -> None:
        """mirrored: the picture is shown flipped, so the hand on its left is named right."""
        self.technique = technique
        self.mirrored = mirrored
        self.calibration = calibration_for(technique, calibration)
        self.size = (width, height)
        self.centre = LiveScorer(technique, self.calibration, width, height)
        self.picker = LivePicker(technique, self.centre.judge.path)
        self.lanes: tuple[Lane, ...] = (Lane(NOT_JUDGED, None, self.centre),)
        self.lane_states: tuple[LiveState, ...] = ()
        self.judged = NOT_JUDGED  # the picker's (or the named) hand of the latest frame
        self._candidates: dict[tuple[int, int], LiveScorer] | None = None  # (hand, side sign)
        self._moved: dict[int, deque[tuple[float, float, float]]] = {}  # hand: (t, d, x)
        self._outer = NOT_JUDGED  # the hand on the positive side line, once paired
        self._review: tuple[int, Review] | None = None

    @property
    def paired(self) -> bool:
        """Both hands are judged, each on its own side line."""
        return len(self.lanes) == 2

    def update(
        self,
        t: float,
        thumbs: np.ndarray,
        pose: PathPose | None = None,
        named: int | None = None,
    ) -> LiveState:
        """One frame: thumbs (H, 2) pixels, NaN for a hand not seen; `named`: the hand to judge
        (the user chose it), else the one stroking, or both."""
        thumbs = np.asarray(thumbs, dtype=np.float64).reshape(-1, 2)
        if named is not None:
            self.judged = named
        else:
            self.judged, switched = self.picker.update(t, thumbs)
            if switched and not self.paired:
                self.centre.switch_hand(t)
        if self._candidates is None:
            both = self.technique.hands == 2 and named is None
            self._candidates = self._sides(len(thumbs)) if both else {}
        if self.paired:
            states = [lane.scorer.update(t, thumbs[lane.hand], pose) for lane in self.lanes]
            return self._merged(states)
        thumb = thumbs[self.judged] if self.judged >= 0 else None
        state = self.centre.update(t, thumb, pose)
        if state.cue_code == "drifting" and self._candidates and self._across(thumbs):
            # Two hands either side of the path are likely to stroke on their side lines: the
            # one judged is not told it drifts off the middle before the other moves.
            cue = feedback.live_cue("stroke", self.technique)
            state = replace(state, cue=cue, cue_code="stroke")
        self.lane_states = (state,)
        scored = {key: s.update(t, thumbs[key[0]], pose) for key, s in self._candidates.items()}
        if self._candidates and self._pair(t, thumbs):
            return self._merged([scored[lane.hand, self._sign(lane)] for lane in self.lanes])
        return state

    def assign(self, pairs: list[tuple[str, int, Calibration]]) -> None:
        """Judge both hands from the first frame on, as the review paired them: (name, hand
        slot, side line) each (core/strokes/two_hands.py `both_hands`). For replaying a
        reviewed track, whose pairing is known before its first frame."""
        w, h = self.size
        lanes = []
        for name, k, side in pairs:
            scorer = LiveScorer(self.technique, side, w, h)
            scorer.name(name)
            lanes.append(Lane(k, name, scorer))
        self.lanes = tuple(lanes)
        self._candidates = {}

    @property
    def motion(self) -> PathMotion | None:
        """Where the path was in each frame so far (None: where it was given)."""
        return self.lanes[0].scorer.judge.motion

    def finish(self) -> None:
        """The stream ended: judge the movements in progress."""
        for lane in self.lanes:
            lane.scorer.finish()

    def review(self) -> Review:
        """The session so far: of the one hand, or of both (each on its side line)."""
        if not self.paired:
            return self.centre.review()
        judges = [lane.scorer.judge for lane in self.lanes]
        judged = sum(len(s.judged) for s in judges)
        if self._review is None or self._review[0] != judged:
            self._review = (judged, together(judges, self.calibration))
        return self._review[1]

    def _across(self, thumbs: np.ndarray) -> bool:
        """Another hand is in the path's corridor on the other side of it from the judged one."""
        _, d = self.centre.judge.path.project(thumbs)
        inside = np.abs(d) <= self.technique.segmentation.ignore_offset
        mine = d[self.judged]
        return any(inside[k] and d[k] * mine < 0 for k in range(len(d)) if k != self.judged)

    def _sides(self, hands: int) -> dict[tuple[int, int], LiveScorer]:
        """A scorer for each hand on each side line."""
        w, h = self.size
        shift = self.technique.side_offset
        return {
            (k, sign): LiveScorer(
                self.technique, side_line(self.calibration, sign * shift, w, h), w, h
            )
            for k in range(hands)
            for sign in (1, -1)
        }

    def _sign(self, lane: Lane) -> int:
        """Which side line a lane's scorer judges: +1 the positive side, -1 the other."""
        return 1 if self._outer == lane.hand else -1

    def _pair(self, t: float, thumbs: np.ndarray) -> bool:
        """Pair two hands once both moved along the path within PAIR_S: the one further to
        the positive side of the path takes the positive side line, the one more to the left
        of the picture as shown is the left hand."""
        _, d = self.centre.judge.path.project(thumbs)
        for k, moving in enumerate(self.picker.moving):
            if moving:
                seen = self._moved.setdefault(k, deque(maxlen=SIDE_FRAMES))
                seen.append((t, float(d[k]), float(thumbs[k, 0])))
        recent = [k for k, seen in self._moved.items() if seen[-1][0] >= t - PAIR_S]
        if len(recent) < 2:
            return False
        seen = -1.0 if self.mirrored else 1.0
        pair = sorted(recent[:2], key=lambda k: seen * np.median([x for _, _, x in self._moved[k]]))
        self._outer = max(pair, key=lambda k: np.median([d for _, d, _ in self._moved[k]]))
        lanes = []
        for k, name in zip(pair, ("left", "right"), strict=True):
            scorer = self._candidates[k, 1 if k == self._outer else -1]
            scorer.name(name)
            lanes.append(Lane(k, name, scorer))
        self.lanes = tuple(lanes)
        self._candidates = {}  # the other side lines' scorers are not needed any more
        return True

    def _merged(self, states: list[LiveState]) -> LiveState:
        """Both hands' states as one: passes and score of both, the cue of the moment."""
        self.lane_states = tuple(states)
        count = sum(s.stroke_count for s in states)
        elapsed = max(s.elapsed_s for s in states)
        code, cue, verdict = self._cue(states, elapsed)
        focus = next((s for s in states if s.in_stroke_from is not None), states[0])
        starts = [s.in_stroke_from for s in states if s.in_stroke_from is not None]
        return LiveState(
            index=states[0].index,
            cue=cue,
            stroke_count=count,
            score=self.review().score if count else None,
            last_verdict=None if verdict is None else verdict[0],
            last_good=None if verdict is None else verdict[1],
            trail=tuple(sorted(m for s in states for m in s.trail)),
            in_stroke_from=min(starts) if starts else None,
            elapsed_s=elapsed,
            along=focus.along,
            offset=focus.offset,
            zone=focus.zone,
            warning=next((s.warning for s in states if s.warning is not None), None),
            cue_code=code,
        )

    def _cue(
        self, states: list[LiveState], elapsed: float
    ) -> tuple[str, str, tuple[str, bool] | None]:
        """(code, sentence, (latest verdict, good)) for both hands: what is about one hand
        names it; how long, and verdicts, are about the session."""
        names = [lane.name or "" for lane in self.lanes]
        verdict = self._verdict(states, names)
        timing = self.technique.timing
        said = {
            s.cue_code: (name, s) for name, s in reversed(list(zip(names, states, strict=True)))
        }
        missing = [s for s in states if s.cue_code == "show_hand"]
        if "warning" in said or ("show_hand" in said and len(missing) == 1):
            code = "warning" if "warning" in said else "show_hand"
            name, state = said[code]
            return code, feedback.hand_sentence(name, state.cue), verdict
        if missing:
            return "show_hand", feedback.live_cue("show_hand", self.technique), verdict
        for code, limit in (
            ("first_session", timing.first_session_max_s),
            ("exercise_long", timing.exercise_s[1]),
        ):
            if elapsed > limit:
                return code, feedback.live_cue(code, self.technique, elapsed), verdict
        if "verdict" in said and verdict is not None:
            return "verdict", verdict[0], verdict
        if "drifting" in said:
            name, state = said["drifting"]
            return "drifting", feedback.hand_sentence(name, state.cue), verdict
        return states[0].cue_code, states[0].cue, verdict

    def _verdict(self, states: list[LiveState], names: list[str]) -> tuple[str, bool] | None:
        """The verdict on screen now (else the last judged): a faulty pass's, named; both
        hands' good passes as one "good stroke"; one hand's good pass, named."""
        shown = [(n, s) for n, s in zip(names, states, strict=True) if s.cue_code == "verdict"]
        if not shown:
            judged = [(n, s) for n, s in zip(names, states, strict=True) if s.last_verdict]
            shown = judged[-1:]
        if not shown:
            return None
        faulty = [(n, s) for n, s in shown if not s.last_good]
        if not faulty and len(shown) == 2:
            return feedback.GOOD_STROKE, True
        name, state = (faulty or shown)[0]
        return feedback.hand_sentence(name, state.last_verdict or ""), bool(state.last_good)
