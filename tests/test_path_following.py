"""The path following the body part through the whole chain: the CLI, the annotated video,
Practice's live session and the app, on the moving samples; and a body part never found."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clips import make_stroke_clip
from conftest import ROOT, require
from trainer.capture.video import read_frames
from trainer.cli import main
from trainer.core.path.pathmotion import PathMotion, apply
from trainer.overlay.annotated_video import render_annotated
from trainer.practice.live import LivePractice
from trainer.practice.pool import TrackerPool
from trainer.synth.catalog import load_sample
from trainer.synth.truth import GroundTruth

FOOT = "foot-spine-line"


@pytest.fixture(scope="module")
def moving():
    return require(ROOT / "sample_videos" / f"{FOOT}_moving.mp4", "sample videos")


@pytest.fixture(scope="module")
def plain(footage, tmp_path_factory):
    """Strokes by a real hand over a flat colour: no body part to follow anywhere."""
    out = tmp_path_factory.mktemp("plain") / "plain.mp4"
    return make_stroke_clip(footage, out, passes=1, plain=True)


def review_json(capsys, *argv: str) -> dict:
    assert main(["review", *argv, "--technique", FOOT, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_cli_follows_the_foot_and_fixed_path_does_not(moving, model_path, capsys):
    followed = review_json(capsys, str(moving))
    frames = len(followed["track"]["t"])
    assert len(followed["path_motion"]["transforms"]) == frames
    assert followed["path_motion"]["lost"] == [] and followed["body_lost"] == []
    truth = GroundTruth.load(moving.with_suffix(".json"))
    got = np.array(followed["path_motion"]["transforms"][-1])
    np.testing.assert_allclose(got[:, :2], truth.transforms[-1][:, :2], atol=0.01)
    assert not {"off_line", "partial"} & set(followed["faults"])
    fixed = review_json(capsys, str(moving), "--fixed-path")
    assert fixed["path_motion"] is None
    assert "off_line" in fixed["faults"] and fixed["score"] < followed["score"] - 10


def test_a_body_part_lost_in_every_frame_is_one_clear_message(plain, model_path, capsys):
    assert main(["review", str(plain), "--technique", FOOT]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "plain.mp4: the body part around the path could not be followed" in err
    assert "--fixed-path" in err
    assert main(["review", str(plain), "--technique", FOOT, "--fixed-path"]) == 0
    assert "1 strokes" in capsys.readouterr().out


def test_the_annotated_video_draws_the_path_where_the_foot_is(moving, tmp_path):
    sample = load_sample(moving)
    truth = GroundTruth.load(moving.with_suffix(".json"))
    track = _truth_track(truth)
    motion = PathMotion(truth.transforms, np.zeros(len(truth.t), bool))
    out = render_annotated(
        moving,
        track,
        sample.load_technique(),
        sample.calibration,
        tmp_path / "a.mp4",
        motion=motion,
    )
    drawn = list(read_frames(out))[-1].rgb.astype(int)
    bare = list(read_frames(moving))[-1].rgb.astype(int)
    path = sample.calibration.points * [truth.width, truth.height]
    mid = (path[0] + path[1]) / 2  # on the first segment, where no hand is at the end
    now = apply(truth.transforms[-1], mid[None])[0]
    assert np.hypot(*(now - mid)) > 30
    # Drawn where the foot is now; where it was, the picture is as filmed.
    x, y = np.round(now).astype(int)
    assert np.abs(drawn[y, x] - bare[y, x]).max() > 60
    x, y = np.round(mid).astype(int)
    assert (
        np.abs(drawn[y - 2 : y + 3, x - 2 : x + 3] - bare[y - 2 : y + 3, x - 2 : x + 3]).max() < 25
    )


def _truth_track(truth: GroundTruth):
    from trainer.core.track import Track

    rows = [None if np.isnan(p[0]) else list(p) for p in truth.thumb_px]
    return Track.from_points(truth.t, rows, truth.width, truth.height, truth.fps)


def test_practice_follows_the_foot_live(moving, model_path):
    sample = load_sample(moving)
    truth = GroundTruth.load(moving.with_suffix(".json"))
    pool = TrackerPool(model_path)
    session = LivePractice(sample.load_technique(), sample.calibration, pool)
    for f in read_frames(moving):
        session.process(f.rgb, f.t)
    review = session.finish()
    pool.close()
    assert review.path_motion is not None and len(review.path_motion) == len(truth.t)
    points = sample.calibration.points * [truth.width, truth.height]
    errors = [
        np.abs(apply(m, points) - apply(t, points)).max()
        for m, t in zip(review.path_motion.matrices, truth.transforms, strict=True)
    ]
    assert np.median(errors) < 2.0
    assert len(review.strokes) == 3
    assert not {"off_line", "partial", "body_lost"} & set(review.faults), review.feedback
