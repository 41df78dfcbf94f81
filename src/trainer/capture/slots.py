"""The tracker's hand slots: which slot is the named hand, which lost hand a found one is,
and whether IMAGE mode sees a slot's thumb elsewhere (VIDEO mode's trap)."""

from __future__ import annotations

import numpy as np

from trainer.capture.follower import Follower
from trainer.capture.landmarker import Hands
from trainer.core.hands import WRIST, hand_distance, hand_size
from trainer.core.track import LEFT, RIGHT, THUMB_TIP

SAME_WRIST = 1.0  # hand sizes: an IMAGE-mode hand with its wrist this near is the same hand
DISAGREE_SHARE = 0.35  # of the hand's size (wrist to middle-finger base)

Found = list[Hands | None]


def trapped(hand: Hands, fresh: Hands, size: np.ndarray) -> bool:
    """IMAGE mode sees this hand (a wrist near its wrist) with the thumb elsewhere."""
    own = hand.landmarks[0]
    scale = max(float(hand_size(own, size)), 1.0)
    wrists = np.linalg.norm((fresh.landmarks[:, WRIST, :2] - own[WRIST, :2]) * size, axis=1)
    same = wrists <= SAME_WRIST * scale
    if not same.any():
        return False  # IMAGE mode missed this hand: no verdict on it
    tips = fresh.landmarks[same, THUMB_TIP, :2] - own[THUMB_TIP, :2]
    return bool(np.linalg.norm(tips * size, axis=1).min() > DISAGREE_SHARE * scale)


def primary(found: Found, slots: list[Follower | None], hand: str) -> int:
    """The named hand (the slot most often labelled so), else the first slot with a hand."""
    present = [k for k, h in enumerate(found) if h is not None]
    if hand == "auto":
        return present[0] if present else -1
    wanted = LEFT if hand == "left" else RIGHT
    share = {k: slots[k].memory.votes for k in present}
    share = {k: v[wanted] / max(v.sum(), 1) for k, v in share.items()}
    best = max(share, key=share.get, default=-1)
    return best if best >= 0 and share[best] > 0.5 else -1


def claim(slots: list[Follower | None], found: Found, size: np.ndarray) -> None:
    """A hand found by a follower that was searching goes to the slot of the lost hand it is
    nearest to (the followers swap places, each slot keeps its memory): a slot is one hand."""
    for k, hand in enumerate(found):
        f = slots[k]
        if hand is None or f.holding:
            continue
        lost = [
            j
            for j, g in enumerate(slots)
            if g is not None and g.memory.last is not None and found[j] is None
        ]
        if f.memory.last is not None:
            lost.append(k)
        if not lost:
            continue
        last = hand.landmarks[0]
        near = min(lost, key=lambda j: float(hand_distance(last, slots[j].memory.last, size)))
        if near == k:
            continue
        a, b = slots[k], slots[near]
        a.memory, b.memory = b.memory, a.memory
        slots[k], slots[near] = b, a
        found[k], found[near] = None, hand
