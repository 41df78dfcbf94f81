"""A 21-joint hand skeleton measured from a real photo, posed by rotating its joints.

Hand frame (right hand): x toward the thumb side, y from the wrist toward the fingers, z out of
the palm; unit length is the palm (wrist to middle-finger knuckle). A left hand is the mirror
image (x negated). Joint order is MediaPipe's, named in `trainer.core.hands`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from trainer.core.hands import (
    FINGER_BASES,
    FINGERS,
    INDEX_BASE,
    MIDDLE_BASE,
    PINKY_BASE,
    THUMB,
    THUMB_TIP,
    WRIST,
)

REFERENCE = Path(__file__).with_name("hand_reference.json")


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


@dataclass(frozen=True)
class Skeleton:
    """Fixed palm joints and bone lengths of one measured hand, in hand-frame units.

    Attributes:
        palm: (21, 3) the measured joints; the wrist, the thumb's and the fingers' bases are the
            palm that poses keep.
        lengths: (5, 3) bone lengths past the base joint, thumb first (CMC-MCP, MCP-IP, IP-TIP).
        spread: (4,) measured angle of each finger from the y axis, radians, + toward the thumb.
        source: the photo the landmarks were measured on.
    """

    palm: np.ndarray
    lengths: np.ndarray
    spread: np.ndarray
    source: str


@cache
def reference_skeleton() -> Skeleton:
    """The skeleton of the hand in `hand_reference.json`, converted to the hand frame."""
    data = json.loads(REFERENCE.read_text())
    w, h = data["image_size"]
    px = np.asarray(data["landmarks"], dtype=np.float64) * [w, h, w]
    y = _unit(px[MIDDLE_BASE] - px[WRIST])
    radial = px[INDEX_BASE] - px[PINKY_BASE]
    x = _unit(radial - radial.dot(y) * y)
    z = np.cross(x, y)
    palm = np.linalg.norm(px[MIDDLE_BASE] - px[WRIST])
    local = (px - px[WRIST]) @ np.stack([x, y, z]).T / palm
    chains = (THUMB, *FINGERS)
    lengths = np.array(
        [np.linalg.norm(np.diff(local[list(c)], axis=0), axis=1) for c in chains],
    )
    direction = np.array([local[f[1]] - local[f[0]] for f in FINGERS])
    spread = np.arctan2(direction[:, 0], direction[:, 1])
    return Skeleton(local, lengths, spread, data["source"])


@dataclass(frozen=True)
class Grip:
    """Joint angles of a pose, in degrees.

    `spread` scales the measured finger spread (0: fingers together). `flex` bends each
    finger's three joints toward the palm, index first. The thumb's metacarpal leaves the palm
    `thumb_out` degrees from the y axis toward the thumb side and `thumb_lift` degrees out of
    the palm plane; `thumb_flex` bends its MCP and IP joints.
    """

    spread: float
    flex: tuple[tuple[float, float, float], ...]
    thumb_out: float
    thumb_lift: float
    thumb_flex: tuple[float, float]


GRIPS = {
    # Foot: thumb stretched out and pressing, the fingers curled round the body part.
    "press": Grip(0.6, ((30, 40, 20), (34, 44, 22), (38, 48, 24), (42, 50, 26)), 52, 28, (8, 14)),
    # Neck: fingers together and gently bent, thumb alongside.
    "flat": Grip(0.25, ((18, 22, 12), (20, 24, 12), (22, 26, 14), (24, 28, 14)), 42, 26, (6, 12)),
}


def jitter(grip: Grip, rng: np.random.Generator, degrees: float) -> Grip:
    """The grip with each angle moved by up to `degrees` (a natural, slightly different hand)."""

    def move(a: float) -> float:
        return float(a + rng.uniform(-degrees, degrees))

    return replace(
        grip,
        flex=tuple(tuple(move(a) for a in f) for f in grip.flex),
        thumb_out=move(grip.thumb_out),
        thumb_lift=move(grip.thumb_lift),
        thumb_flex=(move(grip.thumb_flex[0]), move(grip.thumb_flex[1])),
    )


def _chain(start: np.ndarray, base: np.ndarray, bend: np.ndarray, lengths, angles) -> list:
    """Joints along a chain whose bones turn from `base` toward `bend` by cumulative angles."""
    joints, p, total = [], start, 0.0
    for length, angle in zip(lengths, angles, strict=True):
        total += np.radians(angle)
        p = p + length * (np.cos(total) * base + np.sin(total) * bend)
        joints.append(p)
    return joints


def pose(grip: Grip, *, left: bool = False, skeleton: Skeleton | None = None) -> np.ndarray:
    """(21, 3) joints of the hand in `grip`, in the hand frame."""
    sk = skeleton or reference_skeleton()
    joints = sk.palm.copy()
    z = np.array([0.0, 0.0, 1.0])
    for i, finger in enumerate(FINGERS):
        a = sk.spread[i] * grip.spread
        base = np.array([np.sin(a), np.cos(a), 0.0])
        joints[list(finger[1:])] = _chain(
            sk.palm[finger[0]], base, z, sk.lengths[i + 1], grip.flex[i]
        )
    out, lift = np.radians(grip.thumb_out), np.radians(grip.thumb_lift)
    base = np.array([np.cos(lift) * np.sin(out), np.cos(lift) * np.cos(out), np.sin(lift)])
    # The thumb curls across the palm: toward the little-finger side and the palm.
    across = np.array([-1.0, 0.0, 1.0])
    bend = _unit(across - across.dot(base) * base)
    joints[list(THUMB[1:])] = _chain(
        sk.palm[THUMB[0]], base, bend, sk.lengths[0], (0.0, *grip.thumb_flex)
    )
    if left:
        joints[:, 0] *= -1
    return joints


def rotation(roll: float, pitch: float = 0.0, yaw: float = 0.0) -> np.ndarray:
    """(3, 3) hand frame -> camera (x right, y down, z away), back of the hand to the camera.

    At roll 0 the fingers point up the picture; `roll` turns the hand clockwise on screen,
    `pitch` tips the fingers away from the camera, `yaw` turns the thumb side away; radians.
    """
    back_to_camera = np.diag([-1.0, -1.0, 1.0])
    cr, sr = np.cos(roll), np.sin(roll)
    cp, sp = np.cos(pitch), np.sin(pitch)
    cy, sy = np.cos(yaw), np.sin(yaw)
    rz = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    return rz @ rx @ ry @ back_to_camera


def place(joints: np.ndarray, thumb_px: np.ndarray, scale: float, rot: np.ndarray) -> np.ndarray:
    """(21, 3) joints on screen: x, y in pixels with the thumb tip at `thumb_px`, z depth in px.

    Orthographic view; `scale` is the palm length in pixels.
    """
    cam = joints @ rot.T * scale
    return cam - np.array([*cam[THUMB_TIP, :2], 0.0]) + np.array([*thumb_px, 0.0])


PALM = (WRIST, *FINGER_BASES)


def roll_toward(joints: np.ndarray, direction: np.ndarray, pitch: float, yaw: float) -> float:
    """The roll that puts the palm in screen `direction` (x, y) from the thumb tip; radians."""
    return float(
        np.arctan2(direction[1], direction[0])
        - np.arctan2(*toward_palm(joints @ rotation(0.0, pitch, yaw).T)[::-1])
    )


def toward_palm(screen: np.ndarray) -> np.ndarray:
    """(2,) unit screen vector from the thumb tip to the middle of the palm, of screen joints."""
    v = screen[list(PALM), :2].mean(axis=0) - screen[THUMB_TIP, :2]
    return v / np.linalg.norm(v)
