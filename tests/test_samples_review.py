"""The rendered sample videos (sample_videos/<technique>_<case>.mp4 + .json truth), reviewed.

One rule for every sample: the review names exactly the faults its ground truth expects, finds
its passes and judges their direction as expected. On two inputs: the true thumb positions
(the scoring alone, with the true path motion of a moving sample) and the video through
MediaPipe (the whole chain; staged samples through the review, which follows the body part).
"""

from __future__ import annotations

import numpy as np
import pytest

from attempt_data import SAMPLES, tracked, truth, truth_file
from trainer.core.judging.streaming import judge_track
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import PathMotion
from trainer.core.technique import load_technique
from trainer.documents.files import load_track
from trainer.synth.animate import CASES
from trainer.synth.scene import TECHNIQUES
from trainer.synth.truth import GroundTruth

NAMES = [f"{t}_{c}" for t in TECHNIQUES for c in CASES]
STAGED_TRUTH = [
    "foot-spine-line_held",
    "foot-spine-line_moving",
    "neck-back-stroke_two_hands",
    "neck-back-stroke_moving",
]
STAGED_VIDEO = STAGED_TRUTH


def check(result: Review, known: dict, timed: bool = True) -> None:
    """The one rule: exactly the expected faults, the expected passes and their direction.

    timed: judged as a session (Practice's judge_track); a video's review (analyse_video)
    says nothing of the exercise's length."""
    expected = known["expected"]
    # Every sample lasts under 20 s, far under an exercise's 2 minutes: that remark comes last.
    timing = ("exercise_short",) if timed else ()
    assert result.faults == (*expected["faults"], *timing), result.feedback
    # "passes" counts each stroking hand's: both hands stroking the neck make twice as many.
    strokers = sum(h["role"] == "stroke" for h in known.get("hands", [{"role": "stroke"}]))
    passes = expected["passes"] * strokers
    assert [s.direction_ok for s in result.strokes] == [expected["direction_ok"]] * passes


def true_motion(name: str) -> PathMotion | None:
    """Where the path really was in each frame of a moving sample (None: it stayed still)."""
    transforms = GroundTruth.load(truth_file(name)).transforms
    return None if transforms is None else PathMotion(transforms, np.zeros(len(transforms), bool))


def judge_truth(name: str) -> Review:
    known = truth(name)
    technique = load_technique(known["technique"])
    calibration = Calibration.from_dict(known["calibration"])
    return judge_track(load_track(truth_file(name)), technique, calibration, true_motion(name))


@pytest.mark.parametrize("name", NAMES + STAGED_TRUTH)
def test_each_sample_truth_gets_exactly_its_expected_verdict(name):
    check(judge_truth(name), truth(name))


@pytest.mark.parametrize("name", NAMES)
def test_each_sample_video_gets_exactly_its_expected_verdict(name, model_path):
    known = truth(name)
    technique = load_technique(known["technique"])
    track = tracked(name, model_path)
    check(judge_track(track, technique, Calibration.from_dict(known["calibration"])), known)


@pytest.mark.parametrize("name", STAGED_VIDEO)
def test_each_staged_video_gets_exactly_its_expected_verdict(name, model_path):
    from trainer.analysis.video import analyse_video
    from trainer.synth.catalog import load_sample

    sample = load_sample(SAMPLES / f"{name}.mp4")
    result = analyse_video(sample.video, sample.load_technique(), sample.calibration).review
    check(result, truth(name), timed=False)
    assert not any(x.startswith("Keep going") for x in result.feedback)


@pytest.mark.parametrize("name", ["foot-spine-line_moving", "neck-back-stroke_moving"])
def test_moving_samples_are_off_the_path_when_it_stays_fixed(name, model_path):
    from trainer.analysis.video import analyse_video
    from trainer.synth.catalog import load_sample

    sample = load_sample(SAMPLES / f"{name}.mp4")
    fixed = analyse_video(sample.video, sample.load_technique(), sample.calibration, follow=False)
    assert fixed.review.path_motion is None
    assert {"off_line", "partial"} & set(fixed.review.faults), fixed.review.feedback
    assert fixed.review.score < 80
