"""MediaPipe's HandLandmarker (Tasks API): the only module that imports mediapipe."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import mediapipe as mp
import numpy as np
from mediapipe.tasks.python.core.base_options import BaseOptions
from mediapipe.tasks.python.vision import HandLandmarker, HandLandmarkerOptions
from mediapipe.tasks.python.vision.core.vision_task_running_mode import (
    VisionTaskRunningMode as RunningMode,
)

from trainer.capture.closing import Closing
from trainer.core.base.errors import ModelError
from trainer.core.track import LEFT, N_LANDMARKS, RIGHT

_stderr_lock = threading.Lock()


@contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Silence TFLite's and MediaPipe's start-up notes, which C++ writes straight to fd 2."""
    with _stderr_lock:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)


@dataclass(frozen=True)
class Hands:
    """The hands found in one image; H hands.

    landmarks: (H, 21, 3) x, y normalized to the image, z relative depth.
    handedness: (H,) int8, LEFT or RIGHT as seen on the person (MediaPipe's label swapped,
        because it assumes a mirrored selfie image and ours are not mirrored).
    score: (H,) handedness confidence.
    """

    landmarks: np.ndarray
    handedness: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.score)


_NO_HANDS = Hands(np.zeros((0, N_LANDMARKS, 3)), np.zeros(0, np.int8), np.zeros(0))


def _to_hands(result: object) -> Hands:
    if not result.hand_landmarks:
        return _NO_HANDS
    landmarks = np.array(
        [[(p.x, p.y, p.z) for p in hand] for hand in result.hand_landmarks], dtype=np.float64
    )
    labels = [h[0].category_name for h in result.handedness]
    handedness = np.array([RIGHT if lab == "Left" else LEFT for lab in labels], dtype=np.int8)
    score = np.array([h[0].score for h in result.handedness], dtype=np.float64)
    return Hands(landmarks, handedness, score)


_BLANK = np.zeros((64, 64, 3), np.uint8)


class Landmarker(Closing):
    """A HandLandmarker in VIDEO or IMAGE mode; use it as a context manager so it closes."""

    def __init__(self, model_path: str | Path, *, video: bool = True, num_hands: int = 2) -> None:
        model_path = Path(model_path)
        if not model_path.is_file():
            raise ModelError(
                f"hand model not found at {model_path}: run `trainer models fetch` first"
            )
        self.video = video
        self._last_ms = -1
        options = HandLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=RunningMode.VIDEO if video else RunningMode.IMAGE,
            num_hands=num_hands,
        )
        try:
            with _quiet_native_stderr():
                self._landmarker = HandLandmarker.create_from_options(options)
                self.detect(_BLANK, 0)  # the first call logs notes of its own: make it here
        except (RuntimeError, ValueError) as exc:
            raise ModelError(
                f"hand model at {model_path} cannot be loaded ({exc}):"
                " run `trainer models fetch --force`"
            ) from None

    def detect(self, rgb: np.ndarray, timestamp_ms: int = 0) -> Hands:
        """Hands in an RGB uint8 image; in VIDEO mode, the frame's time in milliseconds."""
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self.video:
            # MediaPipe refuses a timestamp that does not increase: nudge ties forward
            self._last_ms = max(self._last_ms + 1, timestamp_ms)
            return _to_hands(self._landmarker.detect_for_video(image, self._last_ms))
        return _to_hands(self._landmarker.detect(image))

    def close(self) -> None:
        self._landmarker.close()
