"""From frames to hands: up to two hands followed frame by frame, each keeping its identity.

One hand costs what MediaPipe's VIDEO mode costs with `num_hands=1`: a follower (a landmarker
of its own) tracks it from frame to frame, and the palm detector runs only while it searches.
`num_hands=2` would run the palm detector on every frame while fewer than two hands are in
view, doubling the cost of a one-hand video. Instead, the IMAGE-mode re-checks that already run
every `recheck_s` look for two hands; one that no follower holds gets a follower of its own.
A hand's index (its slot) is its identity: followers never take each other's hand (a searching
follower sees the other hands painted over, two followers on one hand leave one), and a hand
found again after being lost takes the slot of the lost hand it is nearest to.

VIDEO mode can also lock onto a wrong pose for a whole clip: on a clip that starts with the
hand already in view it kept the thumb tip ~96 px inside the fist. So the re-checks also
compare: when IMAGE mode puts a followed hand's thumb elsewhere by more than a share of the
hand's size on every frame for `CONFIRM_S`, the tracker detects afresh on every frame for a
while, then follows again. One check is not enough: IMAGE mode itself misreads the pose for a
frame or a few (1 to 5 frames at a time on the sample videos, its tip 30-57 px off where VIDEO
mode's is 1-7 px), and trusting it then puts the thumb there, which reads as a stroke turning.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from trainer.capture.closing import Closing
from trainer.capture.exposure import Exposure, hand_box
from trainer.capture.filters import OneEuroFilter
from trainer.capture.follower import LOST_S, Follower, Memory
from trainer.capture.landmarker import Hands, Landmarker
from trainer.capture.slots import Found, claim, drop_twins, nearest_slots, one, primary, trapped
from trainer.core.base.errors import TrainerError
from trainer.core.base.settings import Settings
from trainer.core.hands import hand_distance
from trainer.core.path.hand_gate import HandGate
from trainer.core.track import N_LANDMARKS, NO_HAND, THUMB_TIP

HandChoice = Literal["auto", "left", "right"]

MAX_HANDS = 2
MAX_INFERENCE_SIDE = 960  # larger frames are downscaled for the model; coordinates stay
# IMAGE-mode checks when tracking (re)starts: another hand, a trap. VIDEO mode locks onto a
# wrong pose within its first frames on a hand in view (frame 1 of the trimmed thumbs-up clip,
# frame 5 on resuming after a restart there): the last check comes after that.
RECHECK_AFTER_FRAMES = (1, 3, 10)
NEW_HAND = 0.6  # hand sizes (wrist and thumb tip) from every followed hand: another hand
MAX_IMAGE_MODE_S = 16.0
CONFIRM_S = 0.4  # a disagreement checked on every frame for this long is a trap, not a glitch


def make_thumb_filter() -> OneEuroFilter:
    """The live thumb-tip filter, in units of the frame diagonal (so it is resolution-free).

    Tuned on the sample videos for little lag (median 0.28%, p95 0.65% of the diagonal from the
    true tip, against 0.50% and 2.0% with min_cutoff 1.5, beta 4) while still as calm at rest
    as the slower setting for the stroke and lingering thresholds.
    """
    return OneEuroFilter(min_cutoff=3.0, beta=40.0, d_cutoff=1.0)


@dataclass(frozen=True)
class FrameResult:
    """Every followed hand in one frame; slot k holds the same hand in every frame.

    thumbs: (H, 2) live-filtered thumb tips in pixels; hands: (H, 21, 3) landmarks; scores and
    labels: (H,) MediaPipe's handedness score and label; NaN and NO_HAND for an empty slot.
    primary: the slot to judge when nothing else decides (the named hand, else the first
    followed), -1 for none. `thumb_px`, `landmarks`, `confidence`, `handedness`: its values.
    """

    thumbs: np.ndarray
    hands: np.ndarray
    scores: np.ndarray
    labels: np.ndarray
    primary: int

    @property
    def thumb_px(self) -> np.ndarray:
        return self.thumbs[self.primary] if self.primary >= 0 else np.full(2, np.nan)

    @property
    def landmarks(self) -> np.ndarray:
        return self.hands[self.primary] if self.primary >= 0 else np.full((N_LANDMARKS, 3), np.nan)

    @property
    def confidence(self) -> float:
        return float(self.scores[self.primary]) if self.primary >= 0 else np.nan

    @property
    def handedness(self) -> int:
        return int(self.labels[self.primary]) if self.primary >= 0 else NO_HAND


def downscale(rgb: np.ndarray, max_side: int) -> np.ndarray:
    """Shrink frames larger than max_side for the model; normalized landmarks still fit."""
    h, w = rgb.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return rgb
    return cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


@dataclass
class FrameTracker(Closing):
    """Follows up to `max_hands` hands frame by frame (files and webcam alike); close it."""

    model_path: Path | None = None
    hand: HandChoice = "auto"
    recheck_s: float = 2.0
    max_side: int = MAX_INFERENCE_SIDE
    make_filter: Callable[[], OneEuroFilter] = make_thumb_filter
    max_hands: int = MAX_HANDS
    exposure: bool = True  # brighten dark frames for the model (`capture.exposure`)
    gate: HandGate | None = None  # when set, detections that can't be hands are not followed
    rechecks: int = field(default=0, init=False)
    restarts: int = field(default=0, init=False)
    rejected: int = field(default=0, init=False)  # frames with a detection the gate dropped

    def __post_init__(self) -> None:
        self._path = self.model_path or Settings.from_env().model_path
        # IMAGE mode looks for two hands: that is how a second hand is discovered.
        self._image = Landmarker(self._path, video=False, num_hands=2)
        self._slots: list[Follower | None] = [None] * self.max_hands
        try:
            self._slot(0).active = True
        except TrainerError:
            self._image.close()
            raise
        self._threads: ThreadPoolExecutor | None = None
        self._new_stream()

    def _new_stream(self) -> None:
        """What the tracker learns of one stream, from nothing."""
        self._run_frames = 0
        self._next_check_t = 0.0
        self._image_until = 0.0
        self._image_s = self.recheck_s
        self._doubt_since: float | None = None  # when IMAGE mode began to disagree
        self.light = Exposure(enabled=self.exposure)
        self._hand_box: tuple[float, float, float, float] | None = None
        self._dropped = False  # this frame had a detection the gate left out
        self.rechecks = self.restarts = self.rejected = 0

    def restart(self, t: float) -> None:
        """Forget every hand and all it learnt of the stream so far, keeping its landmarkers
        (the costly part): the frames after time t are tracked as a new tracker tracks them.
        A webcam stream after another one must not start on the last stream's hands."""
        for k, f in enumerate(self._slots):
            if f is not None:
                f.forget(np.zeros((64, 64, 3), np.uint8), t)
                f.memory, f.active, f.lost_at = Memory(), k == 0, 0.0
        self._new_stream()

    def _slot(self, k: int) -> Follower:
        """Follower k, its landmarker built when first needed (one-hand videos never pay)."""
        follower = self._slots[k]
        if follower is None:
            landmarker = Landmarker(self._path, video=True, num_hands=1)
            follower = self._slots[k] = Follower(landmarker, self.make_filter())
        return follower

    def _pool(self) -> ThreadPoolExecutor:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.max_hands - 1, thread_name_prefix="follower")
        return self._threads

    def _active(self) -> list[int]:
        return [k for k, f in enumerate(self._slots) if f is not None and f.active]

    def update(self, rgb: np.ndarray, t: float, size: tuple[int, int] | None = None) -> FrameResult:
        """Track the hands in one RGB frame taken at time t (seconds, increasing).

        size: (width, height) of the original frame when rgb was already downscaled.
        """
        h, w = rgb.shape[:2] if size is None else size[::-1]
        size = np.array([w, h], dtype=np.float64)
        # The model sees its own copy, brightened when dark; `rgb` stays as the user sees it.
        small = self.light.prepare(downscale(rgb, self.max_side), t, self._hand_box)
        self._dropped = False
        if t < self._image_until:
            found = self._assign(self._plausible(self._image.detect(small), size), t, size)
        else:
            if self._image_until > 0:
                # Back to VIDEO mode: every follower drops its old hand and searches afresh.
                self._image_until = 0.0
                self._run_frames = 0
                for k in self._active():
                    self._slots[k].forget(small, t)
            found = self._follow(small, t, size)
        if self._check_due(t, found):
            found = self._recheck(small, t, size, found)
        self.rejected += self._dropped
        held = [hand.landmarks[0] for hand in found if hand is not None]
        self._hand_box = hand_box(np.concatenate(held)) if held else None
        return self._result(found, t, size)

    def _plausible(self, hands: Hands, size: np.ndarray) -> Hands:
        """The hands the gate accepts (all without a gate); notes when it left one out."""
        if self.gate is None or not len(hands):
            return hands
        w, h = (int(v) for v in size)
        keep = np.array([self.gate.accepts(lm, w, h) for lm in hands.landmarks], dtype=bool)
        self._dropped |= not keep.all()
        return Hands(hands.landmarks[keep], hands.handedness[keep], hands.score[keep])

    def _follow(self, small: np.ndarray, t: float, size: np.ndarray) -> Found:
        """Each active follower tracks its hand; twins and identities sorted out."""
        found: Found = [None] * self.max_hands
        active = self._active()

        def follow(k: int) -> Hands:
            f = self._slots[k]
            others = [
                g.memory.last
                for g in self._slots
                if g is not None and g is not f and g.active and t - g.memory.seen_t <= LOST_S
            ]
            return f.follow(small, t, others)

        # Two followers run at once: MediaPipe frees the GIL while its graph runs.
        later = [(k, self._pool().submit(follow, k)) for k in active[1:]]
        results = [(active[0], follow(active[0]))] if active else []
        results += [(k, job.result()) for k, job in later]
        for k, hands in results:
            found[k] = one(hands, 0) if len(self._plausible(hands, size)) else None
        if self._dropped:
            # A follower holds something that can't be a hand: IMAGE mode looks afresh for a
            # while, then every follower searches anew.
            self._image_until = t + self.recheck_s
            return self._assign(self._plausible(self._image.detect(small), size), t, size)
        drop_twins(self._slots, found, small, t, size)
        claim(self._slots, found, size)
        for k in self._active():
            f = self._slots[k]
            if found[k] is None:
                f.missed(t)
            else:
                f.holding = True
                f.seen(found[k], t)
        self._retire(t)
        return found

    def _retire(self, t: float) -> None:
        """Followers searching for longer than LOST_S stop, unless none would be left: a hand
        that comes back is found by the next IMAGE-mode check."""
        for k in reversed(self._active()):
            f = self._slots[k]
            if not f.holding and t - f.lost_at > LOST_S and len(self._active()) > 1:
                f.active = False

    def _assign(self, fresh: Hands, t: float, size: np.ndarray) -> Found:
        """IMAGE-mode hands to slots: each to the slot whose hand it is nearest to, the rest to
        slots without a hand (followers stay idle meanwhile; their memory is updated)."""
        found = nearest_slots(fresh, self._slots, size)
        for k, hand in enumerate(found):
            if hand is not None:
                f = self._slot(k)
                f.active = True
                f.seen(hand, t)
        return found

    def _check_due(self, t: float, found: Found) -> bool:
        if self._image_until > 0:
            return False
        if all(hand is None for hand in found):
            self._run_frames = 0
            self._doubt_since = None
            return False
        self._run_frames += 1
        if self._doubt_since is not None:
            return True
        if self._run_frames in RECHECK_AFTER_FRAMES:
            return True
        return self._run_frames > max(RECHECK_AFTER_FRAMES) and t >= self._next_check_t

    def _recheck(self, small: np.ndarray, t: float, size: np.ndarray, found: Found) -> Found:
        """IMAGE mode's view of the frame: a followed hand whose thumb it puts elsewhere means
        VIDEO mode locked onto a wrong pose; a hand nobody follows gets a follower."""
        self._next_check_t = t + self.recheck_s
        self.rechecks += 1
        fresh = self._plausible(self._image.detect(small), size)
        if not len(fresh):
            self._doubt_since = None
            return found  # nothing better to go by
        if any(trapped(hand, fresh, size) for hand in found if hand is not None):
            if self._doubt_since is None:
                self._doubt_since = t
            if t - self._doubt_since < CONFIRM_S:
                return found  # maybe IMAGE mode's own misreading: check again next frame
            # Detect afresh on every frame for a while (longer each time it happens again),
            # then try tracking once more.
            self._doubt_since = None
            self.restarts += 1
            self._image_until = t + self._image_s
            self._image_s = min(2 * self._image_s, MAX_IMAGE_MODE_S)
            return self._assign(fresh, t, size)
        self._doubt_since = None
        self._image_s = self.recheck_s
        held = [hand.landmarks[0] for hand in found if hand is not None]
        for i in range(len(fresh)):
            if all(hand_distance(fresh.landmarks[i], h, size) > NEW_HAND for h in held):
                self._start(one(fresh, i), t, found)
        return found

    def _start(self, hand: Hands, t: float, found: Found) -> None:
        """Give a hand nobody follows a free follower: IMAGE mode's view of it stands for this
        frame, the follower looks for it (the other hands hidden) from the next one."""
        free = [k for k in range(self.max_hands) if k not in self._active()]
        if not free:
            return
        f = self._slot(free[0])
        f.active, f.lost_at = True, t
        f.seen(hand, t)
        found[free[0]] = hand

    def _result(self, found: Found, t: float, size: np.ndarray) -> FrameResult:
        n = self.max_hands
        thumbs, hands = np.full((n, 2), np.nan), np.full((n, N_LANDMARKS, 3), np.nan)
        scores, labels = np.full(n, np.nan), np.full(n, NO_HAND, np.int8)
        diag = float(np.hypot(*size))
        for k, hand in enumerate(found):
            if hand is None:
                continue
            hands[k], scores[k], labels[k] = hand.landmarks[0], hand.score[0], hand.handedness[0]
            tip = hands[k, THUMB_TIP, :2] * size
            thumbs[k] = self._slots[k].filter(t, tip / diag) * diag
        return FrameResult(thumbs, hands, scores, labels, primary(found, self._slots, self.hand))

    def close(self) -> None:
        if self._threads is not None:
            self._threads.shutdown()
        self._image.close()
        for f in self._slots:
            if f is not None:
                f.landmarker.close()
