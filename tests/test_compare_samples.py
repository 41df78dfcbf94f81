"""Comparison on the rendered sample videos: ground-truth tracks, and one pair tracked for real."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import ROOT, require
from trainer.analysis.material import Material, compare_with
from trainer.core.judging.streaming import judge_track
from trainer.core.technique import load_technique
from trainer.documents.files import load_track

SAMPLES = ROOT / "sample_videos"


@pytest.fixture(scope="module")
def samples():
    return require(SAMPLES, "the sample videos (sample_videos/)")


def truth(samples, technique: str, case: str) -> Material:
    """A sample's ground-truth track, reviewed by the real scoring."""
    path = require(samples / f"{technique}_{case}.json", f"sample {technique}_{case}")
    track = load_track(path)
    return Material.from_review(case, track, judge_track(track, load_technique(technique)))


@pytest.mark.parametrize("technique", ["foot-spine-line", "neck-back-stroke"])
def test_fault_samples_against_the_correct_one(samples, technique):
    correct = truth(samples, technique, "correct")
    assert len(correct.spans(good_only=True)) == 3
    # hand_lost's passes are correct ones: only the gap between them differs.
    same = compare_with(truth(samples, technique, "hand_lost"), correct)
    off = compare_with(truth(samples, technique, "off_line"), correct)
    slow = compare_with(truth(samples, technique, "too_slow"), correct)
    fast = compare_with(truth(samples, technique, "too_fast"), correct)
    partial = compare_with(truth(samples, technique, "partial"), correct)
    backwards = compare_with(truth(samples, technique, "reversed"), correct)
    assert all(abs(z.offset) < 0.03 and 0.5 < z.speed_ratio < 1.5 for z in same.zones)
    assert all(abs(z.offset) == pytest.approx(0.25, abs=0.04) for z in off.zones)
    assert all(z.speed_ratio < 0.5 for z in slow.zones) and slow.zones[-1].lag_s > 4
    assert all(z.speed_ratio > 1.5 for z in fast.zones) and fast.zones[-1].lag_s < -1
    assert partial.zones[0].coverage > 0.9 and np.isnan(partial.zones[-1].offset)
    assert backwards.n_reversed == 3 and backwards.n_strokes == 0


def test_tracked_off_line_sample_shows_its_offset(samples, model_path):
    """Real video through MediaPipe and the scoring, against the correct sample's truth."""
    from trainer.capture.video_tracking import track_video

    video = require(samples / "foot-spine-line_off_line.mp4", "sample video off_line")
    track = track_video(video, model_path=model_path)
    technique = load_technique("foot-spine-line")
    student = Material.from_review(video.name, track, judge_track(track, technique))
    c = compare_with(student, truth(samples, "foot-spine-line", "correct"))
    assert c.n_strokes == 3
    assert all(abs(z.offset) == pytest.approx(0.25, abs=0.06) for z in c.zones)
