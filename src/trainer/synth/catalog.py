"""The bundled sample videos, each with its ground truth (which holds the calibration)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.core.base.errors import CalibrationError
from trainer.core.path.calibration import Calibration
from trainer.core.technique import Technique, load_technique
from trainer.synth.truth import GroundTruth


@dataclass(frozen=True)
class Sample:
    """A bundled sample video and its ground truth (which holds the calibration)."""

    video: Path
    technique: str
    case: str
    calibration: Calibration
    expected_faults: tuple[str, ...]

    @property
    def title(self) -> str:
        faults = ", ".join(self.expected_faults) or "no faults"
        return f"{self.technique}: {self.case.replace('_', ' ')} ({faults})"

    def load_technique(self) -> Technique:
        return load_technique(self.technique)


def load_sample(video: str | Path) -> Sample:
    """The sample video with its `.json` ground truth beside it."""
    video = Path(video)
    truth_path = video.with_suffix(".json")
    try:
        truth = GroundTruth.load(truth_path)
        calibration = Calibration.from_dict(truth.calibration)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise CalibrationError(f"{truth_path}: not a usable sample ground truth ({e})") from e
    faults = tuple(truth.expected.get("faults", ()))
    return Sample(video, truth.technique, truth.case, calibration, faults)


def find_samples(folder: str | Path) -> list[Sample]:
    """Every sample video (mp4 with a json beside it) in a folder, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [load_sample(v) for v in sorted(folder.glob("*.mp4")) if v.with_suffix(".json").exists()]
