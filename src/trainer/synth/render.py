"""Drawing a posed hand into a frame: tapered shaded capsules, a shaded palm, forearm, shadow.

Canvases are float32 (H, W, 3) RGB in 0..1 until `finish` turns them into uint8 with camera
noise. Shading is Lambert light on normals from the shapes (analytic for the capsules, from a
distance transform for the palm), which is what makes the drawing a hand to MediaPipe.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.synth.hand import FINGERS, THUMB

# Skin tones, light to dark, RGB 0..255.
SKIN_TONES = {
    "light": (236, 196, 172),
    "fair": (224, 172, 140),
    "medium": (198, 138, 102),
    "olive": (176, 124, 86),
    "brown": (136, 88, 62),
    "dark": (96, 62, 44),
}
LIGHT = np.array([-0.35, -0.55, -0.76])  # toward the light: up-left, in front of the scene
LIGHT /= np.linalg.norm(LIGHT)

# Radii of each chain's joints (base, then each joint to the tip) in palm lengths.
RADII = {
    THUMB: (0.15, 0.125, 0.112, 0.098),
    FINGERS[0]: (0.105, 0.094, 0.084, 0.074),
    FINGERS[1]: (0.11, 0.098, 0.088, 0.077),
    FINGERS[2]: (0.102, 0.091, 0.082, 0.072),
    FINGERS[3]: (0.09, 0.08, 0.072, 0.063),
}


@dataclass(frozen=True)
class HandLook:
    """How a hand looks: skin colour (RGB 0..255), finger width factor, sleeve colour."""

    skin: tuple[int, int, int]
    width: float = 1.0
    sleeve: tuple[int, int, int] = (40, 52, 84)


@dataclass
class _Part:
    """One drawn piece: coverage (h, w) and colour (h, w, 3) over a box at (x0, y0)."""

    depth: float
    x0: int
    y0: int
    alpha: np.ndarray
    rgb: np.ndarray


def _box(points: np.ndarray, pad: float, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    lo = np.floor(points.min(axis=0) - pad).astype(int)
    hi = np.ceil(points.max(axis=0) + pad).astype(int) + 1
    return max(lo[0], 0), max(lo[1], 0), min(hi[0], shape[1]), min(hi[1], shape[0])


def _lit(colour: np.ndarray, normal: np.ndarray, gloss: float = 0.08) -> np.ndarray:
    """Colour under ambient + Lambert + a faint highlight; normal (..., 3) unit vectors."""
    lambert = np.clip(normal @ LIGHT, 0.0, 1.0)[..., None]
    shine = lambert**12 * gloss
    return colour * (0.42 + 0.62 * lambert) + shine


def _capsule(
    p0: np.ndarray, p1: np.ndarray, r0: float, r1: float, colour: np.ndarray, shape
) -> _Part | None:
    """A tapered capsule from p0 to p1 (x, y, depth), shaded as a cylinder."""
    a, b = p0[:2], p1[:2]
    x0, y0, x1, y1 = _box(np.stack([a, b]), max(r0, r1) + 2, shape)
    if x1 <= x0 or y1 <= y0:
        return None
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d = b - a
    dd = float(d @ d) or 1e-9
    t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / dd, 0.0, 1.0)
    ox, oy = xs - (a[0] + t * d[0]), ys - (a[1] + t * d[1])
    dist = np.hypot(ox, oy)
    r = r0 + (r1 - r0) * t
    alpha = np.clip(r - dist + 0.5, 0.0, 1.0)
    if not alpha.any():
        return None
    inside = np.clip(dist / r, 0.0, 1.0)
    normal = np.stack([ox / r, oy / r, -np.sqrt(1.0 - inside**2)], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True) + 1e-9
    depth = float(p0[2] + p1[2]) / 2
    return _Part(depth, x0, y0, alpha, _lit(colour, normal))


def _blob(outline: np.ndarray, depth: float, round_px: float, colour: np.ndarray, shape):
    """A filled polygon, rounded like flesh: normals from the distance to its edge."""
    x0, y0, x1, y1 = _box(outline, 3, shape)
    if x1 <= x0 or y1 <= y0:
        return None
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    pts = np.round((outline - [x0, y0]) * 4).astype(np.int32)
    cv2.fillPoly(mask, [pts], 255, lineType=cv2.LINE_AA, shift=2)
    if not mask.any():
        return None
    dist = cv2.distanceTransform((mask > 127).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    height = np.sqrt(np.clip(1.0 - (1.0 - np.clip(dist / round_px, 0, 1)) ** 2, 0, 1)) * round_px
    gy, gx = np.gradient(cv2.GaussianBlur(height, (0, 0), 1.2 + 0.08 * round_px))
    normal = np.stack([-gx, -gy, -np.ones_like(gx)], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    return _Part(depth, x0, y0, mask.astype(np.float32) / 255.0, _lit(colour, normal))


def shaded_shape(canvas: np.ndarray, outline: np.ndarray, colour, round_px: float) -> None:
    """Paint polygon `outline` (K, 2) px onto `canvas` in `colour` (RGB 0..255), flesh-rounded."""
    part = _blob(outline, 0.0, round_px, np.array(colour, np.float32) / 255, canvas.shape[:2])
    if part is not None:
        _paste(canvas, part)


def _paste(canvas: np.ndarray, part: _Part) -> None:
    h, w = part.alpha.shape
    region = canvas[part.y0 : part.y0 + h, part.x0 : part.x0 + w]
    a = part.alpha[..., None]
    region[:] = region * (1 - a) + part.rgb * a


def _unit2(v: np.ndarray) -> np.ndarray:
    n = float(np.hypot(*v[:2]))
    return v[:2] / n if n > 1e-6 else np.array([1.0, 0.0])


def _palm_outline(j: np.ndarray, scale: float, width: float) -> np.ndarray:
    """Palm polygon on screen: wrist, little-finger edge, knuckles, thumb web, thumb base."""
    across = _unit2(j[5] - j[17])  # toward the thumb side, on screen
    knuckles = float(np.hypot(*(j[5] - j[17])[:2]))
    wrist_half = max(0.42 * knuckles, 0.16 * scale) * width
    edge = RADII[FINGERS[3]][0] * scale * width
    index_edge = RADII[FINGERS[0]][0] * scale * width * 0.7
    xy = j[:, :2]
    return np.array(
        [
            xy[0] - across * wrist_half,
            xy[17] - across * edge + 0.25 * (xy[0] - xy[17]),
            xy[17] - across * edge * 0.6,
            xy[13],
            xy[9],
            xy[5] + across * index_edge,
            xy[5] + 0.45 * (xy[2] - xy[5]),
            xy[2],
            xy[1] + across * 0.05 * scale,
            xy[0] + across * wrist_half,
        ]
    )


def _forearm(j: np.ndarray, scale: float, look: HandLook, shape) -> list[_Part]:
    """Forearm and sleeve, leaving the wrist away from the fingers and out of the picture."""
    back = _unit2(j[0] - j[9])
    knuckles = float(np.hypot(*(j[5] - j[17])[:2]))
    r = max(0.4 * knuckles, 0.17 * scale) * look.width
    wrist, depth = j[0, :2], j[0, 2] + 0.3 * scale
    cuff = wrist + back * 1.1 * scale
    far = wrist + back * 6.0 * scale
    skin = np.array(look.skin, np.float32) / 255
    sleeve = np.array(look.sleeve, np.float32) / 255
    parts = [
        _capsule(np.r_[wrist, depth], np.r_[cuff, depth], r, r * 1.12, skin, shape),
        _capsule(np.r_[cuff, depth], np.r_[far, depth], r * 1.35, r * 1.6, sleeve, shape),
    ]
    return [p for p in parts if p is not None]


def draw_hand(canvas: np.ndarray, joints: np.ndarray, scale: float, look: HandLook) -> None:
    """Draw the hand whose screen joints (21, 3) are `joints` onto `canvas`, in place."""
    shape = canvas.shape[:2]
    skin = np.array(look.skin, np.float32) / 255
    parts = _forearm(joints, scale, look, shape)
    palm_depth = float(joints[[0, 1, 5, 9, 13, 17], 2].mean())
    palm = _blob(_palm_outline(joints, scale, look.width), palm_depth, 0.22 * scale, skin, shape)
    parts += [palm] if palm is not None else []
    for chain, radii in RADII.items():
        for k, (i, j) in enumerate(itertools.pairwise(chain)):
            r0, r1 = radii[k] * scale * look.width, radii[k + 1] * scale * look.width
            p1 = joints[j].copy()
            if k == 2:  # the finger's rounded end stops at the tip landmark
                p1[:2] -= _unit2(joints[j] - joints[i]) * min(
                    r1, 0.5 * np.hypot(*(p1 - joints[i])[:2])
                )
            part = _capsule(joints[i], p1, r0, r1, skin * (0.97 + 0.03 * k), shape)
            if part is not None:
                parts.append(part)
    _shadow(canvas, parts, scale)
    for part in sorted(parts, key=lambda p: -p.depth):
        _paste(canvas, part)


def _shadow(canvas: np.ndarray, parts: list[_Part], scale: float) -> None:
    """Darken the scene under the hand: a soft shadow cast down-right of it."""
    mask = np.zeros(canvas.shape[:2], np.float32)
    for p in parts:
        h, w = p.alpha.shape
        view = mask[p.y0 : p.y0 + h, p.x0 : p.x0 + w]
        np.maximum(view, p.alpha, out=view)
    shift = np.float32([[1, 0, 0.06 * scale], [0, 1, 0.1 * scale]])
    mask = cv2.warpAffine(mask, shift, mask.shape[::-1])
    mask = cv2.GaussianBlur(mask, (0, 0), 0.08 * scale)
    canvas *= 1.0 - 0.45 * mask[..., None]


def finish(canvas: np.ndarray, rng: np.random.Generator, noise: float = 2.5) -> np.ndarray:
    """The frame as uint8 RGB with a little camera noise (sigma in 0..255 levels)."""
    grain = rng.normal(0.0, noise, canvas.shape[:2])[..., None]
    out = canvas * 255.0 + grain + rng.normal(0.0, noise * 0.4, canvas.shape)
    return np.clip(out, 0, 255).astype(np.uint8)
