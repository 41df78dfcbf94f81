"""How a sample is staged beyond one hand stroking a still body part: a second hand holding
the body part, two hands stroking either side of the line, the body part shifting and turning.

Every hand's thumb is laid out on the body part (in the first frame's pixels); when the body
part moves, a similarity per frame carries the body part, the path and the hands on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.core.path.pathmotion import IDENTITY, apply
from trainer.core.path.polyline import arc_length
from trainer.synth.actor import Actor, cast
from trainer.synth.animate import Motion, Plan, animate, min_jerk

STAGES = {"foot-spine-line": ("held", "moving"), "neck-back-stroke": ("two_hands", "moving")}
SHOWS = {
    "held": "a correct attempt while the other hand holds the big toe, resting, shifting a little",
    "two_hands": "a correct attempt with both hands, one each side of the spine",
    "moving": "a correct attempt while the body part shifts about 12% of the picture and turns 6°",
}
SHIFT = 0.12  # the body part moves this share of the picture's width, all told
TURN_DEG = 6.0
SIDE = 0.15  # two hands stroke this many path lengths either side of the line
HOLD_AT = (0.87, 0.45)  # where the holding thumb rests (normalized): on the big toe, from above
HOLD_TOWARD = (0.35, -1.0)  # screen direction from its thumb to its palm
DRIFT = 0.012  # the holding hand shifts this share of the picture's width


@dataclass(frozen=True)
class Hand:
    """A hand of the video: its actor; its motion with the thumb tip on the body part (in the
    first frame's pixels); "stroke" or "hold"; the path lengths its line lies beside the path
    (d > 0: right of the direction of travel on screen, as the core measures it)."""

    actor: Actor
    motion: Motion
    role: str = "stroke"
    side: float = 0.0


@dataclass(frozen=True)
class Staging:
    """The hands (the judged one first) and the body part's motion (N, 2, 3), first frame ->
    frame i in pixels; None when the body part stays still."""

    hands: tuple[Hand, ...]
    matrices: np.ndarray | None = None

    def matrix(self, i: int) -> np.ndarray:
        return IDENTITY if self.matrices is None else self.matrices[i]

    def joints(self, i: int) -> list[tuple[Actor, np.ndarray, float]]:
        """Per hand, in drawing order: its actor, screen joints (21, 3) and palm length."""
        m = self.matrix(i)
        turn = np.array([np.arctan2(m[1, 0], m[0, 0]), 0.0, 0.0])
        out = []
        for hand in reversed(self.hands):  # the judged hand is drawn last, on top
            mo = hand.motion
            thumb = apply(m, mo.thumb_px[i])[0]
            joints, scale = hand.actor.at(thumb, float(mo.lift[i]), mo.turn[i] + turn)
            out.append((hand.actor, joints, scale))
        return out


def side_line(path_px: np.ndarray, offset: float) -> np.ndarray:
    """The path moved `offset` path lengths to the right of its direction of travel on screen."""
    chord = path_px[-1] - path_px[0]
    length = float(arc_length(path_px)[-1])
    u = chord / np.hypot(*chord)
    return path_px + offset * length * np.array([-u[1], u[0]])


def sway(t: np.ndarray, centre: np.ndarray, width: int, rng: np.random.Generator) -> np.ndarray:
    """(N, 2, 3) the body part still for a while, then shifting and turning in two smooth moves
    (SHIFT of the width and TURN_DEG all told), about `centre`."""
    span = float(t[-1]) if len(t) else 1.0
    heading = rng.uniform(0, 2 * np.pi)
    far = SHIFT * width * np.array([np.cos(heading), np.sin(heading)])
    near = far * rng.uniform(0.4, 0.6) + rng.normal(0, 0.02 * width, 2)
    sign = rng.choice([-1.0, 1.0])
    first = min_jerk((t - 0.12 * span) / (0.2 * span))[:, None]
    second = min_jerk((t - 0.5 * span) / (0.25 * span))[:, None]
    shift = near * first + (far - near) * second
    angle = np.radians(TURN_DEG) * sign * (0.5 * first + 0.5 * second)[:, 0]
    c, s = np.cos(angle), np.sin(angle)
    out = np.empty((len(t), 2, 3))
    out[:, 0, :2] = np.stack([c, -s], axis=1)
    out[:, 1, :2] = np.stack([s, c], axis=1)
    out[:, :, 2] = centre - np.einsum("nij,j->ni", out[:, :, :2], centre) + shift
    return out


def _holding(technique: str, main: Motion, size, rng: np.random.Generator) -> Hand:
    """The other hand resting on the big toe, shifting a little."""
    w, h = size
    actor = cast(technique, h, rng, toward_hand=HOLD_TOWARD, grip="flat")
    t = main.t
    f, ph = rng.uniform(0.08, 0.2, 2), rng.uniform(0, 2 * np.pi, 2)
    thumb = np.array(HOLD_AT) * [w, h] + DRIFT * w * np.sin(2 * np.pi * f * t[:, None] + ph)
    still = np.zeros(len(t))
    motion = Motion(t, thumb, np.full(len(t), -1), still, 0.4 * main.turn[::-1])
    return Hand(actor, motion, role="hold")


def stage(
    case: str,
    technique: str,
    actor: Actor,
    path_px: np.ndarray,
    lift_side: np.ndarray,
    plan: Plan,
    size: tuple[int, int],
    fps: float,
    rng: np.random.Generator,
) -> Staging:
    """The hands and body motion of `case` (one of STAGES or a plain one), `actor` stroking."""

    def stroking(who: Actor, line: np.ndarray, side: np.ndarray) -> Motion:
        return animate(plan, line, side, -who.toward_hand, size, fps, rng)

    if case == "two_hands":
        # Both hands, palms outward, each on its own line beside the spine.
        other = cast(technique, size[1], rng, left=not actor.left, toward_hand=(-1.0, 0.0))
        out = np.array([1.0, 0.0])
        right = Hand(actor, stroking(actor, side_line(path_px, -SIDE), out), side=-SIDE)
        left = Hand(other, stroking(other, side_line(path_px, SIDE), -out), side=SIDE)
        return Staging((right, left))
    main = Hand(actor, stroking(actor, path_px, lift_side))
    if case == "held":
        return Staging((main, _holding(technique, main.motion, size, rng)))
    if case == "moving":
        return Staging((main,), sway(main.motion.t, path_px.mean(axis=0), size[0], rng))
    return Staging((main,))
