"""A video judged start to end on the real model; samples and their ground truth."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from clips import make_stroke_clip
from trainer.analysis.drawn import ReviewOptions, ReviewSteps, analyse_and_draw
from trainer.analysis.video import analyse_video
from trainer.capture.video import VideoWriter, read_frames
from trainer.core.base.errors import CalibrationError, TrainerError, VideoError
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.synth.catalog import find_samples, load_sample


@pytest.fixture(scope="module")
def clip(footage, tmp_path_factory):
    return make_stroke_clip(
        footage, tmp_path_factory.mktemp("s") / "foot-spine-line_correct.mp4", passes=2
    )


def test_a_clip_of_good_strokes_is_judged_good(clip, model_path):
    sample = load_sample(clip)
    calls = []
    a = analyse_video(
        clip,
        sample.load_technique(),
        sample.calibration,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert a.track.detected_fraction > 0.95
    assert len(a.review.strokes) == 2
    assert a.review.good_share == 1.0
    assert a.review.score > 80
    assert calls[-1][0] == len(a.track)


def test_no_hand_is_a_clear_error(tmp_path, model_path):
    video = tmp_path / "empty_room.mp4"
    with VideoWriter(video, 10, 320, 240) as w:
        for _ in range(15):
            w.write(np.full((240, 320, 3), 90, np.uint8))
    with pytest.raises(TrainerError, match="no hand found") as lit:
        analyse_video(video, load_technique("foot-spine-line"))
    assert "in good light" in str(lit.value)
    assert "Too dark" not in str(lit.value)  # a grey room is not a dark one


def test_no_hand_in_a_dark_room_asks_for_light(tmp_path, model_path):
    video = tmp_path / "dark_room.mp4"
    with VideoWriter(video, 10, 320, 240) as w:
        for _ in range(15):
            w.write(np.full((240, 320, 3), 10, np.uint8))
    with pytest.raises(TrainerError, match=r"no hand found.*Too dark: add light"):
        analyse_video(video, load_technique("foot-spine-line"))


def test_a_file_that_is_not_a_video_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.mp4"
    bad.write_bytes(b"these are not frames " * 100)
    with pytest.raises(VideoError, match=r"notes\.mp4"):
        analyse_video(bad, load_technique("foot-spine-line"))


def test_a_calibration_for_another_technique_is_refused(clip):
    neck = Calibration.from_technique(load_technique("neck-back-stroke"))
    with pytest.raises(CalibrationError, match="neck-back-stroke"):
        analyse_video(clip, load_technique("foot-spine-line"), neck)


def test_samples_are_found_with_their_calibration(clip, tmp_path):
    (found,) = find_samples(clip.parent)
    assert found.technique == "foot-spine-line" and found.case == "correct"
    assert found.title == "Foot reflex massage: the spine line: done right"
    np.testing.assert_allclose(found.calibration.points, load_technique("foot-spine-line").guide)
    assert find_samples(tmp_path / "nowhere") == []
    broken = tmp_path / "x.mp4"
    broken.write_bytes(b"")
    broken.with_suffix(".json").write_text(json.dumps({"technique": "foot-spine-line"}))
    with pytest.raises(CalibrationError, match=r"x\.json"):
        load_sample(broken)


def _recording(calls: list[tuple[str, int, int, float]]) -> ReviewSteps:
    """Steps that note (pass, done, total, when) for every report."""

    def step(name: str):
        return lambda done, total: calls.append((name, done, total, time.perf_counter()))

    return ReviewSteps(step("tracking"), step("following"), step("drawing"))


def test_a_drawn_analysis_reports_each_pass_in_turn_and_draws_every_frame(clip, tmp_path):
    sample = load_sample(clip)
    frames = sum(1 for _ in read_frames(clip))
    calls = []
    out = tmp_path / "drawn.mp4"
    started = time.perf_counter()
    drawn = analyse_and_draw(
        clip, sample.load_technique(), sample.calibration, ReviewOptions(), out, _recording(calls)
    )
    assert drawn.annotated == out
    assert sum(1 for _ in read_frames(out)) == frames
    assert len(drawn.analysis.track) == frames
    assert drawn.analysis.review.path_motion is not None  # the path followed the body part
    passes = [name for name, *_ in calls]
    assert passes == sorted(passes, key=["tracking", "following", "drawing"].index)
    assert set(passes) == {"tracking", "following", "drawing"}
    for name in ("tracking", "following", "drawing"):
        assert [(d, t) for n, d, t, _ in calls if n == name][-1] == (frames, frames), name
    # The review's time ends where the drawing begins: the drawing is not counted in it.
    following_done = max(when for n, *_, when in calls if n == "following")
    drawing_begun = min(when for n, *_, when in calls if n == "drawing")
    assert following_done - started <= drawn.review_s <= drawing_begun - started


def test_a_fixed_path_analysis_without_an_output_draws_nothing(clip, tmp_path):
    sample = load_sample(clip)
    calls = []
    options = ReviewOptions(follow=False)
    drawn = analyse_and_draw(
        clip, sample.load_technique(), sample.calibration, options, None, _recording(calls)
    )
    assert drawn.annotated is None and list(tmp_path.iterdir()) == []
    assert drawn.analysis.review.path_motion is None
    assert {name for name, *_ in calls} == {"tracking"}


def test_a_step_that_raises_stops_the_analysis_before_anything_is_drawn(clip, tmp_path):
    class Cancelled(Exception):
        pass

    def tracking(done: int, total: int) -> None:
        if done >= 5:
            raise Cancelled

    out = tmp_path / "drawn.mp4"
    with pytest.raises(Cancelled):
        analyse_and_draw(
            clip,
            load_technique("foot-spine-line"),
            None,
            ReviewOptions(),
            out,
            ReviewSteps(tracking=tracking),
        )
    assert not out.exists()
