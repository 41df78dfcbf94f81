"""The rendered sample videos (sample_videos/<technique>_<case>.mp4 + .json truth), reviewed.

One rule for every sample: the review names exactly the faults its ground truth expects, finds
its passes and judges their direction as expected. On two inputs: the true thumb positions
(the scoring alone) and MediaPipe's track of the video (the whole chain).
"""

from __future__ import annotations

import pytest

from attempt_data import tracked, truth, truth_file
from trainer.core.calibration import Calibration
from trainer.core.session import review
from trainer.core.technique import load_technique
from trainer.store.files import load_track
from trainer.synth.animate import CASES
from trainer.synth.scene import TECHNIQUES

NAMES = [f"{t}_{c}" for t in TECHNIQUES for c in CASES]


@pytest.mark.parametrize("source", ["truth", "mediapipe"])
@pytest.mark.parametrize("name", NAMES)
def test_each_sample_gets_exactly_its_expected_verdict(name, source, request):
    known = truth(name)
    if source == "truth":
        track = load_track(truth_file(name))
    else:
        track = tracked(name, request.getfixturevalue("model_path"))
    technique = load_technique(known["technique"])
    result = review(track, technique, Calibration.from_dict(known["calibration"]))
    expected = known["expected"]
    # Every sample lasts under 20 s, far under an exercise's 2 minutes: that remark comes last.
    assert result.faults == (*expected["faults"], "exercise_short"), result.feedback
    passes = expected["passes"]
    assert [s.direction_ok for s in result.strokes] == [expected["direction_ok"]] * passes
