"""Figures for reports and the app (matplotlib, Agg: no display, safe in threads)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from trainer.core.base.errors import TrainerError
from trainer.core.base.outputfile import write_file
from trainer.core.comparing.compare import Comparison
from trainer.core.comparing.history import ScoreHistory
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration, PathFrame
from trainer.core.technique import Technique, Zone, technique_title
from trainer.core.track import Track
from trainer.overlay.palette import REFERENCE, STUDENT, hex_color, verdict_color, zone_color

REFERENCE_COLOR, STUDENT_COLOR = hex_color(REFERENCE), hex_color(STUDENT)
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
PERCENT = 100.0  # path lengths to % of the path


def comparison_figure(
    c: Comparison, a: str, b: str = "the reference", title: str | None = None
) -> Figure:
    """Both paths, speeds and arrival times along the path, with the zones marked.

    a, b: the names of the compared attempt (red) and of what it is compared with (blue), for
    the legend: either may be the instructor's, so neither is called "student".
    """
    fig = Figure(figsize=(9, 8), layout="constrained")
    FigureCanvasAgg(fig)
    path_ax, speed_ax, time_ax = fig.subplots(3, 1, sharex=True)
    # Distances as a share of the path in %, as the pages and findings say them.
    student_d, reference_d = PERCENT * c.student_d, PERCENT * c.reference_d
    path_ax.plot(c.s, student_d, color=STUDENT_COLOR, lw=2, label=a)
    path_ax.plot(c.s, reference_d, color=REFERENCE_COLOR, lw=2, label=b)
    path_ax.fill_between(c.s, reference_d, student_d, color=STUDENT_COLOR, alpha=0.15)
    path_ax.axhline(0, color="0.6", lw=0.8, ls=":")
    path_ax.set_ylabel("across the path\n(% of its length, + = right)")
    # At least +-10% of the path, so tracking jitter on matching paths does not look like a gap;
    # right of travel drawn below, as on screen for a left-to-right path.
    reach = np.nanmax(np.abs(np.concatenate([reference_d, student_d, [0.0]])))
    path_ax.set_ylim(max(10.0, 1.15 * reach), -max(10.0, 1.15 * reach))
    path_ax.legend(loc="best")
    speed_ax.plot(c.s, PERCENT * c.reference_speed, color=REFERENCE_COLOR, lw=2)
    speed_ax.plot(c.s, PERCENT * c.student_speed, color=STUDENT_COLOR, lw=2)
    speed_ax.set_ylabel("speed\n(% of the path / s)")
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
    fig.suptitle(title or f"{technique_title(c.technique)}: {a} against {b}")
    return fig


def progress_figure(
    p: ScoreHistory, title: str | None = None, size: tuple[float, float] = (9, 4)
) -> Figure:
    """Score of each attempt over time, one line per technique, named by its title."""
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for technique in sorted(set(p.technique.tolist())):
        mine = (p.technique == technique) & ~np.isnan(p.score)
        label = technique_title(technique)
        ax.plot(p.created_at[mine], p.score[mine], marker="o", label=label)
    ax.set_ylim(0, 105)  # room for the marker of a perfect score
    ax.set_ylabel("score")
    ax.grid(alpha=0.3)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if len(p):
        ax.legend(loc="lower right")
        # A day or less of attempts still gets a readable axis, not years around one point.
        first, last = p.created_at.min(), p.created_at.max()
        pad = max((last - first) / 20, np.timedelta64(30, "m"))
        ax.set_xlim(first - pad, last + pad)
    fig.suptitle(title or f"{p.person}: {len(p)} attempts")
    return fig


def save_figure(fig: Figure, path: Path) -> Path:
    """Write a figure (PNG, SVG or PDF by the suffix; PNG into a pipe or device), whole."""
    kind = path.suffix.lower().lstrip(".")
    if f".{kind}" not in FIGURE_SUFFIXES:
        if path.is_file() or not path.exists():
            known = ", ".join(sorted(FIGURE_SUFFIXES))
            raise TrainerError(f"{path}: unknown extension for a figure (use {known})")
        kind = "png"
    write_file(path, lambda f: fig.savefig(f, format=kind, dpi=110))
    return path


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _verdict_hex(good: bool | None) -> str:
    return hex_color(verdict_color(good))


def _on_body(track: Track, review: Review) -> np.ndarray:
    """(N, 2) the thumb in the first frame's pixels when the path followed the body part."""
    motion = review.path_motion
    if motion is None or len(motion) != len(track):
        return track.thumb_px
    return motion.to_first(track.thumb_px)


def path_figure(track: Track, review: Review, calibration: Calibration, technique: Technique):
    """The thumb's path in the frame over the calibrated line and its zones; passes numbered."""
    fig = _figure(7, 7 * track.height / track.width * 0.9 + 0.6)
    ax = fig.subplots()
    path = calibration.in_pixels(track.width, track.height)
    thumb = _on_body(track, review)
    ax.plot(*thumb.T, color=_verdict_hex(None), lw=1, label="thumb (not a pass)")
    for k, zone in enumerate(technique.zones):
        pts = path.point_at(np.linspace(zone.start, zone.end, 20))
        ax.plot(*pts.T, color=hex_color(zone_color(k)), lw=ZONE_BAND_PT, alpha=0.6, zorder=1)
    ax.annotate(
        "",
        path.points[-1],
        path.point_at(0.9)[0],
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5},
    )
    ax.plot(*path.points[0], "o", color="black", ms=8)
    for n, stroke in enumerate(review.strokes, start=1):
        xy = thumb[stroke.start_index : stroke.end_index]
        ax.plot(*xy.T, color=_verdict_hex(stroke.good), lw=2, zorder=3)
        ok = ~np.isnan(xy[:, 0])
        if ok.any():
            ax.annotate(str(n), xy[ok][-1], color=_verdict_hex(stroke.good), weight="bold")
    ax.plot([], [], color=_verdict_hex(True), lw=2, label="good pass")
    ax.plot([], [], color=_verdict_hex(False), lw=2, label="pass with a fault")
    ax.set_xlim(0, track.width)
    ax.set_ylim(track.height, 0)
    ax.set_aspect("equal")
    ax.set_xlabel("x (pixels)")
    ax.set_ylabel("y (pixels)")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title("Thumb path over the calibrated line")
    _zone_labels(ax, path, technique, thumb)
    return fig


ZONE_BAND_PT = 9.0  # width of a zone's band along the calibrated line
_LABEL_GAPS_PT = (10.0, 24.0, 44.0, 70.0)  # tried in turn, nearest first


def _zone_labels(ax: Axes, path: PathFrame, technique: Technique, thumb: np.ndarray) -> None:
    """Each zone's name beside its stretch of the line, where it covers neither the line nor
    the thumb's path (which runs along the line, and across it on the way back) and stays
    inside the plot. A name centred on its zone covered the trail on an upright neck path."""
    fig = ax.get_figure()
    fig.canvas.draw()  # the final layout: text sizes and data-to-pixel scales from here on
    renderer = fig.canvas.get_renderer()
    line = path.point_at(np.linspace(0.0, 1.0, 200))
    obstacles = [_display_path(ax, run) for run in _runs(thumb)] + [_display_path(ax, line)]
    taken = [ax.get_legend().get_window_extent(renderer)]
    band_px = ZONE_BAND_PT * fig.dpi / 72
    for zone in technique.zones:
        text = _place_label(ax, path, zone, renderer, obstacles, taken, band_px)
        taken.append(text.get_window_extent(renderer))


def _place_label(
    ax: Axes,
    path: PathFrame,
    zone: Zone,
    renderer: RendererBase,
    obstacles: list[MplPath],
    taken: list[Bbox],
    band_px: float,
) -> Text:
    """The first spot on either side of the zone's middle, nearest first, that is clear; else
    the one that crosses the fewest things."""
    mid = path.point_at((zone.start + zone.end) / 2)[0]
    normal = _screen_normal(ax, path, zone)
    text = ax.annotate(
        zone.name,
        mid,
        xytext=(0, 0),
        textcoords="offset points",
        fontsize=9,
        zorder=4,
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
    )
    inside = ax.get_window_extent(renderer)
    best, fewest = None, None
    for gap in _LABEL_GAPS_PT:
        for side in (normal, -normal):
            _aim(text, side, gap)
            box = text.get_window_extent(renderer)
            # Half the band's width around the box: a name touching the band covers it too.
            crossed = sum(p.intersects_bbox(box.padded(band_px / 2), False) for p in obstacles)
            crossed += sum(box.overlaps(t) for t in taken)
            crossed += 10 * (not _within(box, inside))  # a cut-off name is the worst
            if fewest is None or crossed < fewest:
                best, fewest = (side, gap), crossed
            if crossed == 0:
                return text
    _aim(text, *best)
    return text


def _aim(text: Text, direction: np.ndarray, gap_pt: float) -> None:
    """Put `text` `gap_pt` points from its anchor along `direction` (screen, y up), its near
    edge toward the anchor."""
    text.set_position(tuple(direction * gap_pt))
    text.set_horizontalalignment(_align(direction[0], ("right", "center", "left")))
    text.set_verticalalignment(_align(direction[1], ("top", "center", "bottom")))


def _align(component: float, names: tuple[str, str, str]) -> str:
    return names[0] if component < -0.4 else names[2] if component > 0.4 else names[1]


def _screen_normal(ax: Axes, path: PathFrame, zone: Zone) -> np.ndarray:
    """Unit normal to the zone's stretch of the line in display pixels (y up, though the
    axes run down as in the frame), so labels move the same way on screen."""
    a, b = ax.transData.transform(path.point_at(np.array([zone.start, zone.end])))
    d = (b - a) / max(float(np.hypot(*(b - a))), 1e-9)
    return np.array([-d[1], d[0]])


def _within(box: Bbox, outer: Bbox) -> bool:
    return box.x0 >= outer.x0 and box.x1 <= outer.x1 and box.y0 >= outer.y0 and box.y1 <= outer.y1


def _runs(xy: np.ndarray) -> list[np.ndarray]:
    """The stretches of (N, 2) points between NaN rows (the hand not seen)."""
    ok = ~np.isnan(xy[:, 0])
    edges = np.flatnonzero(np.diff(np.r_[0, ok.astype(int), 0]))
    return [xy[a:b] for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a > 1]


def _display_path(ax: Axes, xy: np.ndarray) -> MplPath:
    return MplPath(ax.transData.transform(xy))


def speed_figure(track: Track, review: Review, calibration: Calibration) -> Figure:
    """Thumb speed over time in % of the path per second, passes shaded by verdict."""
    fig = _figure(8, 3.2)
    ax = fig.subplots()
    length = calibration.in_pixels(track.width, track.height).length
    speed = np.full(len(track), np.nan)
    if len(track) > 2:
        v = np.gradient(_on_body(track, review), track.t, axis=0)
        speed = PERCENT * np.hypot(v[:, 0], v[:, 1]) / length
    ax.plot(track.t, speed, color="0.25", lw=1.2)
    for n, stroke in enumerate(review.strokes, start=1):
        m = stroke.metrics
        ax.axvspan(m.start_t, m.end_t, color=_verdict_hex(stroke.good), alpha=0.25, lw=0)
        ax.annotate(
            str(n),
            ((m.start_t + m.end_t) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
        )
    ax.set_xlabel("time (s)")
    ax.set_ylabel("speed (% of the path / s)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    return fig


def coverage_figure(review: Review, technique: Technique) -> Figure:
    """Mean share of each zone the passes covered (0..1)."""
    fig = _figure(6, 3.0)
    ax = fig.subplots()
    # The zones the review was judged with: a stored review keeps the names of its day (the
    # neck's lowest zone was "base of the neck" before it became "lower neck").
    names = list(review.zones) or [z.name for z in technique.zones]
    cover = [
        float(np.mean([s.metrics.zone_coverage.get(n, 0.0) for s in review.strokes]))
        if review.strokes
        else 0.0
        for n in names
    ]
    colors = [hex_color(zone_color(k)) for k in range(len(names))]
    bars = ax.bar(names, cover, color=colors, edgecolor="0.3")
    ax.bar_label(bars, labels=[f"{c:.0%}" for c in cover])
    ax.axhline(technique.tolerances.min_coverage, color="0.4", ls="--", lw=1)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("covered per pass (mean)")
    ax.set_title("Coverage per zone")
    return fig
