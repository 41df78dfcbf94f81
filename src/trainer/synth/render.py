"""Drawing a posed hand into a frame: tapered shaded capsules, a shaded palm, forearm, shadow.

Canvases are float32 (H, W, 3) RGB in 0..1 until `Grain.finish` turns them into uint8 with camera
noise. Shading is Lambert light on normals from the shapes (analytic for the capsules, from a
distance transform for the palm), which is what makes the drawing a hand to MediaPipe.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.core.hands import (
    FINGER_BASES,
    FINGERS,
    INDEX_BASE,
    MIDDLE_BASE,
    PINKY_BASE,
    RING_BASE,
    THUMB,
    WRIST,
)

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
WARM = np.array([1.06, 0.95, 0.9], np.float32)  # light under the skin: shadows turn warmer

TIP_OVERHANG = 0.1  # MediaPipe puts the tip landmark this far (palm lengths) inside the end
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
    return colour * (0.42 * WARM + 0.62 * lambert) + shine


def _tube(points: np.ndarray, radii: np.ndarray, colour: np.ndarray, shape) -> _Part | None:
    """A tapered tube through points (n, 3) with radii (n,), shaded as rounded flesh.

    One piece per finger, so its joints show no seams; each pixel takes the normal of the
    nearest bone.
    """
    xy = points[:, :2]
    x0, y0, x1, y1 = _box(xy, float(radii.max()) + 2, shape)
    if x1 <= x0 or y1 <= y0:
        return None
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    best = np.full(xs.shape, np.inf, np.float32)
    nx, ny, rr = (np.zeros_like(xs) for _ in range(3))
    for (a, b), (r0, r1) in zip(itertools.pairwise(xy), itertools.pairwise(radii), strict=True):
        d = b - a
        dd = float(d @ d) or 1e-9
        t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / dd, 0.0, 1.0)
        ox, oy = xs - (a[0] + t * d[0]), ys - (a[1] + t * d[1])
        r = r0 + (r1 - r0) * t
        gap = np.hypot(ox, oy) - r
        closer = gap < best
        best = np.where(closer, gap, best)
        nx, ny, rr = np.where(closer, ox, nx), np.where(closer, oy, ny), np.where(closer, r, rr)
    alpha = np.clip(0.5 - best, 0.0, 1.0)
    if not alpha.any():
        return None
    inside = np.clip((best + rr) / rr, 0.0, 1.0)
    normal = np.stack([nx / rr, ny / rr, -np.sqrt(1.0 - inside**2)], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True) + 1e-9
    return _Part(float(points[:, 2].mean()), x0, y0, alpha, _lit(colour, normal))


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
    across = _unit2(j[INDEX_BASE] - j[PINKY_BASE])  # toward the thumb side, on screen
    knuckles = float(np.hypot(*(j[INDEX_BASE] - j[PINKY_BASE])[:2]))
    wrist_half = max(0.42 * knuckles, 0.16 * scale) * width
    edge = RADII[FINGERS[3]][0] * scale * width
    index_edge = RADII[FINGERS[0]][0] * scale * width * 0.7
    xy = j[:, :2]
    return np.array(
        [
            xy[WRIST] - across * wrist_half,
            xy[PINKY_BASE] - across * edge + 0.25 * (xy[WRIST] - xy[PINKY_BASE]),
            xy[PINKY_BASE] - across * edge * 0.6,
            xy[RING_BASE],
            xy[MIDDLE_BASE],
            xy[INDEX_BASE] + across * index_edge,
            xy[INDEX_BASE] + 0.45 * (xy[THUMB[1]] - xy[INDEX_BASE]),
            xy[THUMB[1]],
            xy[THUMB[0]] + across * 0.05 * scale,
            xy[WRIST] + across * wrist_half,
        ]
    )


def _forearm(j: np.ndarray, scale: float, look: HandLook, shape) -> list[_Part]:
    """Forearm and sleeve, leaving the wrist away from the fingers and out of the picture."""
    back = _unit2(j[WRIST] - j[MIDDLE_BASE])
    knuckles = float(np.hypot(*(j[INDEX_BASE] - j[PINKY_BASE])[:2]))
    r = max(0.4 * knuckles, 0.17 * scale) * look.width
    wrist, depth = j[WRIST, :2], j[WRIST, 2] + 0.3 * scale
    cuff = wrist + back * 1.1 * scale
    far = wrist + back * 6.0 * scale
    skin = np.array(look.skin, np.float32) / 255
    sleeve = np.array(look.sleeve, np.float32) / 255
    parts = [
        _tube(np.array([[*wrist, depth], [*cuff, depth]]), np.array([r, r * 1.12]), skin, shape),
        _tube(
            np.array([[*cuff, depth], [*far, depth]]), np.array([r * 1.35, r * 1.6]), sleeve, shape
        ),
    ]
    return [p for p in parts if p is not None]


def draw_hand(canvas: np.ndarray, joints: np.ndarray, scale: float, look: HandLook) -> None:
    """Draw the hand whose screen joints (21, 3) are `joints` onto `canvas`, in place."""
    shape = canvas.shape[:2]
    skin = np.array(look.skin, np.float32) / 255
    parts = _forearm(joints, scale, look, shape)
    palm_depth = float(joints[[WRIST, THUMB[0], *FINGER_BASES], 2].mean())
    palm = _blob(_palm_outline(joints, scale, look.width), palm_depth, 0.22 * scale, skin, shape)
    parts += [palm] if palm is not None else []
    for chain, radii in RADII.items():
        points = joints[list(chain)].copy()
        # the rounded end reaches TIP_OVERHANG past the tip landmark
        r_tip = radii[-1] * scale * look.width
        last = float(np.hypot(*(points[-1] - points[-2])[:2]))
        back = min(r_tip - TIP_OVERHANG * scale, 0.5 * last)
        points[-1, :2] -= _unit2(points[-1] - points[-2]) * back
        finger = _tube(points, np.array(radii) * scale * look.width, skin, shape)
        if finger is None:
            continue
        parts.append(finger)
        nail = _nail(points[-2], points[-1], r_tip, finger.depth, skin, shape)
        parts += [nail] if nail is not None else []
    if not parts:  # the whole hand is outside the picture
        return
    _shadow(canvas, parts, scale)
    for part in sorted(parts, key=lambda p: -p.depth):
        _paste(canvas, part)


def _nail(dip: np.ndarray, end: np.ndarray, r: float, depth: float, skin, shape) -> _Part | None:
    """The nail on the back of a finger's last bone: a glossy, paler rounded patch."""
    axis = end[:2] - dip[:2]
    length = float(np.hypot(*axis))
    if length < 2 or r < 1.5:
        return None
    u = axis / length
    tip = end[:2] + u * r * 0.8
    centre = tip - u * min(0.5 * length + 0.4 * r, 1.6 * r) * 0.62
    half_len = float(np.hypot(*(tip - centre)))
    x0, y0, x1, y1 = _box(np.stack([centre, tip]), r + 2, shape)
    if x1 <= x0 or y1 <= y0:
        return None
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    angle = float(np.degrees(np.arctan2(u[1], u[0])))
    c = (round((centre[0] - x0) * 4), round((centre[1] - y0) * 4))
    axes = (round(half_len * 4), round(0.62 * r * 4))
    cv2.ellipse(mask, c, axes, angle, 0, 360, 255, -1, cv2.LINE_AA, 2)
    if not mask.any():
        return None
    colour = np.clip(skin * 0.55 + np.array([0.5, 0.42, 0.42], np.float32), 0, 1)
    rgb = np.broadcast_to(colour, (*mask.shape, 3)).astype(np.float32)
    return _Part(depth - 1e-3, x0, y0, mask.astype(np.float32) / 255 * 0.8, rgb)


def _shadow(canvas: np.ndarray, parts: list[_Part], scale: float) -> None:
    """Darken the scene under the hand: a soft shadow cast down-right of it."""
    h, w = canvas.shape[:2]
    pad = int(0.4 * scale) + 2
    x0 = max(min(p.x0 for p in parts) - pad, 0)
    y0 = max(min(p.y0 for p in parts) - pad, 0)
    x1 = min(max(p.x0 + p.alpha.shape[1] for p in parts) + pad, w)
    y1 = min(max(p.y0 + p.alpha.shape[0] for p in parts) + pad, h)
    mask = np.zeros((y1 - y0, x1 - x0), np.float32)
    for p in parts:
        ph, pw = p.alpha.shape
        view = mask[p.y0 - y0 : p.y0 - y0 + ph, p.x0 - x0 : p.x0 - x0 + pw]
        np.maximum(view, p.alpha, out=view)
    shift = np.float32([[1, 0, 0.06 * scale], [0, 1, 0.1 * scale]])
    mask = cv2.warpAffine(mask, shift, mask.shape[::-1])
    mask = cv2.GaussianBlur(mask, (0, 0), 0.08 * scale)
    canvas[y0:y1, x0:x1] *= 1.0 - 0.45 * mask[..., None]


class Grain:
    """Camera noise for a w x h video: a fixed field, seen through a random shift each frame."""

    def __init__(self, w: int, h: int, rng: np.random.Generator, sigma: float = 2.5) -> None:
        self.w, self.h, self.rng = w, h, rng
        field = rng.standard_normal((h + 64, w + 64, 1), dtype=np.float32) * sigma
        colour = rng.standard_normal((h + 64, w + 64, 3), dtype=np.float32) * (0.4 * sigma)
        self.field = field + colour

    def finish(self, canvas: np.ndarray) -> np.ndarray:
        """The frame as uint8 RGB with this frame's noise."""
        dx, dy = self.rng.integers(0, 64, 2)
        noise = self.field[dy : dy + self.h, dx : dx + self.w]
        return np.clip(canvas * 255.0 + noise, 0, 255).astype(np.uint8)
