"""Figures: both paths on one figure, progress over time; written as real image files."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from trainer.compare import compare
from trainer.plots import comparison_figure, progress_figure, save_figure
from trainer.reference import PathProfile, Reference
from trainer.store import Progress


def profile(duration: float, offset: float = 0.0) -> PathProfile:
    t = np.arange(0, duration, 1 / 30)
    s = t / duration
    return PathProfile.from_samples(t, s, offset * np.sin(np.pi * s))


def test_comparison_figure_draws_both_paths(tmp_path):
    ref = Reference.from_profiles("neck-back-stroke", [profile(3.0)])
    c = compare([profile(4.0, offset=0.2)], ref)
    fig = comparison_figure(c)
    path_ax, speed_ax, time_ax = fig.axes
    reference_line, student_line = path_ax.get_lines()[:2]
    np.testing.assert_allclose(reference_line.get_ydata(), c.reference_d)
    np.testing.assert_allclose(student_line.get_ydata(), c.student_d)
    assert [t.get_text() for t in path_ax.texts] == [z.name for z in c.zones]
    assert len(speed_ax.get_lines()) == len(time_ax.get_lines()) == 2
    out = save_figure(fig, tmp_path / "figs" / "compare.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000


def test_progress_figure_one_line_per_technique(tmp_path):
    p = Progress(
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
    assert sorted(lines) == ["foot-spine-line", "neck-back-stroke"]
    assert list(lines["foot-spine-line"].get_ydata()) == [50.0, 80.0]
    assert save_figure(fig, tmp_path / "p.svg").read_text().startswith("<?xml")
