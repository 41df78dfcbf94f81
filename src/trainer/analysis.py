"""Review of one video file, start to end: track the thumb, judge the strokes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trainer.calibration import Calibration
from trainer.errors import CalibrationError, TrainerError
from trainer.scoring import Review, review
from trainer.synth.truth import GroundTruth
from trainer.techniques import Technique, load_technique
from trainer.track import Track
from trainer.tracking import HandChoice, track_video

MIN_DETECTED = 0.05  # below this share of frames with a hand, there is nothing to judge


@dataclass(frozen=True)
class Analysis:
    """A judged video: its track, the technique and path it was judged against, the review."""

    video: Path
    track: Track
    technique: Technique
    calibration: Calibration
    review: Review


def analyse_video(
    video: str | Path,
    technique: Technique,
    calibration: Calibration | None = None,
    progress: Callable[[int, int], None] | None = None,
    hand: HandChoice = "auto",
) -> Analysis:
    """Track and judge a video; raises TrainerError when no hand can be followed in it."""
    video = Path(video)
    calibration = calibration or Calibration.from_technique(technique)
    calibration.check_technique(technique)
    track = track_video(video, progress=progress, hand=hand)
    if track.detected_fraction < MIN_DETECTED:
        seen = f"{track.detected_fraction:.0%}" if track.detected.any() else "none"
        raise TrainerError(
            f"{video.name}: no hand found (hand seen in {seen} of {len(track)} frames). "
            "Film the hand doing the stroke, in good light, the whole hand in view."
        )
    return Analysis(video, track, technique, calibration, review(track, technique, calibration))


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
