"""The still scenes the hand works on: the inner edge of a foot and the back of a neck.

Each scene is drawn so that its stroke line lies on the technique's default framing guide, and
says how a hand holds it: the grip, and the screen direction from the thumb tip to the hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.core.base.errors import TrainerError
from trainer.core.technique import load_technique
from trainer.synth.render import SKIN_TONES, shaded_shape


@dataclass(frozen=True)
class Hold:
    """How the hand holds the body part: its grip (`trainer.synth.hand.GRIPS`), the screen
    direction (x, y) from the thumb tip to the palm, and the side of the line (a screen
    direction) the thumb strays to when off the line or lifted."""

    grip: str
    toward_hand: tuple[float, float]
    lift_side: tuple[float, float]


HOLDS = {
    # Thumb on the sole's edge, the hand over the side of the foot; off the line means toward
    # the top of the foot.
    "foot-spine-line": Hold("press", (0.0, -1.0), (0.0, -1.0)),
    # Thumb on the spine, the hand beside it round the side of the neck.
    "neck-back-stroke": Hold("flat", (1.0, 0.0), (1.0, 0.0)),
}
TECHNIQUES = tuple(HOLDS)


def guide(technique: str) -> np.ndarray:
    """(K, 2) the technique file's default framing guide, normalized, start -> end."""
    return np.array(load_technique(technique).guide, dtype=np.float64)


@dataclass(frozen=True)
class Scene:
    """A technique's still picture.

    Attributes:
        technique: technique name.
        image: (H, W, 3) float32 RGB 0..1, the body part over its background.
        path: (K, 2) the stroke line in normalized coordinates, start -> end.
        backdrop: (H, W, 3) the background alone; body: (H, W) float32 0..1, where the body
            part covers it (so the body part can move over the background).
    """

    technique: str
    image: np.ndarray
    path: np.ndarray
    backdrop: np.ndarray
    body: np.ndarray

    def moved(self, matrix: np.ndarray) -> np.ndarray:
        """(H, W, 3) the picture with the body part moved by a 2x3 similarity (pixels) over
        the still background; what leaves the picture continues it at the edges."""
        w, h = self.size
        flags, border = cv2.INTER_LINEAR, cv2.BORDER_REPLICATE
        image = cv2.warpAffine(self.image, matrix, (w, h), flags=flags, borderMode=border)
        body = cv2.warpAffine(self.body, matrix, (w, h), flags=flags, borderMode=border)
        return self.backdrop + (image - self.backdrop) * body[..., None]

    @property
    def size(self) -> tuple[int, int]:
        return self.image.shape[1], self.image.shape[0]

    @property
    def path_px(self) -> np.ndarray:
        """(K, 2) the stroke line in pixels."""
        return self.path * np.array(self.size, dtype=np.float64)


def _texture(h: int, w: int, rng: np.random.Generator, blur: float) -> np.ndarray:
    """(h, w) smooth noise with unit spread: cloth, wall or skin blotches."""
    noise = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), blur)
    return noise / (noise.std() + 1e-6)


def _backdrop(w: int, h: int, base, rng: np.random.Generator) -> np.ndarray:
    """A softly lit, slightly textured background, out of focus like behind the subject."""
    colour = np.array(base, np.float32) / 255
    canvas = np.empty((h, w, 3), np.float32)
    canvas[:] = colour
    canvas *= (
        1 + 0.07 * _texture(h, w, rng, 18)[..., None] + 0.02 * _texture(h, w, rng, 3)[..., None]
    )
    ramp = np.linspace(1.08, 0.9, h, dtype=np.float32)[:, None, None]
    return canvas * ramp


def _skin_blotches(canvas: np.ndarray, rng: np.random.Generator) -> None:
    h, w = canvas.shape[:2]
    canvas *= 1 + 0.025 * _texture(h, w, rng, 6)[..., None]


def _spline(points, n: int = 200) -> np.ndarray:
    """(n, 2) a smooth closed outline through `points` (periodic Catmull-Rom)."""
    p = np.asarray(points, dtype=np.float64)
    out = []
    for i in range(len(p)):
        p0, p1, p2, p3 = p[i - 1], p[i], p[(i + 1) % len(p)], p[(i + 2) % len(p)]
        for t in np.linspace(0, 1, n // len(p), endpoint=False):
            out.append(
                0.5
                * (
                    2 * p1
                    + (p2 - p0) * t
                    + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                    + (3 * p1 - p0 - 3 * p2 + p3) * t**3
                )
            )
    return np.array(out)


def _coverage(w: int, h: int, outlines: list[np.ndarray]) -> np.ndarray:
    """(h, w) float32 0..1: the area inside any of the outlines (pixels), anti-aliased."""
    mask = np.zeros((h, w), np.uint8)
    for outline in outlines:
        pts = np.round(np.asarray(outline) * 4).astype(np.int32)
        cv2.fillPoly(mask, [pts], 255, lineType=cv2.LINE_AA, shift=2)
    return mask.astype(np.float32) / 255.0


def foot(w: int, h: int, rng: np.random.Generator, skin) -> Scene:
    """A foot seen from its inner side, heel left, big toe right; the sole edge under the guide."""
    towel = rng.choice([(70, 96, 120), (150, 150, 160), (92, 120, 90), (120, 80, 90)])
    canvas = _backdrop(w, h, towel, rng)
    k = np.array([w, h], np.float64)
    # Outline in normalized coordinates, clockwise from the back of the heel.
    outline = np.array(
        [
            (0.13, 0.52),
            (0.15, 0.30),
            (0.20, 0.00),
            (0.36, 0.00),
            (0.38, 0.22),
            (0.50, 0.32),
            (0.66, 0.40),
            (0.80, 0.44),
            (0.86, 0.47),
            (0.875, 0.52),
            (0.86, 0.60),
            (0.80, 0.625),
            (0.66, 0.625),
            (0.50, 0.585),
            (0.30, 0.655),
            (0.18, 0.645),
        ]
    ) + rng.normal(0, 0.004, (16, 2))
    backdrop = canvas.copy()
    shaded_shape(canvas, _spline(outline) * k, skin, 0.12 * h)
    toe = _spline([(0.79, 0.47), (0.86, 0.46), (0.885, 0.53), (0.86, 0.6), (0.79, 0.6)]) * k
    shaded_shape(canvas, toe, np.array(skin) * 1.02, 0.04 * h)
    _skin_blotches(canvas, rng)
    body = _coverage(w, h, [_spline(outline) * k, toe])
    return Scene("foot-spine-line", canvas, guide("foot-spine-line"), backdrop, body)


def neck(w: int, h: int, rng: np.random.Generator, skin) -> Scene:
    """The back of a head and neck, hairline to shoulders, the spine on the guide."""
    wall = rng.choice([(200, 196, 186), (150, 170, 190), (120, 130, 120), (210, 190, 170)])
    canvas = _backdrop(w, h, wall, rng)
    backdrop = canvas.copy()
    k = np.array([w, h], np.float64)
    nx = 0.5 + rng.normal(0, 0.004)
    neck_outline = [
        (nx - 0.13, 0.05),
        (nx + 0.13, 0.05),
        (nx + 0.125, 0.55),
        (nx + 0.2, 0.74),
        (nx + 0.45, 0.86),
        (nx + 0.45, 1.02),
        (nx - 0.45, 1.02),
        (nx - 0.45, 0.86),
        (nx - 0.2, 0.74),
        (nx - 0.125, 0.55),
    ]
    shaded_shape(canvas, _spline(neck_outline) * k, skin, 0.12 * h)
    shirt = rng.choice([(230, 230, 232), (60, 60, 70), (170, 60, 60), (70, 110, 150)])
    shirt_outline = [
        (nx - 0.6, 0.86),
        (nx - 0.3, 0.83),
        (nx - 0.12, 0.84),
        (nx, 0.86),
        (nx + 0.12, 0.84),
        (nx + 0.3, 0.83),
        (nx + 0.6, 0.86),
        (nx + 0.6, 1.2),
        (nx - 0.6, 1.2),
    ]
    shaded_shape(canvas, np.array(shirt_outline) * k, shirt, 0.1 * h)
    hair = rng.choice([(58, 42, 32), (100, 70, 46), (40, 36, 34), (160, 128, 86)])
    hair_outline = [
        (nx - 0.12, -0.3),
        (nx + 0.12, -0.3),
        (nx + 0.21, -0.12),
        (nx + 0.2, 0.08),
        (nx + 0.14, 0.18),
        (nx + 0.06, 0.2),
        (nx, 0.215),
        (nx - 0.06, 0.2),
        (nx - 0.14, 0.18),
        (nx - 0.2, 0.08),
        (nx - 0.21, -0.12),
    ]
    hair_canvas = canvas.copy()
    shaded_shape(hair_canvas, _spline(hair_outline) * k, hair, 0.1 * h)
    strands = 1 + 0.12 * cv2.GaussianBlur(_texture(h, w, rng, 1), (0, 0), sigmaX=0.8, sigmaY=4)
    changed = np.any(hair_canvas != canvas, axis=-1)
    canvas[changed] = hair_canvas[changed] * strands[changed][:, None]
    _skin_blotches(canvas, rng)
    outlines = [_spline(neck_outline) * k, np.array(shirt_outline) * k, _spline(hair_outline) * k]
    body = _coverage(w, h, outlines)
    return Scene("neck-back-stroke", canvas, guide("neck-back-stroke"), backdrop, body)


def with_detail(scene: Scene, rng: np.random.Generator) -> Scene:
    """The scene with freckles and fine creases on the body part, as skin shows them close up:
    detail a camera can follow when the body part moves."""
    w, h = scene.size
    marks = np.zeros((h, w), np.float32)
    ys, xs = np.nonzero(scene.body > 0.99)
    for k in rng.choice(len(xs), size=min(len(xs), 90), replace=False):
        radius = float(rng.uniform(1.2, 2.8))
        cv2.circle(marks, (int(xs[k]), int(ys[k])), round(radius), float(rng.uniform(0.2, 0.4)), -1)
    for k in rng.choice(len(xs), size=min(len(xs), 14), replace=False):
        angle, length = rng.uniform(0, np.pi), rng.uniform(0.02, 0.05) * w
        d = length * np.array([np.cos(angle), np.sin(angle)])
        a, b = np.array([xs[k], ys[k]]) - d / 2, np.array([xs[k], ys[k]]) + d / 2
        cv2.line(marks, tuple(np.round(a).astype(int)), tuple(np.round(b).astype(int)), 0.15, 1)
    marks = cv2.GaussianBlur(marks, (0, 0), 0.8) * scene.body
    image = scene.image * (1 - marks[..., None] * np.array([0.9, 1.0, 1.1], np.float32))
    return Scene(scene.technique, image.astype(np.float32), scene.path, scene.backdrop, scene.body)


SCENES: dict[str, Callable[..., Scene]] = {"foot-spine-line": foot, "neck-back-stroke": neck}


def make_scene(technique: str, w: int, h: int, rng: np.random.Generator, skin=None) -> Scene:
    """The technique's scene at w x h: random background and small shifts, `skin` RGB or random."""
    if technique not in SCENES:
        raise TrainerError(f"unknown technique {technique!r}; expected one of {', '.join(SCENES)}")
    if skin is None:
        skin = SKIN_TONES[rng.choice(list(SKIN_TONES))]
    return SCENES[technique](w, h, rng, skin)
