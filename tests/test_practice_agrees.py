"""Practice judges as the review does: every sample video, its frames fed to LivePractice
with the mirror off and on, gets the passes, directions and verdicts `trainer review` (here
`analyse_video`) gives the same video with the same calibration."""

from __future__ import annotations

import pytest
from agreement import disagreement, review_of, verdicts

from attempt_data import SAMPLES
from conftest import require
from trainer.capture.video import read_frames
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.practice.live import LivePractice
from trainer.practice.pool import TrackerPool
from trainer.synth.animate import CASES
from trainer.synth.scene import TECHNIQUES
from trainer.synth.staging import STAGES
from trainer.synth.truth import GroundTruth

NAMES = [f"{t}_{c}" for t in TECHNIQUES for c in (*CASES, *STAGES.get(t, ()))]


@pytest.fixture(scope="module")
def pool(model_path):
    pool = TrackerPool(model_path=model_path)
    yield pool
    pool.close()


@pytest.mark.parametrize("mirror", [False, True], ids=["unmirrored", "mirrored"])
@pytest.mark.parametrize("name", NAMES)
def test_practice_judges_each_sample_as_the_review_does(name, mirror, pool):
    video = require(SAMPLES / f"{name}.mp4", "sample videos (make samples)")
    truth = GroundTruth.load(video.with_suffix(".json"))
    technique = load_technique(truth.technique)
    calibration = Calibration.from_dict(truth.calibration)
    session = LivePractice(technique, calibration, pool, follow=True, mirror=mirror)
    for f in read_frames(video):
        session.process(f.rgb, f.t)
    live = verdicts((s.to_dict() for s in session.finish().strokes), mirrored=mirror)
    review = review_of(video)
    assert review, f"{name}: the review found no pass"
    # Every frame reached the session: nothing may be cut.
    assert disagreement(live, review, cut_first=False) is None, name
