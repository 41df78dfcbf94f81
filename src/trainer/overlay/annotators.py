"""Overlays on video frames: small annotators, each `annotate(scene, data) -> scene`.

In the style of roboflow/supervision: an annotator holds only its style; the data it draws
comes in a small dataclass of numpy arrays. Annotators draw in place on an RGB uint8 frame
and return it, so they chain: `cue.annotate(trail.annotate(guide.annotate(f, g), t), c)`.
Sizes scale with the frame height (written for 480 px), so any resolution looks the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from trainer.core.path.calibration import Calibration
from trainer.core.path.polyline import arc_length
from trainer.core.technique import Technique
from trainer.overlay.palette import (
    INK,
    NEUTRAL,
    WHITE,
    Color,
    state_color,
    verdict_color,
    zone_color,
)
from trainer.overlay.placement import box_beside, label_side

_FONT = cv2.FONT_HERSHEY_DUPLEX


def _unit(scene: np.ndarray) -> float:
    """Drawing scale: 1.0 on a 480-pixel-high frame."""
    return scene.shape[0] / 480.0


def _px(v: float, u: float) -> int:
    return max(1, round(v * u))


def _text_size(text: str, scale: float, thickness: int) -> tuple[int, int, int]:
    (w, h), base = cv2.getTextSize(text, _FONT, scale, thickness)
    return w, h, base


def _shade(scene: np.ndarray, x0: int, y0: int, x1: int, y1: int, alpha: float = 0.6) -> None:
    """Darken a rectangle so text on it reads on any background."""
    h, w = scene.shape[:2]
    x0, x1, y0, y1 = max(0, x0), min(w, x1), max(0, y0), min(h, y1)
    if x1 > x0 and y1 > y0:
        box = scene[y0:y1, x0:x1]
        ink = np.empty_like(box)
        ink[:] = INK
        cv2.addWeighted(box, 1 - alpha, ink, alpha, 0.0, dst=box)


@dataclass(frozen=True)
class Guide:
    """The reference path on screen.

    points: (K, 2) path vertices in pixels, START to END.
    zone_edges: (Z + 1,) progress (0..1) where each zone starts, plus 1.0 at the end.
    zone_names: Z names. forward: strokes must run START -> END (else either way).
    start_name / end_name: what the ends are called ("the heel").
    """

    points: np.ndarray
    zone_edges: np.ndarray
    zone_names: tuple[str, ...]
    forward: bool
    start_name: str
    end_name: str

    @classmethod
    def from_calibration(
        cls, calibration: Calibration, technique: Technique, width: int, height: int
    ) -> Guide:
        return cls(
            points=calibration.points * [width, height],
            zone_edges=np.array([z.start for z in technique.zones] + [technique.zones[-1].end]),
            zone_names=tuple(z.name for z in technique.zones),
            forward=technique.direction == "forward",
            start_name=technique.start_name.removeprefix("the "),
            end_name=technique.end_name.removeprefix("the "),
        )

    @cached_property
    def _cum(self) -> np.ndarray:
        """(K,) progress 0..1 at each vertex."""
        arc = arc_length(self.points)
        return arc / max(arc[-1], 1e-9)

    def point_at(self, s: np.ndarray) -> np.ndarray:
        """(M,) progress 0..1 -> (M, 2) pixel points along the path."""
        cum = self._cum
        s = np.clip(np.asarray(s, dtype=np.float64), 0.0, 1.0)
        return np.stack(
            [np.interp(s, cum, self.points[:, 0]), np.interp(s, cum, self.points[:, 1])], axis=1
        )

    @cached_property
    def zone_lines(self) -> list[np.ndarray]:
        """One (P, 2) int32 polyline per zone, following the path's bends."""
        cum = self._cum
        lines = []
        for a, b in zip(self.zone_edges[:-1], self.zone_edges[1:], strict=True):
            inner = cum[(cum > a) & (cum < b)]
            line = self.point_at(np.concatenate([[a], inner, [b]]))
            lines.append(np.round(line).astype(np.int32))
        return lines


@dataclass(frozen=True)
class GuideAnnotator:
    """The path as a band coloured zone by zone, its ends named, an arrow for the direction."""

    thickness: float = 7.0
    labels: bool = True

    def annotate(self, scene: np.ndarray, guide: Guide) -> np.ndarray:
        u = _unit(scene)
        pts = np.round(guide.points).astype(np.int32)
        cv2.polylines(scene, [pts], False, INK, _px(self.thickness + 4, u), cv2.LINE_AA)
        for k, line in enumerate(guide.zone_lines):
            cv2.polylines(scene, [line], False, zone_color(k), _px(self.thickness, u))
        for s in guide.zone_edges[1:-1]:
            x, y = np.round(guide.point_at(np.array([s]))[0]).astype(int)
            cv2.circle(scene, (x, y), _px(self.thickness * 0.55, u), INK, -1, cv2.LINE_AA)
        cv2.circle(scene, tuple(pts[0]), _px(9, u), WHITE, -1, cv2.LINE_AA)
        cv2.circle(scene, tuple(pts[0]), _px(9, u), INK, _px(2, u), cv2.LINE_AA)
        if guide.forward:
            _arrow_head(scene, guide.points[-2], guide.points[-1], _px(16, u))
        else:
            cv2.circle(scene, tuple(pts[-1]), _px(9, u), WHITE, -1, cv2.LINE_AA)
        if self.labels:
            self._labels(scene, guide, u)
        return scene

    def _labels(self, scene: np.ndarray, guide: Guide, u: float) -> None:
        """Zone names beside the line, end names by their ends, none on the line or on
        another name. Centred on the line, an upright neck line's first zone hid the
        hairline's name, and the arrow's name sat under the cue at the bottom."""
        side = label_side(guide.points, scene.shape[1])
        # Across a level line, the ends' names go on the other side from the zones'; beside
        # an upright one, on the same: the other hand's line may run on the other side.
        ends = -side if abs(side[1]) > abs(side[0]) else side
        placed: list[tuple[int, int, int, int]] = []
        for k, name in enumerate(guide.zone_names):
            mid = (guide.zone_edges[k] + guide.zone_edges[k + 1]) / 2
            at = guide.point_at(np.array([mid]))[0]
            placed.append(_pill_beside(scene, name, at, side, zone_color(k), u, placed))
        for text, s in ((guide.start_name, 0.0), (guide.end_name, 1.0)):
            at = guide.point_at(np.array([s]))[0]
            placed.append(_pill_beside(scene, text, at, ends, WHITE, u, placed))


def _pill_beside(
    scene: np.ndarray,
    text: str,
    at: np.ndarray,
    side: np.ndarray,
    color: Color,
    u: float,
    placed: list[tuple[int, int, int, int]],
) -> tuple[int, int, int, int]:
    """Draw `text` on a pill `side` of the point `at`, inside the frame and clear of the
    `placed` pills (`placement.box_beside`); returns its box (x0, y0, x1, y1)."""
    box = box_beside(at, side, _pill_size(text, u), scene.shape, placed, u)
    _pill(scene, text, box, color, u)
    return box


def _arrow_head(scene: np.ndarray, before: np.ndarray, tip: np.ndarray, size: int) -> None:
    """A filled triangle at `tip`, pointing away from `before`."""
    d = np.asarray(tip, float) - np.asarray(before, float)
    d /= max(np.hypot(*d), 1e-9)
    n = np.array([-d[1], d[0]])
    tri = np.array(
        [tip + d * size * 0.6, tip - d * size + n * size * 0.7, tip - d * size - n * size * 0.7]
    )
    cv2.fillPoly(scene, [np.round(tri).astype(np.int32)], INK, cv2.LINE_AA)
    inner = tip + (tri - tip) * 0.7
    cv2.fillPoly(scene, [np.round(inner).astype(np.int32)], WHITE, cv2.LINE_AA)


def _pill_font(u: float) -> tuple[float, int, int]:
    """Scale, thickness and padding of a pill's text."""
    return 0.42 * u, _px(1, u), _px(4, u)


def _pill_size(text: str, u: float) -> tuple[int, int]:
    scale, thick, pad = _pill_font(u)
    w, h, base = _text_size(text, scale, thick)
    return w + 2 * pad, h + base + 2 * pad


def _pill(scene: np.ndarray, text: str, box: tuple[int, int, int, int], color: Color, u: float):
    """Small dark text on a coloured box (x0, y0, x1, y1), as big as `_pill_size` says."""
    scale, thick, pad = _pill_font(u)
    h = _text_size(text, scale, thick)[1]
    x0, y0, x1, y1 = box
    cv2.rectangle(scene, (x0, y0), (x1 - 1, y1 - 1), color, -1)
    cv2.putText(scene, text, (x0 + pad, y0 + pad + h), _FONT, scale, INK, thick, cv2.LINE_AA)


@dataclass(frozen=True)
class Trail:
    """Where the thumb went lately. xy: (N, 2) pixels, NaN where no hand; state: (N,) int8,
    one of palette's UNJUDGED, FAULT, GOOD_STROKE, NOT_SCORED per point."""

    xy: np.ndarray
    state: np.ndarray


@dataclass(frozen=True)
class TrailAnnotator:
    """The thumb's recent path, each stretch coloured by its stroke's verdict; a dot at the tip."""

    thickness: float = 4.0

    def annotate(self, scene: np.ndarray, trail: Trail) -> np.ndarray:
        u = _unit(scene)
        n = len(trail.xy)
        if n == 0:
            return scene
        ok = ~np.isnan(trail.xy[:, 0])
        # A stretch breaks where the hand was lost or the verdict changes.
        breaks = np.flatnonzero((~ok[1:]) | (~ok[:-1]) | (trail.state[1:] != trail.state[:-1])) + 1
        for a, b in zip(np.r_[0, breaks], np.r_[breaks, n], strict=True):
            # Join to the point before so stretches of different colours touch.
            lo = a - 1 if a > 0 and ok[a - 1] and ok[a] else a
            seg = trail.xy[lo:b][ok[lo:b]]
            if len(seg) < 2:
                continue
            color = state_color(int(trail.state[a]))
            cv2.polylines(
                scene,
                [np.round(seg).astype(np.int32)],
                False,
                color,
                _px(self.thickness, u),
                cv2.LINE_AA,
            )
        if ok[-1]:
            tip = tuple(np.round(trail.xy[-1]).astype(int))
            color = state_color(int(trail.state[-1]))
            cv2.circle(scene, tip, _px(8, u), INK, -1, cv2.LINE_AA)
            cv2.circle(scene, tip, _px(6, u), color, -1, cv2.LINE_AA)
        return scene


@dataclass(frozen=True)
class StrokeLabels:
    """Numbered passes: xy (M, 2) pixels where each label goes, number (M,), good (M,) bool."""

    xy: np.ndarray
    number: np.ndarray
    good: np.ndarray


@dataclass(frozen=True)
class StrokeLabelAnnotator:
    """A numbered disc per pass, green when it had no fault, red otherwise."""

    radius: float = 12.0

    def annotate(self, scene: np.ndarray, labels: StrokeLabels) -> np.ndarray:
        u = _unit(scene)
        r = _px(self.radius, u)
        for (x, y), number, good in zip(labels.xy, labels.number, labels.good, strict=True):
            if np.isnan(x):
                continue
            c = (round(x), round(y) + 2 * r)  # below the path: zone names sit above it
            cv2.circle(scene, c, r + _px(2, u), INK, -1, cv2.LINE_AA)
            cv2.circle(scene, c, r, verdict_color(bool(good)), -1, cv2.LINE_AA)
            text = str(int(number))
            w, h, _ = _text_size(text, 0.5 * u, _px(1.5, u))
            org = (c[0] - w // 2, c[1] + h // 2)
            cv2.putText(scene, text, org, _FONT, 0.5 * u, INK, _px(1.5, u), cv2.LINE_AA)
        return scene


@dataclass(frozen=True)
class Cue:
    """The one sentence to show now; tone: its colour (see palette.cue_color)."""

    text: str
    tone: Color = WHITE


@dataclass(frozen=True)
class CueAnnotator:
    """The cue in large text on a dark band across the bottom, wrapped to fit."""

    scale: float = 0.8

    def annotate(self, scene: np.ndarray, cue: Cue) -> np.ndarray:
        if not cue.text:
            return scene
        u = _unit(scene)
        h, w = scene.shape[:2]
        scale, thick = self.scale * u, _px(1.6, u)
        lines = _wrap(cue.text, scale, thick, w - _px(40, u))
        line_h = _text_size("Ag", scale, thick)[1] + _px(14, u)
        top = h - line_h * len(lines) - _px(16, u)
        _shade(scene, 0, top, w, h, 0.65)
        cv2.rectangle(scene, (0, top), (_px(8, u), h), cue.tone, -1)
        y = top + line_h
        for line in lines:
            cv2.putText(
                scene, line, (_px(22, u), y - _px(4, u)), _FONT, scale, cue.tone, thick, cv2.LINE_AA
            )
            y += line_h
        return scene


def _wrap(text: str, scale: float, thick: int, width: int) -> list[str]:
    """Greedy word wrap to a pixel width."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_size(f"{lines[-1]} {word}", scale, thick)[0] <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Hud:
    """Figures for the corner: (label, value) rows, e.g. ("strokes", "4")."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HudAnnotator:
    """A small dark panel, top left, with one label and value per row."""

    scale: float = 0.55

    def annotate(self, scene: np.ndarray, hud: Hud) -> np.ndarray:
        if not hud.rows:
            return scene
        u = _unit(scene)
        scale, thick = self.scale * u, _px(1.2, u)
        pad, gap = _px(10, u), _px(10, u)
        label_w = max(_text_size(k, scale, thick)[0] for k, _ in hud.rows)
        value_w = max(_text_size(v, scale, thick)[0] for _, v in hud.rows)
        row_h = _text_size("Ag", scale, thick)[1] + _px(10, u)
        x0, y0 = _px(10, u), _px(10, u)
        _shade(
            scene,
            x0,
            y0,
            x0 + 2 * pad + label_w + gap + value_w,
            y0 + pad + row_h * len(hud.rows),
            0.6,
        )
        y = y0 + row_h
        for label, value in hud.rows:
            cv2.putText(scene, label, (x0 + pad, y), _FONT, scale, NEUTRAL, thick, cv2.LINE_AA)
            cv2.putText(
                scene, value, (x0 + pad + label_w + gap, y), _FONT, scale, WHITE, thick, cv2.LINE_AA
            )
            y += row_h
        return scene


@dataclass(frozen=True)
class View:
    """Everything drawn on one Practice (or annotated review) frame."""

    guide: Guide
    trail: Trail
    labels: StrokeLabels
    cue: Cue
    hud: Hud


@dataclass(frozen=True)
class ViewAnnotator:
    """Guide, trail, stroke numbers, cue and HUD, in that order (later ones on top)."""

    guide: GuideAnnotator = GuideAnnotator()
    trail: TrailAnnotator = TrailAnnotator()
    labels: StrokeLabelAnnotator = StrokeLabelAnnotator()
    cue: CueAnnotator = CueAnnotator()
    hud: HudAnnotator = HudAnnotator()

    def annotate(self, scene: np.ndarray, view: View) -> np.ndarray:
        scene = self.guide.annotate(scene, view.guide)
        scene = self.trail.annotate(scene, view.trail)
        scene = self.labels.annotate(scene, view.labels)
        scene = self.hud.annotate(scene, view.hud)
        return self.cue.annotate(scene, view.cue)
