"""Hands that can't be hands: far from the path and of no hand's size there, never followed."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from trainer.capture import tracker as tracker_module
from trainer.capture.landmarker import Hands
from trainer.core.path.calibration import Calibration
from trainer.core.path.hand_gate import HandGate, palm_length, plausible_hand
from trainer.core.track import RIGHT, THUMB_TIP

W, H = 640, 360
NECK = Calibration(np.array([[0.5, 0.22], [0.5, 0.8]]), "neck-back-stroke")  # 208.8 px long


def hand(at_px, palm_px: float, turn_deg: float = 0.0, squash: float = 1.0) -> np.ndarray:
    """(21, 3) normalized landmarks of an open hand: wrist at `at_px`, palm `palm_px` long.

    Wrist to middle-finger base is palm_px; the knuckles are 0.7 palm_px apart; `squash`
    shortens the hand along its length (a palm tilted away from the camera).
    """
    p = np.zeros((21, 2))
    p[1:5] = np.linspace([-0.2, -0.2], [-0.75, -0.65], 4)  # thumb
    # Four fingers, base to tip: index, middle (its base straight above the wrist), ring, pinky.
    for k, x in enumerate((-0.35, 0.0, 0.18, 0.35)):
        p[5 + 4 * k : 9 + 4 * k] = np.linspace([x, -1.0], [x * 1.2, -1.9], 4)
    p[:, 1] *= squash
    a = np.radians(turn_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    px = p @ rot.T * palm_px + np.asarray(at_px, float)
    return np.column_stack([px / [W, H], np.zeros(21)])


def test_palm_length_is_the_palm_whichever_way_the_hand_turns():
    assert palm_length(hand((300, 300), 100), W, H) == pytest.approx(100, abs=1)
    assert palm_length(hand((300, 300), 100, turn_deg=90), W, H) == pytest.approx(100, abs=1)
    # Tilted away to a third of its length, the knuckles' width still tells the size.
    assert palm_length(hand((300, 300), 100, squash=0.33), W, H) == pytest.approx(98, abs=2)


def test_a_hand_on_the_path_is_followed_whatever_its_size():
    path = NECK.in_pixels(W, H)
    assert plausible_hand(hand((330, 200), 90), path, W, H)  # a real hand at work
    assert plausible_hand(hand((330, 200), 10), path, W, H)  # tiny, but on the path
    assert plausible_hand(hand((330, 200), 700), path, W, H)  # huge, but on the path


def test_a_hand_sized_hand_away_from_the_path_is_followed():
    path = NECK.in_pixels(W, H)
    assert plausible_hand(hand((70, 300), 80), path, W, H)  # resting beside the neck
    assert plausible_hand(hand((600, 340), 30), path, W, H)  # 0.14 path lengths: a far hand


def test_a_candle_flame_far_from_the_path_is_not_a_hand():
    path = NECK.in_pixels(W, H)
    candle = hand((64, 160), 12)  # where the dim samples' candles stand, 12 px "palm"
    assert not plausible_hand(candle, path, W, H)
    assert not plausible_hand(hand((600, 80), 20), path, W, H)
    assert not plausible_hand(hand((60, 60), 600), path, W, H)  # and far too big for one


def test_nothing_to_judge_by_is_no_reason_to_drop_a_hand():
    path = NECK.in_pixels(W, H)
    unknown = np.full((21, 3), np.nan)
    assert plausible_hand(unknown, path, W, H)


def test_the_gate_scales_with_the_frame():
    gate = HandGate(NECK)
    # The same scene filmed at twice the size: the same verdicts.
    for scale in (1, 2):
        lm_ok = hand((330 * scale, 200 * scale), 90 * scale)
        lm_far = hand((64 * scale, 160 * scale), 12 * scale)
        lm_ok[:, :2] /= scale  # normalized to the larger frame
        lm_far[:, :2] /= scale
        assert gate.accepts(lm_ok, W * scale, H * scale)
        assert not gate.accepts(lm_far, W * scale, H * scale)


REAL = hand((330, 200), 90)
CANDLE = hand((64, 160), 12)


def _hands(*landmarks: np.ndarray) -> Hands:
    n = len(landmarks)
    return Hands(np.array(landmarks).reshape(n, 21, 3), np.full(n, RIGHT, np.int8), np.ones(n))


class ScriptedLandmarker:
    """Stands in for MediaPipe: VIDEO mode has locked onto a candle; IMAGE mode sees both."""

    seen: ClassVar[dict[bool, tuple[np.ndarray, ...]]] = {True: (CANDLE,), False: (CANDLE, REAL)}

    def __init__(self, path, *, video: bool = True, num_hands: int = 2) -> None:
        self.video = video

    def detect(self, rgb, timestamp_ms: int = 0) -> Hands:
        return _hands(*self.seen[self.video])

    def close(self) -> None:
        pass


def _follow(monkeypatch, gate: HandGate | None, seen=None) -> list[np.ndarray]:
    monkeypatch.setattr(tracker_module, "Landmarker", ScriptedLandmarker)
    if seen is not None:
        monkeypatch.setattr(ScriptedLandmarker, "seen", seen)
    frame = np.zeros((H, W, 3), np.uint8)
    with tracker_module.FrameTracker(model_path=Path("scripted"), gate=gate) as t:
        return [t.update(frame, i / 25).thumb_px for i in range(20)]


def test_the_tracker_follows_the_hand_not_the_candle(monkeypatch):
    real_tip = REAL[THUMB_TIP, :2] * [W, H]
    candle_tip = CANDLE[THUMB_TIP, :2] * [W, H]
    ungated = _follow(monkeypatch, None)
    assert all(np.linalg.norm(tip - candle_tip) < 1 for tip in ungated)  # the trap is real
    gated = _follow(monkeypatch, HandGate(NECK))
    assert all(np.linalg.norm(tip - real_tip) < 1 for tip in gated)


def test_only_a_candle_in_view_is_no_hand(monkeypatch):
    tips = _follow(monkeypatch, HandGate(NECK), {True: (CANDLE,), False: (CANDLE,)})
    assert all(np.isnan(tip).all() for tip in tips)
