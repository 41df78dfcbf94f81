"""The rendered sample videos (sample_videos/<technique>_<case>.mp4 + .json truth), reviewed.

Every faulty sample must have its fault named and score under 80; correct ones 80 or more.
First on the ground-truth thumb positions of every sample (the scoring alone), then through
MediaPipe on six of the videos (the whole chain), and on every staged one (a second hand, two
hands, a moving body part).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from trainer.core.calibration import Calibration
from trainer.core.pathmotion import PathMotion
from trainer.core.session import review
from trainer.core.technique import load_technique
from trainer.core.verdict import Review
from trainer.store.files import load_track
from trainer.synth.catalog import load_sample
from trainer.synth.truth import GroundTruth

SAMPLES = Path(__file__).resolve().parent.parent / "sample_videos"
TECHNIQUES = ("foot-spine-line", "neck-back-stroke")
CASES = ("correct", "reversed", "off_line", "too_fast", "too_slow", "partial", "hand_lost")
STAGED = ("foot-spine-line_held", "foot-spine-line_moving", "neck-back-stroke_two_hands")
STAGED += ("neck-back-stroke_moving",)
TRUTHS = sorted(SAMPLES.glob("*.json"))
MULTI_HAND = pytest.mark.xfail(strict=False, reason="needs multi-hand tracking (issue 10 part 1)")
LAG_FREE = pytest.mark.xfail(
    strict=False,
    reason="the One-Euro tip lags while the neck moves and one pass reads jerky (with the "
    "raw landmark or the true tip it does not): needs the lag-free offline tip (issue 10 part 4)",
)
SIDE_LINES = pytest.mark.xfail(
    strict=False, reason="needs each hand judged on its own side line (issue 10 part 2)"
)


def test_the_sample_set_is_complete():
    expected = {f"{t}_{c}.json" for t in TECHNIQUES for c in CASES}
    expected |= {f"{name}.json" for name in STAGED}
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


def judge(truth_path: Path, track, motion: PathMotion | None = None) -> tuple[Review, dict]:
    truth = json.loads(truth_path.read_text())
    technique = load_technique(truth["technique"])
    calibration = Calibration.from_dict(truth["calibration"])
    return review(track, technique, calibration, motion), truth


def true_motion(truth_path: Path) -> PathMotion | None:
    """Where the path really was in each frame of a moving sample (None: it stayed still)."""
    transforms = GroundTruth.load(truth_path).transforms
    return None if transforms is None else PathMotion(transforms, np.zeros(len(transforms), bool))


def marked(path: Path):
    """The sample as a test parameter, expected to fail where it needs other parts of issue 10."""
    marks = [SIDE_LINES] if path.stem.endswith("two_hands") else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("truth_path", [marked(p) for p in TRUTHS])
def test_ground_truth_motion_gets_the_expected_verdict(truth_path):
    result, truth = judge(truth_path, load_track(truth_path), true_motion(truth_path))
    check(result, truth, exact_passes=True)


# Tracking costs ~10 s a video on this machine: both correct ones and the faults whose
# verdict depends most on how strokes are cut (direction, returns, gaps, offset) go through
# MediaPipe; the ground-truth test above covers all fourteen.
THROUGH_VIDEO = {
    "foot-spine-line": ("correct", "reversed", "too_fast"),
    "neck-back-stroke": ("correct", "off_line", "hand_lost"),
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


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("foot-spine-line_held", marks=MULTI_HAND),
        pytest.param("neck-back-stroke_two_hands", marks=[MULTI_HAND, SIDE_LINES]),
        "foot-spine-line_moving",
        pytest.param("neck-back-stroke_moving", marks=LAG_FREE),
    ],
)
def test_staged_video_gets_the_expected_verdict(name, model_path):
    from trainer.review.analysis import analyse_video

    video = SAMPLES / f"{name}.mp4"
    sample = load_sample(video)
    result = analyse_video(video, sample.load_technique(), sample.calibration).review
    check(result, json.loads(video.with_suffix(".json").read_text()), exact_passes=True)


@pytest.mark.parametrize("name", ["foot-spine-line_moving", "neck-back-stroke_moving"])
def test_moving_samples_are_off_the_path_when_it_stays_fixed(name, model_path):
    from trainer.review.analysis import analyse_video

    video = SAMPLES / f"{name}.mp4"
    sample = load_sample(video)
    fixed = analyse_video(video, sample.load_technique(), sample.calibration, follow=False)
    assert fixed.review.path_motion is None
    assert {"off_line", "partial"} & set(fixed.review.faults), fixed.review.feedback
    assert fixed.review.score < 80
