"""Exposure for the model: dark frames brightened by an adaptive gamma, never what the user sees.

Massage happens in dim, warm light, where MediaPipe misses most hands; brightening the frame
it is given finds them again, but a fixed curve hurts well-lit footage. So the curve adapts:
the median luminance of the frame (of the region around the last hand, when there is one) is
smoothed over time, and a gamma is chosen that takes it to `TARGET`. Well-exposed frames are
passed through untouched; dark ones go through a 256-entry lookup table on a copy.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import cv2
import numpy as np

TARGET = 0.4  # median luminance the model's frame is brought to
MIN_GAMMA = 0.5  # the strongest brightening: past it, noise grows faster than the hand shows
GAMMA_STEP = 0.05  # gammas are rounded to this, so the table changes rarely and no flicker
SMOOTH_S = 0.3  # time constant of the luminance statistic's smoothing
SAMPLES = 5000  # about this many pixels make the statistic (a regular subsample)
HAND_MARGIN = 0.5  # the region around a hand: its box grown by this share on each side
BLACK = 0.06  # luminance of black backdrops and unlit corners, left out of the statistic
TOP_PERCENTILE = 90.0  # however much is black, the statistic never looks above this
DIM_BELOW = 0.25  # luminance under a quarter: a dim room (well below the target)
DARK_AFTER = 0.23  # luminance still below this after the gamma: too dark to track well
_LUMA = np.array([0.299, 0.587, 0.114], np.float32) / 255.0


def luminance(rgb: np.ndarray, box: tuple[float, float, float, float] | None = None) -> float:
    """Median luminance (0..1) of the lit part of an RGB uint8 frame, or of a box in it.

    A low-key picture (a lit subject on a black backdrop) is exposed for its subject: black
    pixels are left out, which is the median of the whole at a percentile moved up by half
    the black share (at most TOP_PERCENTILE). A subsample of the pixels is enough.
    box: (x0, y0, x1, y1) normalized to the frame; clipped to it.
    """
    h, w = rgb.shape[:2]
    if box is not None:
        x0, y0 = max(int(box[0] * w), 0), max(int(box[1] * h), 0)
        x1, y1 = min(math.ceil(box[2] * w), w), min(math.ceil(box[3] * h), h)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            rgb = rgb[y0:y1, x0:x1]
            h, w = rgb.shape[:2]
    step = max(1, round(math.sqrt(h * w / SAMPLES)))
    sample = rgb[step // 2 :: step, step // 2 :: step].reshape(-1, 3)
    luma = sample @ _LUMA
    black = float(np.count_nonzero(luma < BLACK)) / len(luma)
    return float(np.percentile(luma, min(50.0 + 50.0 * black, TOP_PERCENTILE)))


def gamma_for(level: float, target: float = TARGET) -> float:
    """The gamma (<= 1) that takes luminance `level` to `target`, rounded to GAMMA_STEP.

    Levels at or above the target, and ones that would need a gamma within a step of 1,
    get exactly 1: well-exposed frames are left alone.
    """
    if level >= target:
        return 1.0
    if level <= 0:
        return MIN_GAMMA
    exact = math.log(target) / math.log(level)
    if exact > 1.0 - GAMMA_STEP:
        return 1.0
    rounded = round(round(exact / GAMMA_STEP) * GAMMA_STEP, 3)
    return float(min(max(rounded, MIN_GAMMA), 1.0))


@functools.lru_cache(maxsize=32)
def gamma_table(gamma: float) -> np.ndarray:
    """(256,) uint8 lookup table of out = in ** gamma on 0..1."""
    x = np.arange(256, dtype=np.float64) / 255.0
    return np.round(255.0 * x**gamma).astype(np.uint8)


def hand_box(landmarks: np.ndarray) -> tuple[float, float, float, float]:
    """The region around a hand (landmarks (21, >=2) normalized): its box, grown on each side."""
    lo = np.nanmin(landmarks[:, :2], axis=0)
    hi = np.nanmax(landmarks[:, :2], axis=0)
    pad = (hi - lo).max() * HAND_MARGIN
    return float(lo[0] - pad), float(lo[1] - pad), float(hi[0] + pad), float(hi[1] + pad)


@dataclass
class Exposure:
    """Prepares each frame for the model; `prepare` once per frame, times increasing.

    Measures the light whether or not it is `enabled`, so `dim` and `dark` say what the light
    was either way; only an enabled one changes the frames.
    level: the smoothed luminance statistic (NaN before the first frame).
    gamma: the gamma the last frame got (1: untouched).
    """

    enabled: bool = True
    target: float = TARGET
    smooth_s: float = SMOOTH_S
    level: float = field(default=math.nan, init=False)
    gamma: float = field(default=1.0, init=False)
    _t: float | None = field(default=None, init=False, repr=False)

    def prepare(
        self,
        rgb: np.ndarray,
        t: float,
        box: tuple[float, float, float, float] | None = None,
    ) -> np.ndarray:
        """The frame the model should see: `rgb` itself, or a brightened copy of it.

        box: the region around the last hand (normalized), to measure the light there.
        """
        now = luminance(rgb, box)
        if self._t is None or math.isnan(self.level):
            self.level = now
        else:
            # Smooth in the log domain: halving and doubling the light weigh the same.
            keep = math.exp(-max(t - self._t, 0.0) / self.smooth_s)
            log_level = keep * math.log(max(self.level, 1e-4))
            self.level = math.exp(log_level + (1 - keep) * math.log(max(now, 1e-4)))
        self._t = t
        self.gamma = gamma_for(self.level, self.target)
        if not self.enabled or self.gamma >= 1.0:
            return rgb
        return cv2.LUT(rgb, gamma_table(self.gamma))

    @property
    def dim(self) -> bool:
        """The light is low: a dim room, not just a darker corner (frames are brightened)."""
        return not math.isnan(self.level) and self.level < DIM_BELOW

    @property
    def dark(self) -> bool:
        """Too dark even after the strongest brightening (always False before a frame)."""
        return not math.isnan(self.level) and self.level**self.gamma < DARK_AFTER
