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
        calibration: {"technique", "points"}: the stroke line, normalized, start -> end, where
            it is in the first frame.
        expected: {"faults": [codes], "passes": N, "direction_ok": bool}.
        hands: (N, H, 2, 2) with more than one hand: each hand's thumb tip and wrist in pixels
            (the judged hand first; thumb_px is its thumb); roles: "stroke" or "hold" per hand;
            sides: per hand, the path lengths its line lies beside the path (d > 0: right of
            the direction of travel on screen).
        transforms: (N, 2, 3) when the body part moves: first frame -> frame i, in pixels; the
            path of frame i is the calibration moved by it.
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
    hands: np.ndarray | None = None
    roles: tuple[str, ...] = ("stroke",)
    sides: tuple[float, ...] = (0.0,)
    transforms: np.ndarray | None = None
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

    def path_at(self, i: int) -> np.ndarray:
        """(K, 2) the stroke line in frame i, normalized."""
        points = np.asarray(self.calibration["points"], dtype=np.float64)
        if self.transforms is None:
            return points
        size = np.array([self.width, self.height], dtype=np.float64)
        m = self.transforms[i]
        return ((points * size) @ m[:, :2].T + m[:, 2]) / size

    def _frame(self, i: int) -> dict[str, Any]:
        px, s = self.thumb_px[i], self.stroke[i]
        seen = not np.isnan(px[0])
        frame: dict[str, Any] = {
            "t": round(float(self.t[i]), 4),
            "thumb_px": [round(float(v), 2) for v in px] if seen else None,
            "thumb": [round(float(v), 5) for v in self.thumb[i]] if seen else None,
            "stroke": int(s) if s >= 0 else None,
        }
        if self.hands is not None:
            frame["hands_px"] = [np.round(h, 2).ravel().tolist() for h in self.hands[i]]
        if self.transforms is not None:
            frame["transform"] = np.round(self.transforms[i], 5).tolist()
            frame["path"] = np.round(self.path_at(i), 5).tolist()
        return frame

    def to_dict(self) -> dict[str, Any]:
        frames = [self._frame(i) for i in range(len(self.t))]
        extra: dict[str, Any] = {}
        if self.hands is not None:
            extra["hands"] = [
                {"role": r, "side": s} for r, s in zip(self.roles, self.sides, strict=True)
            ]
        return {
            "technique": self.technique,
            "case": self.case,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "seed": self.seed,
            "calibration": self.calibration,
            "expected": self.expected,
            **extra,
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
            **_extras(d),
            light=d.get("light"),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), separators=(",", ":")) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> GroundTruth:
        return cls.from_dict(json.loads(Path(path).read_text()))


def _extras(d: dict[str, Any]) -> dict[str, Any]:
    """The optional parts of a truth's JSON: several hands, a moving body part."""
    frames = d["frames"]
    out: dict[str, Any] = {}
    if "hands" in d:
        out["roles"] = tuple(h["role"] for h in d["hands"])
        out["sides"] = tuple(float(h["side"]) for h in d["hands"])
        out["hands"] = np.array([f["hands_px"] for f in frames], dtype=np.float64).reshape(
            len(frames), len(d["hands"]), 2, 2
        )
    if frames and "transform" in frames[0]:
        out["transforms"] = np.array([f["transform"] for f in frames], dtype=np.float64)
    return out
