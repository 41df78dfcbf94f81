"""What to say aloud: the live cues, thinned to one per stroke, and the guide's announcements.

The browser speaks (ui/handsfree.py); this decides what and when. Safety cues (a forbidden
region such as the carotid zones) are said at once and interrupt whatever is being said;
other cues wait their turn, at most one per stroke, never the same instruction twice running.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from trainer.core.judging.live_scorer import LiveState

RECENT = 8  # utterances kept for the page to hand to the browser


@dataclass(frozen=True)
class Utterance:
    """One thing to say. number: increasing, so the browser says each once.

    interrupt: cancel what is being said and say this now. tone: a short tone instead of
    the words (a good stroke, when the user prefers it).
    """

    number: int
    text: str
    interrupt: bool = False
    tone: bool = False


class CueVoice:
    """Feed `hear(state)` each time the page looks at the live state; `say` for announcements.

    A "stroke period" runs from one judged stroke to the next: one cue is said in each, the
    verdict of the stroke that opened it if it is still on screen, else the first new cue.
    """

    def __init__(self, good_tone: bool = False) -> None:
        self.good_tone = good_tone
        self.recent: deque[Utterance] = deque(maxlen=RECENT)
        self._count = 0
        self._period = -1
        self._used = False
        self._last_text: str | None = None
        self._warning: str | None = None

    def hear(self, state: LiveState) -> Utterance | None:
        """The utterance this state calls for, or None."""
        if state.warning is not None:
            if state.warning == self._warning:
                return None
            self._warning = state.warning
            return self._utter(state.cue, interrupt=True)
        self._warning = None
        if state.stroke_count != self._period:
            self._period, self._used = state.stroke_count, False
        if self._used:
            return None
        verdict = state.stroke_count > 0 and state.cue == state.last_verdict
        if not verdict and state.cue == self._last_text:
            return None
        self._used = True
        return self._utter(state.cue, tone=verdict and bool(state.last_good) and self.good_tone)

    def say(self, text: str) -> Utterance:
        """An announcement (the next exercise, the time): always said, in turn."""
        return self._utter(text)

    def _utter(self, text: str, interrupt: bool = False, tone: bool = False) -> Utterance:
        self._count += 1
        self._last_text = text
        utterance = Utterance(self._count, text, interrupt, tone)
        self.recent.append(utterance)
        return utterance
