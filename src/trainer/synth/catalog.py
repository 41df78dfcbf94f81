"""The bundled sample videos, each with its ground truth (which holds the calibration)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.core.base.errors import CalibrationError
from trainer.core.path.calibration import Calibration
from trainer.core.technique import Technique, load_technique
from trainer.synth.truth import GroundTruth

# Each kind of sample in words, for the page that lists them (the codes name the files).
CASE_WORDS = {
    "correct": "done right",
    "hand_lost": "the hand leaves the picture for a while",
    "off_line": "stroked beside the line",
    "reversed": "stroked the wrong way",
    "too_fast": "too fast",
    "too_slow": "too slow",
    "partial": "only part of the line",
    "dim": "done right, in dim light",
    "held": "done right, the body part held up",
    "moving": "done right, the body part moving",
    "two_hands": "done right with both hands",
}


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
        """The sample in words: its technique's title and what the hand does."""
        case = CASE_WORDS.get(self.case, self.case.replace("_", " "))
        return f"{self.load_technique().title}: {case}"

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
