"""Scoring a track against ground truth."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from trainer.core.track import Track
from trainer.synth.accuracy import compare, pooled
from trainer.synth.truth import GroundTruth


def truth(points) -> GroundTruth:
    n = len(points)
    xy = np.array([(np.nan, np.nan) if p is None else p for p in points], dtype=float)
    return GroundTruth(
        "foot-spine-line", "correct", 25.0, 640, 360, 0,
        {"technique": "foot-spine-line", "points": [[0.2, 0.6], [0.8, 0.6]]},
        {"faults": [], "passes": 1, "direction_ok": True},
        np.arange(n) / 25.0, xy, np.zeros(n, int),
    )  # fmt: skip


def test_errors_only_where_the_thumb_is_in_view():
    gt = truth([[100, 100], [110, 100], None, [130, 100]])
    track = Track.from_points(gt.t, [[103, 104], None, [50, 50], [130, 100]], 640, 360)
    acc = compare(track, gt)
    assert acc.frames == 3
    assert acc.detected_fraction == pytest.approx(2 / 3)
    np.testing.assert_allclose(np.sort(acc.errors_px), [0.0, 5.0])
    assert acc.median_share == pytest.approx(2.5 / np.hypot(640, 360))


def test_frames_match_by_time_and_missing_frames_count_as_missed():
    gt = truth([[100, 100], [110, 100], [120, 100]])
    track = Track.from_points(gt.t[:2] + 0.001, [[100, 100], [111, 100]], 640, 360)
    acc = compare(track, gt)
    assert acc.frames == 3 and acc.detected_fraction == pytest.approx(2 / 3)
    np.testing.assert_allclose(acc.errors_px, [0.0, 1.0])


def test_pooled_and_size_mismatch():
    gt = truth([[100, 100], [110, 100]])
    a = compare(Track.from_points(gt.t, [[100, 102], [110, 100]], 640, 360), gt)
    both = pooled([a, a])
    assert both.frames == 4 and len(both.errors_px) == 4
    assert both.p95_px == pytest.approx(np.percentile([2, 0, 2, 0], 95))
    with pytest.raises(ValueError, match="640x360"):
        compare(Track.from_points(gt.t, [[1, 1], [1, 1]], 320, 180), gt)


def test_raw_scores_the_landmark_not_the_smoothed_tip():
    gt = truth([[100, 100], [110, 100]])
    exact = Track.from_points(gt.t, [[100, 100], [110, 100]], 640, 360)
    lagging = replace(exact, thumb_px=exact.thumb_px - [4, 0])  # a filter trailing 4 px behind
    np.testing.assert_allclose(compare(lagging, gt).errors_px, [4, 4])
    np.testing.assert_allclose(compare(lagging, gt, raw=True).errors_px, [0, 0], atol=1e-9)
