"""The hands of a sample video: how each looks, how big it is, how it is posed and held."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.core.base.errors import TrainerError
from trainer.synth.hand import GRIPS, jitter, place, pose, roll_toward, rotation, toward_palm
from trainer.synth.render import SKIN_TONES, HandLook
from trainer.synth.scene import HOLDS

LIFT_NEARER = 0.12  # a lifted hand is this much larger: nearer the camera
SLEEVES = ((40, 52, 84), (30, 30, 34), (120, 40, 40), (200, 200, 205), (60, 100, 70))


@dataclass(frozen=True)
class Actor:
    """One hand of a video: how it looks, how big, how it is posed and held.

    `joints` (21, 3) is the posed hand (a left hand mirrored) in the hand frame.
    """

    look: HandLook
    scale: float
    joints: np.ndarray
    roll: float
    pitch: float
    yaw: float
    left: bool = False

    def at(self, thumb_px: np.ndarray, lift: float, turn: np.ndarray) -> tuple[np.ndarray, float]:
        """Screen joints (21, 3) and palm length in px with the thumb tip at `thumb_px`.

        `lift` 0..1 brings the hand nearer the camera; `turn` (3,) adds roll, pitch and yaw.
        """
        scale = self.scale * (1 + LIFT_NEARER * lift)
        rot = rotation(self.roll + turn[0], self.pitch + turn[1], self.yaw + turn[2])
        return place(self.joints, thumb_px, scale, rot), scale

    @property
    def toward_hand(self) -> np.ndarray:
        """(2,) screen direction from the thumb tip to the palm, at rest."""
        return toward_palm(self.at(np.zeros(2), 0.0, np.zeros(3))[0])


def cast(
    technique: str,
    height: int,
    rng: np.random.Generator,
    *,
    left: bool | None = None,
    toward_hand: tuple[float, float] | None = None,
    grip: str | None = None,
) -> Actor:
    """A random hand for the technique: either side (or `left`), any skin tone, size and a
    natural pose, its palm toward the technique's side of the thumb (or `toward_hand`)."""
    if technique not in HOLDS:
        raise TrainerError(f"unknown technique {technique!r}; expected one of {', '.join(HOLDS)}")
    hold = HOLDS[technique]
    direction = np.array(toward_hand or hold.toward_hand, dtype=np.float64)
    drawn_left = bool(rng.random() < 0.5)
    left = drawn_left if left is None else left
    look = HandLook(
        SKIN_TONES[rng.choice(list(SKIN_TONES))],
        width=float(rng.uniform(0.95, 1.1)),
        sleeve=tuple(int(c) for c in SLEEVES[rng.integers(len(SLEEVES))]),
    )
    joints = pose(jitter(GRIPS[grip or hold.grip], rng, 5.0), left=left)
    pitch, yaw = np.radians(rng.uniform(10, 22)), np.radians(rng.uniform(-10, 10))
    turn = np.radians(rng.uniform(-20, 20))
    c, s = np.cos(turn), np.sin(turn)
    roll = roll_toward(joints, np.array([[c, -s], [s, c]]) @ direction, pitch, yaw)
    return Actor(look, float(rng.uniform(0.25, 0.3)) * height, joints, roll, pitch, yaw, left)


def body_skin(hand_skin: tuple[int, int, int], rng: np.random.Generator):
    """A skin tone for the body part that differs from the hand's."""
    tones = [t for t in SKIN_TONES.values() if abs(sum(t) - sum(hand_skin)) > 60]
    return tones[rng.integers(len(tones))]
