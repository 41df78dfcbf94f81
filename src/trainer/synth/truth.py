"""Ground truth of a synthetic video: where the thumb tip really was, and the expected verdict."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class GroundTruth:
    """One rendered video's truth; N frames.

    Attributes:
        t: (N,) float64 seconds of each frame.
        thumb_px: (N, 2) float64 thumb tip in pixels; NaN while it is outside the picture.
        stroke: (N,) int pass number while a pass runs, -1 otherwise.
        calibration: {"technique", "points"}: the stroke line, normalized, start -> end.
        expected: {"faults": [codes], "passes": N, "direction_ok": bool}.
    """

    technique: str
    case: str
    fps: float
    width: int
    height: int
    seed: int
    calibration: dict[str, Any]
    expected: dict[str, Any]
    t: np.ndarray
    thumb_px: np.ndarray
    stroke: np.ndarray
    light: dict[str, Any] | None = None  # the `Lighting` of a dim sample; None: daylight

    @property
    def thumb(self) -> np.ndarray:
        """(N, 2) thumb tip normalized to the picture."""
        return self.thumb_px / np.array([self.width, self.height], dtype=np.float64)

    @property
    def in_frame(self) -> np.ndarray:
        """(N,) bool: the thumb tip is inside the picture."""
        return ~np.isnan(self.thumb_px[:, 0])

    @property
    def diagonal(self) -> float:
        return float(np.hypot(self.width, self.height))

    def to_dict(self) -> dict[str, Any]:
        frames = []
        for t, px, nrm, s in zip(self.t, self.thumb_px, self.thumb, self.stroke, strict=True):
            seen = not np.isnan(px[0])
            frames.append(
                {
                    "t": round(float(t), 4),
                    "thumb_px": [round(float(v), 2) for v in px] if seen else None,
                    "thumb": [round(float(v), 5) for v in nrm] if seen else None,
                    "stroke": int(s) if s >= 0 else None,
                }
            )
        return {
            "technique": self.technique,
            "case": self.case,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "seed": self.seed,
            "calibration": self.calibration,
            "expected": self.expected,
            **({"light": self.light} if self.light is not None else {}),
            "frames": frames,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GroundTruth:
        frames = d["frames"]
        return cls(
            technique=d["technique"],
            case=d["case"],
            fps=float(d["fps"]),
            width=int(d["width"]),
            height=int(d["height"]),
            seed=int(d["seed"]),
            calibration=d["calibration"],
            expected=d["expected"],
            t=np.array([f["t"] for f in frames], dtype=np.float64),
            thumb_px=np.array(
                [f["thumb_px"] or (np.nan, np.nan) for f in frames], dtype=np.float64
            ).reshape(-1, 2),
            stroke=np.array([-1 if f["stroke"] is None else f["stroke"] for f in frames], int),
            light=d.get("light"),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), separators=(",", ":")) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> GroundTruth:
        return cls.from_dict(json.loads(Path(path).read_text()))
