"""The sample set: videos that match their ground truth, and that MediaPipe tracks accurately."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from trainer.capture.tracker import track_video
from trainer.capture.video import probe, read_frames
from trainer.cli import main
from trainer.core.calibration import Calibration
from trainer.core.session import review
from trainer.core.technique import load_technique
from trainer.synth.accuracy import compare
from trainer.synth.animate import CASES, Pass, Plan
from trainer.synth.samples import make_samples, render
from trainer.synth.scene import TECHNIQUES, guide
from trainer.synth.truth import GroundTruth

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
NAMES = [f"{t}_{c}" for t in TECHNIQUES for c in CASES]
MEDIAN_SHARE, P95_SHARE, FOUND = 0.02, 0.05, 0.95  # of the diagonal; of frames in view


def test_render_writes_a_video_that_matches_its_truth(tmp_path):
    video = tmp_path / "clip.mp4"
    truth = render("neck-back-stroke", Plan([Pass(1.5, 1.0, 0.0)]), video, seed=5)
    info = probe(video)
    assert (info.width, info.height, info.fps) == (640, 360, 25.0)
    frames = list(read_frames(video))
    assert len(frames) == len(truth.t)
    np.testing.assert_allclose([f.t for f in frames], truth.t, atol=1e-3)
    assert truth.expected == {"faults": [], "passes": 1, "direction_ok": False}
    assert truth.calibration == {
        "technique": "neck-back-stroke",
        "points": [[0.5, 0.22], [0.5, 0.8]],
    }
    run = truth.stroke == 0
    assert 1.4 <= run.sum() / 25 <= 1.6
    ys = truth.thumb_px[run, 1]
    assert ys[0] > ys[-1]  # reversed: from the base of the neck up to the hairline


@pytest.mark.parametrize("technique", TECHNIQUES)
@pytest.mark.parametrize("seed", [11, 12])
def test_other_seeds_are_tracked_accurately(tmp_path, technique, seed, model_path):
    video = tmp_path / "clip.mp4"
    truth = render(technique, Plan([Pass(2.6)]), video, seed=seed)
    acc = compare(track_video(video, model_path=model_path), truth)
    assert acc.detected_fraction >= FOUND
    assert acc.median_share <= MEDIAN_SHARE
    assert acc.p95_share <= P95_SHARE


def test_sample_set_is_complete_small_and_described():
    videos = sorted(SAMPLES.glob("*.mp4"))
    assert [v.stem for v in videos] == sorted(NAMES)
    total = sum(f.stat().st_size for f in SAMPLES.iterdir())
    assert total <= 10 * 1024 * 1024
    readme = (SAMPLES / "README.md").read_text()
    for video in videos:
        assert f"`{video.name}`" in readme
        truth = json.loads(video.with_suffix(".json").read_text())
        technique, case = truth["technique"], truth["case"]
        assert video.stem == f"{technique}_{case}"
        assert truth["calibration"] == {
            "technique": technique,
            "points": guide(technique).tolist(),
        }
        assert truth["expected"]["faults"] == ([] if case in ("correct", "dim") else [case])
        assert truth["expected"]["direction_ok"] == (case != "reversed")
        info = probe(video)
        assert (info.width, info.height) == (640, 360) and 25 <= info.fps <= 30
        assert 8.0 <= info.duration_s <= 20.0
        assert len(truth["frames"]) == info.frames


@pytest.fixture(scope="module")
def sample_tracks(model_path):
    """Every committed sample through the real pipeline, with its ground truth."""
    out = {}
    for name in NAMES:
        video = SAMPLES / f"{name}.mp4"
        track = track_video(video, model_path=model_path, workers=2)
        out[name] = track, GroundTruth.load(video.with_suffix(".json"))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_mediapipe_tracks_every_sample(sample_tracks, name):
    acc = compare(*sample_tracks[name])
    assert acc.detected_fraction >= FOUND, f"hand found in {acc.detected_fraction:.1%}"
    assert acc.median_share <= MEDIAN_SHARE, f"median error {acc.median_px:.1f} px"
    assert acc.p95_share <= P95_SHARE, f"95th percentile error {acc.p95_px:.1f} px"


@pytest.mark.parametrize("name", NAMES)
def test_the_trainer_gives_each_sample_its_expected_verdict(sample_tracks, name):
    track, truth = sample_tracks[name]
    result = review(
        track, load_technique(truth.technique), Calibration.from_dict(truth.calibration)
    )
    # the samples are short on purpose: the session-length remark is not their point
    assert set(result.faults) - {"exercise_short"} == set(truth.expected["faults"])
    assert len(result.strokes) == truth.expected["passes"]
    assert all(s.direction_ok == truth.expected["direction_ok"] for s in result.strokes)


def test_command_remakes_a_sample_exactly(tmp_path, capsys):
    name = "neck-back-stroke_too_fast"
    seed = json.loads((SAMPLES / f"{name}.json").read_text())["seed"]
    argv = ["samples", "make", "--out", str(tmp_path), "--seed", str(seed)]
    assert main([*argv, "--technique", "neck-back-stroke", "--case", "too_fast"]) == 0
    assert "1 sample videos" in capsys.readouterr().out
    made = json.loads((tmp_path / f"{name}.json").read_text())
    assert made == json.loads((SAMPLES / f"{name}.json").read_text())
    assert f"`{name}.mp4`" in (tmp_path / "README.md").read_text()


def test_command_refuses_an_unknown_case(tmp_path, capsys):
    assert main(["samples", "make", "--out", str(tmp_path), "--case", "sideways"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown case 'sideways'" in err
    assert not list(tmp_path.iterdir())


def test_make_samples_refuses_unknown_technique_before_rendering(tmp_path):
    from trainer.core.errors import TrainerError

    with pytest.raises(TrainerError, match="unknown technique"):
        make_samples(tmp_path, techniques=["spine-pinch"])
