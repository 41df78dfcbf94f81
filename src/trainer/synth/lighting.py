"""How a rendered scene is lit and filmed: even daylight, or the dim, warm room of a massage.

Massage is done in low, warm light: a lamp or candles, the body part lit, the room falling
into dark around it, hand and body skin on skin, and a camera that turns its gain up and its
noise with it. `Lighting` puts that over a rendered frame; `level` scales the light at the
lit centre (1: the samples' daylight), so a series of levels makes a light curve.

Light is scaled in linear terms and the frame is in display terms (as a camera records it,
through its gamma of about 1/2.2), so 1% of the light leaves a frame at about 12% of its
brightness, not 1%: dim, not black, as a real camera's picture of a dim room is.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import cv2
import numpy as np

CANDLE = np.array([1.0, 0.6, 0.3], np.float32)  # warm light's colour (about 2300 K), linear RGB
DISPLAY_GAMMA = 1 / 2.2  # a camera's response: display value = linear light ** this
SPOT_SIGMA = 0.35  # spread of the low-key light around its centre, in frame diagonals
GRAIN_SIGMA = 2.5  # camera noise in daylight, in 8-bit levels
MAX_GAIN = 4.0  # a camera turns its gain up in the dark, up to this; noise grows with it
# Where candles stand, per technique (normalized x, y of the flame): out of the hand's way.
CANDLE_SPOTS = {
    "foot-spine-line": ((0.07, 0.8), (0.11, 0.83), (0.92, 0.82)),
    "neck-back-stroke": ((0.12, 0.42), (0.2, 0.47), (0.08, 0.5)),
}


@dataclass(frozen=True)
class Lighting:
    """The light on a scene and the camera's response to it.

    level: light at the lit centre, relative to daylight (1). warmth: 0 neutral, 1 candle
    colour. low_key: how much darker the edges of the picture are than the lit centre (0: even
    light). candles: lit candles in the background. skin_on_skin: the body part's skin close
    in tone to the hand's (low contrast between the two).
    """

    level: float = 1.0
    warmth: float = 0.0
    low_key: float = 0.0
    candles: bool = False
    skin_on_skin: bool = False

    @property
    def plain(self) -> bool:
        """Daylight: the frame is left as rendered."""
        return self.level == 1.0 and self.warmth == 0.0 and self.low_key == 0.0

    @property
    def noise_sigma(self) -> float:
        """Camera noise after the gain a camera adds in the dark (grows as light falls)."""
        gain = min(1.0 / max(self.level, 1e-6), MAX_GAIN)
        return GRAIN_SIGMA * max(gain, 1.0) ** 0.25

    def to_dict(self) -> dict[str, float | bool]:
        return {
            "level": self.level,
            "warmth": self.warmth,
            "low_key": self.low_key,
            "candles": self.candles,
            "skin_on_skin": self.skin_on_skin,
        }

    def gain(self, w: int, h: int, centre: np.ndarray) -> np.ndarray:
        """(h, w, 3) float32: what each pixel's display colour is multiplied by; centre in px.

        Light multiplies linear values, so display values are multiplied by its 1/2.2 power.
        """
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        r2 = ((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / float(w * w + h * h)
        spot = np.exp(-r2 / (2 * SPOT_SIGMA**2))
        falloff = (1.0 - self.low_key) + self.low_key * spot
        tint = (1.0 - self.warmth) + self.warmth * CANDLE
        return ((self.level * falloff)[..., None] * tint) ** DISPLAY_GAMMA


def dim(level: float) -> Lighting:
    """A massage room at `level` of daylight: warm low-key light, candles, skin on skin."""
    return Lighting(level=level, warmth=1.0, low_key=0.7, candles=True, skin_on_skin=True)


def nearest_tone(skin: tuple[int, int, int], tones: dict[str, tuple[int, int, int]]):
    """The other skin tone closest to `skin` (hand and body skin on skin)."""
    others = [t for t in tones.values() if t != tuple(skin)]
    return min(others, key=lambda t: sum(abs(a - b) for a, b in zip(t, skin, strict=True)))


class Candles:
    """Candles in the background of one video: a flickering flame and its glow each."""

    def __init__(self, spots, w: int, h: int, rng: np.random.Generator) -> None:
        self.xy = np.array(spots, np.float32) * [w, h]
        self.size = 0.03 * h
        self.rng = rng
        self.phase = rng.uniform(0, 2 * np.pi, len(self.xy))

    def draw(self, canvas: np.ndarray, t: float) -> None:
        """Add the candles as they burn at time t to a float canvas (in place)."""
        h, w = canvas.shape[:2]
        glow = np.zeros((h, w), np.float32)
        flame = np.zeros((h, w), np.float32)
        body = np.zeros((h, w), np.float32)
        s = self.size
        for (x, y), ph in zip(self.xy, self.phase, strict=True):
            flicker = 1.0 + 0.12 * math.sin(9.0 * t + ph) + 0.05 * float(self.rng.normal())
            sway = 0.15 * s * math.sin(3.1 * t + 2 * ph)
            cx, cy = round(x + sway), round(y)
            cv2.rectangle(
                body,
                (round(x - 0.4 * s), round(y + 0.45 * s)),
                (round(x + 0.4 * s), round(y + 2.6 * s)),
                1.0,
                -1,
            )
            axes = (max(round(0.22 * s), 1), max(round(0.55 * s), 1))
            cv2.ellipse(flame, (cx, cy), axes, 0, 0, 360, flicker, -1, cv2.LINE_AA)
            glow[min(max(cy, 0), h - 1), min(max(cx, 0), w - 1)] += flicker
        glow = cv2.GaussianBlur(glow, (0, 0), 2.2 * s) * (2.2 * s) ** 2 * 2 * math.pi * 0.35
        flame = cv2.GaussianBlur(flame, (0, 0), 0.12 * s)
        lit_wax = np.array([0.55, 0.42, 0.3], np.float32)
        canvas *= 1.0 - body[..., None]
        canvas += body[..., None] * lit_wax + glow[..., None] * CANDLE
        canvas += flame[..., None] * np.array([1.0, 0.9, 0.65], np.float32) * 1.6


class Room:
    """The light over one video's frames: its gain across the picture and its candles.

    The candles flicker from their own random stream (from `seed`), so the hand and its
    motion are the same under any lighting.
    """

    def __init__(
        self, lighting: Lighting, technique: str, size: tuple[int, int], centre, seed: int
    ) -> None:
        w, h = size
        self.gain = None if lighting.plain else lighting.gain(w, h, np.asarray(centre, float))
        self.candles = None
        if lighting.candles:
            rng = np.random.default_rng([seed, zlib.crc32(f"candles/{technique}".encode())])
            self.candles = Candles(CANDLE_SPOTS[technique], w, h, rng)

    def light(self, canvas: np.ndarray, t: float) -> None:
        """Light a rendered float canvas as the room does at time t (in place)."""
        if self.gain is not None:
            canvas *= self.gain
        if self.candles is not None:
            self.candles.draw(canvas, t)
