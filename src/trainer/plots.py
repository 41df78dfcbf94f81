"""Figures for reports and the app (matplotlib, Agg: no display, safe in threads)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from trainer.compare import Comparison
from trainer.store import Progress

REFERENCE_COLOR = "#1f77b4"
STUDENT_COLOR = "#d62728"


def comparison_figure(c: Comparison, title: str | None = None) -> Figure:
    """Both paths, speeds and arrival times along the path, with the zones marked."""
    fig = Figure(figsize=(9, 8), layout="constrained")
    FigureCanvasAgg(fig)
    path_ax, speed_ax, time_ax = fig.subplots(3, 1, sharex=True)
    path_ax.plot(c.s, c.reference_d, color=REFERENCE_COLOR, lw=2, label="reference")
    path_ax.plot(c.s, c.student_d, color=STUDENT_COLOR, lw=2, label="student")
    path_ax.fill_between(c.s, c.reference_d, c.student_d, color=STUDENT_COLOR, alpha=0.15)
    path_ax.axhline(0, color="0.6", lw=0.8, ls=":")
    path_ax.set_ylabel("across the path\n(path lengths, + = right)")
    path_ax.invert_yaxis()  # right of travel drawn below, as on screen for a left-to-right path
    path_ax.legend(loc="best")
    speed_ax.plot(c.s, c.reference_speed, color=REFERENCE_COLOR, lw=2)
    speed_ax.plot(c.s, c.student_speed, color=STUDENT_COLOR, lw=2)
    speed_ax.set_ylabel("speed\n(path lengths / s)")
    time_ax.plot(c.s, c.reference_elapsed, color=REFERENCE_COLOR, lw=2)
    time_ax.plot(c.s, c.student_elapsed, color=STUDENT_COLOR, lw=2)
    time_ax.set_ylabel("time to get there (s)")
    time_ax.set_xlabel("along the path (0 = start, 1 = end)")
    for ax in (path_ax, speed_ax, time_ax):
        for k, zone in enumerate(c.zones):
            if k % 2:
                ax.axvspan(zone.start, zone.end, color="0.93", zorder=0)
        ax.grid(alpha=0.3)
    for zone in c.zones:
        path_ax.annotate(
            zone.name,
            ((zone.start + zone.end) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    fig.suptitle(title or f"{c.technique}: {c.n_strokes} strokes against the reference")
    return fig


def progress_figure(p: Progress, title: str | None = None) -> Figure:
    """Score of each attempt over time, one line per technique."""
    fig = Figure(figsize=(9, 4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for technique in sorted(set(p.technique.tolist())):
        mine = (p.technique == technique) & ~np.isnan(p.score)
        ax.plot(p.created_at[mine], p.score[mine], marker="o", label=technique)
    ax.set_ylim(0, 100)
    ax.set_ylabel("score")
    ax.grid(alpha=0.3)
    if len(p):
        ax.legend(loc="lower right")
    fig.autofmt_xdate()
    fig.suptitle(title or f"{p.person}: {len(p)} attempts")
    return fig


def save_figure(fig: Figure, path: Path) -> Path:
    """Write a figure (PNG, SVG or PDF by the suffix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return path
