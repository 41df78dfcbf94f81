"""The rendered sample videos (sample_videos/<technique>_<case>.mp4 + .json truth), reviewed.

Every faulty sample must have its fault named and score under 80; correct ones 80 or more.
First on the ground-truth thumb positions of every sample (the scoring alone), then through
MediaPipe on six of the videos (the whole chain).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from trainer.core.calibration import Calibration
from trainer.core.session import review
from trainer.core.technique import load_technique
from trainer.core.verdict import Review
from trainer.store.files import load_track

SAMPLES = Path(__file__).resolve().parent.parent / "sample_videos"
TECHNIQUES = ("foot-spine-line", "neck-back-stroke")
CASES = ("correct", "reversed", "off_line", "too_fast", "too_slow", "partial", "hand_lost", "dim")
TRUTHS = sorted(SAMPLES.glob("*.json"))


def test_the_sample_set_is_complete():
    expected = {f"{t}_{c}.json" for t in TECHNIQUES for c in CASES}
    missing = sorted(expected - {p.name for p in TRUTHS})
    if missing and not TRUTHS and os.environ.get("CI") != "true":
        pytest.skip("no sample videos yet: `make samples` renders them")
    assert not missing, f"sample_videos lacks {missing}"


def check(result: Review, truth: dict, *, exact_passes: bool) -> None:
    expected = truth["expected"]
    if not expected["faults"]:
        assert result.score >= 80, result.feedback
        assert set(result.faults) <= {"exercise_short", "lingered"}, result.feedback
    else:
        assert set(expected["faults"]) <= set(result.faults), result.feedback
        assert result.faults[0] in expected["faults"], result.feedback  # said first
        assert result.score < 80
    assert all(s.direction_ok for s in result.strokes) == expected["direction_ok"]
    if exact_passes:
        assert len(result.strokes) == expected["passes"]


def judge(truth_path: Path, track) -> tuple[Review, dict]:
    truth = json.loads(truth_path.read_text())
    technique = load_technique(truth["technique"])
    calibration = Calibration.from_dict(truth["calibration"])
    return review(track, technique, calibration), truth


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_ground_truth_motion_gets_the_expected_verdict(truth_path):
    result, truth = judge(truth_path, load_track(truth_path))
    check(result, truth, exact_passes=True)


# Tracking costs ~10 s a video on this machine: both correct ones and the faults whose
# verdict depends most on how strokes are cut (direction, returns, gaps, offset) go through
# MediaPipe; the ground-truth test above covers all fourteen.
THROUGH_VIDEO = {
    "foot-spine-line": ("correct", "reversed", "too_fast", "dim"),
    "neck-back-stroke": ("correct", "off_line", "hand_lost", "dim"),
}
VIDEOS = [
    p for p in TRUTHS if p.stem.split("_", 1)[1] in THROUGH_VIDEO.get(p.stem.split("_")[0], ())
]


@pytest.mark.parametrize("truth_path", VIDEOS, ids=lambda p: p.stem)
def test_rendered_video_gets_the_expected_verdict(truth_path, model_path):
    from trainer.capture.tracker import track_video

    track = track_video(truth_path.with_suffix(".mp4"), model_path=model_path)
    result, truth = judge(truth_path, track)
    check(result, truth, exact_passes=False)
