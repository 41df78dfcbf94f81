"""Figures: comparison, progress, and a review's path, speed and zone coverage."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from clips import thumb_plan
from trainer.core.comparing.compare import compare
from trainer.core.comparing.history import ScoreHistory
from trainer.core.comparing.reference import PathProfile, Reference
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.overlay.plots import (
    REFERENCE_COLOR,
    STUDENT_COLOR,
    comparison_figure,
    coverage_figure,
    path_figure,
    progress_figure,
    save_figure,
    speed_figure,
)


def profile(duration: float, offset: float = 0.0) -> PathProfile:
    t = np.arange(0, duration, 1 / 30)
    s = t / duration
    return PathProfile.from_samples(t, s, offset * np.sin(np.pi * s))


def test_comparison_figure_draws_both_paths(tmp_path):
    ref = Reference.from_profiles("neck-back-stroke", [profile(3.0)])
    c = compare([profile(4.0, offset=0.2)], ref)
    fig = comparison_figure(c, "attempt 11 (Tia)", "attempt 12 (Ann)")
    path_ax, speed_ax, time_ax = fig.axes
    # Each line is named by its own attempt: A (red) may be the instructor's demonstration.
    legend = {
        t.get_text(): line
        for t, line in zip(
            path_ax.get_legend().get_texts(), path_ax.get_legend().get_lines(), strict=True
        )
    }
    assert list(legend) == ["attempt 11 (Tia)", "attempt 12 (Ann)"]
    assert to_rgb(legend["attempt 11 (Tia)"].get_color()) == to_rgb(STUDENT_COLOR)
    assert to_rgb(legend["attempt 12 (Ann)"].get_color()) == to_rgb(REFERENCE_COLOR)
    # Across the path in % of its length, as the pages and findings say it.
    by_label = {line.get_label(): line for line in path_ax.get_lines()}
    np.testing.assert_allclose(by_label["attempt 11 (Tia)"].get_ydata(), 100 * c.student_d)
    np.testing.assert_allclose(by_label["attempt 12 (Ann)"].get_ydata(), 100 * c.reference_d)
    assert "path lengths" not in path_ax.get_ylabel() + speed_ax.get_ylabel()
    assert [t.get_text() for t in path_ax.texts] == [z.name for z in c.zones]
    assert len(speed_ax.get_lines()) == len(time_ax.get_lines()) == 2
    assert path_ax.get_ylim() == pytest.approx((23, -23), abs=1)  # right of travel below
    close = compare([profile(4.0, offset=0.004)], ref)
    assert comparison_figure(close, "A").axes[0].get_ylim() == (10, -10)  # jitter stays small
    out = save_figure(fig, tmp_path / "compare.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000


def test_progress_figure_one_line_per_technique(tmp_path):
    p = ScoreHistory(
        person="Ann",
        attempt_id=np.arange(4),
        created_at=np.array([datetime(2026, 1, d) for d in (1, 2, 3, 4)], "M8[us]"),
        score=np.array([50.0, np.nan, 70.0, 80.0]),
        technique=np.array(
            ["foot-spine-line", "foot-spine-line", "neck-back-stroke", "foot-spine-line"]
        ),
    )
    fig = progress_figure(p)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    # Each line named by its technique's title (src/trainer/core/techniques/*.toml).
    foot, neck = (
        "Foot reflex massage: the spine line",
        "Back of the neck: stroking from the hairline down",
    )
    assert sorted(lines) == [neck, foot]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [foot, neck]
    assert list(lines[foot].get_ydata()) == [50.0, 80.0]
    assert save_figure(fig, tmp_path / "p.svg").read_text().startswith("<?xml")


def test_progress_figure_of_one_attempt_spans_an_hour_not_years():
    p = ScoreHistory(
        person="Ann",
        attempt_id=np.arange(1),
        created_at=np.array([datetime(2026, 1, 1, 12)], "M8[us]"),
        score=np.array([100.0]),
        technique=np.array(["foot-spine-line"]),
    )
    lo, hi = progress_figure(p).axes[0].get_xlim()  # in days
    assert hi - lo == pytest.approx(1 / 24)


@pytest.fixture(scope="module")
def judged():
    """Two good passes and a reversed one, from a planned thumb path (no video)."""
    tech = load_technique("foot-spine-line")
    path = np.array(tech.guide) * [640, 480]
    plan = np.concatenate([thumb_plan(path, 25, 2), thumb_plan(path[::-1], 25, 1)])
    track = Track.from_points(np.arange(len(plan)) / 25, plan.tolist(), 640, 480, 25)
    calibration = Calibration.from_technique(tech)
    return track, judge_track(track, tech, calibration), calibration, tech


def test_path_figure_draws_each_pass_in_its_verdict_colour(judged, tmp_path):
    track, rev, calibration, tech = judged
    fig = path_figure(track, rev, calibration, tech)
    ax = fig.axes[0]
    colors = [to_rgb(line.get_color()) for line in ax.get_lines() if len(line.get_xdata()) > 1]
    goods = [s.good for s in rev.strokes]
    assert colors.count(to_rgb("#2ecc71")) == sum(goods)  # the video's green and red
    assert colors.count(to_rgb("#eb4d3d")) == len(goods) - sum(goods) > 0
    numbers = [t.get_text() for t in ax.texts if t.get_text().isdigit()]
    assert numbers == [str(n) for n in range(1, len(rev.strokes) + 1)]
    assert {"sacrum", "lumbar", "thoracic", "cervical"} <= {t.get_text() for t in ax.texts}
    assert ax.get_ylim() == (480, 0)  # image coordinates: y down
    assert save_figure(fig, tmp_path / "path.png").stat().st_size > 10_000


def test_speed_figure_shades_each_pass(judged):
    track, rev, calibration, _ = judged
    ax = speed_figure(track, rev, calibration).axes[0]
    assert len(ax.patches) == len(rev.strokes)
    speed = ax.get_lines()[0].get_ydata()
    # A pass of the whole path in 3 s, minimum jerk: peak 1.875 / 3 of the path per second.
    for s in rev.strokes:
        assert np.nanmax(speed[s.start_index : s.end_index]) == pytest.approx(62.5, rel=0.1)


def test_coverage_figure_has_a_bar_per_zone(judged):
    _, rev, _, tech = judged
    ax = coverage_figure(rev, tech).axes[0]
    heights = [b.get_height() for b in ax.patches]
    assert len(heights) == len(tech.zones)
    assert all(0.9 <= h <= 1.0 for h in heights)


def _dense(xy: np.ndarray, step: float = 1.0) -> np.ndarray:
    """Points every `step` pixels along a polyline with NaN gaps (a pen drawing it)."""
    out = []
    for a, b in itertools.pairwise(xy):
        if np.isnan(a).any() or np.isnan(b).any():
            continue
        n = max(2, int(np.ceil(np.hypot(*(b - a)) / step)) + 1)
        out.append(a + (b - a) * np.linspace(0, 1, n)[:, None])
    return np.concatenate(out)


@pytest.mark.parametrize("name", ["neck-back-stroke", "foot-spine-line", "neck-front-stroke"])
def test_zone_names_sit_off_the_thumbs_path_and_inside_the_plot(name):
    # Upright (neck) and sideways (foot) lines; the lifted way back crosses above the foot's.
    tech = load_technique(name)
    line = np.array(tech.guide) * [640, 480]
    plan = np.concatenate([thumb_plan(line, 25, 2), thumb_plan(line[::-1], 25, 1)])
    track = Track.from_points(np.arange(len(plan)) / 25, plan.tolist(), 640, 480, 25)
    calibration = Calibration.from_technique(tech)
    fig = path_figure(track, judge_track(track, tech, calibration), calibration, tech)
    fig.canvas.draw()
    ax, renderer = fig.axes[0], fig.canvas.get_renderer()
    drawn = np.concatenate([_dense(plan), _dense(line)])
    on_screen = ax.transData.transform(drawn)
    plot = ax.get_window_extent(renderer)
    labels = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    for zone in tech.zones:
        box = labels[zone.name]
        under = on_screen[
            (on_screen[:, 0] >= box.x0)
            & (on_screen[:, 0] <= box.x1)
            & (on_screen[:, 1] >= box.y0)
            & (on_screen[:, 1] <= box.y1)
        ]
        assert len(under) == 0, f"{zone.name!r} covers the path at {under[:3]}"
        assert plot.x0 <= box.x0 and box.x1 <= plot.x1, zone.name
        assert plot.y0 <= box.y0 and box.y1 <= plot.y1, zone.name


def test_a_stored_review_keeps_the_zone_names_it_was_judged_with(judged):
    _, rev, _, tech = judged
    before = {"cervical": "neck"}  # a zone renamed in the technique since the review was saved

    def renamed(shares: dict[str, float]) -> dict[str, float]:
        return {before.get(k, k): v for k, v in shares.items()}

    strokes = [
        replace(s, metrics=replace(s.metrics, zone_coverage=renamed(s.metrics.zone_coverage)))
        for s in rev.strokes
    ]
    stored = replace(rev, zones=renamed(rev.zones), strokes=strokes)
    fig = coverage_figure(stored, tech)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sacrum", "lumbar", "thoracic", "neck"]
    assert all(0.9 <= b.get_height() <= 1.0 for b in ax.patches)  # not 0 for the renamed zone
