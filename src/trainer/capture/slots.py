"""The tracker's hand slots: which slot is the named hand, which lost hand a found one is,
which slot each IMAGE-mode hand goes to, two followers on one hand, and whether IMAGE mode
sees a slot's thumb elsewhere (VIDEO mode's trap)."""

from __future__ import annotations

import numpy as np

from trainer.capture.follower import Follower
from trainer.capture.landmarker import Hands
from trainer.core.hands import WRIST, hand_distance, hand_size
from trainer.core.track import LEFT, RIGHT, THUMB_TIP

SAME_HAND = 0.35  # two followers nearer than this (hand sizes) are on one hand
SAME_WRIST = 1.0  # hand sizes: an IMAGE-mode hand with its wrist this near is the same hand
DISAGREE_SHARE = 0.35  # of the hand's size (wrist to middle-finger base)

Found = list[Hands | None]


def one(hands: Hands, i: int) -> Hands:
    """Hand i of hands, as Hands of its own."""
    return Hands(hands.landmarks[i : i + 1], hands.handedness[i : i + 1], hands.score[i : i + 1])


def nearest_slots(fresh: Hands, slots: list[Follower | None], size: np.ndarray) -> Found:
    """IMAGE-mode hands to slots: each to the slot whose hand it is nearest to, the rest to
    slots without a hand."""
    found: Found = [None] * len(slots)
    pairs = sorted(
        (float(hand_distance(fresh.landmarks[i], f.memory.last, size)), i, k)
        for i in range(len(fresh))
        for k, f in enumerate(slots)
        if f is not None and f.memory.last is not None
    )
    used: set[int] = set()
    for _, i, k in pairs:
        if i not in used and found[k] is None:
            found[k] = one(fresh, i)
            used.add(i)
    free = [k for k in range(len(slots)) if found[k] is None]
    for i in range(len(fresh)):
        if i not in used and free:
            found[free.pop(0)] = one(fresh, i)
    return found


def drop_twins(
    slots: list[Follower | None], found: Found, small: np.ndarray, t: float, size: np.ndarray
) -> None:
    """Two followers on one hand: the one that found it last lets go and stops."""
    for a in range(len(slots)):
        for b in range(a + 1, len(slots)):
            if found[a] is None or found[b] is None:
                continue
            if hand_distance(found[a].landmarks[0], found[b].landmarks[0], size) >= SAME_HAND:
                continue
            fa, fb = slots[a], slots[b]
            later = (not fb.holding, fb.memory.since) >= (not fa.holding, fa.memory.since)
            newer = b if later else a
            slots[newer].forget(small, t)
            slots[newer].active = False
            found[newer] = None


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
