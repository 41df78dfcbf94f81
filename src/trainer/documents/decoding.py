"""The project's JSON documents (tracks, reviews) read back field by field, every value checked.

What comes out is safe to compute with: tracks within the limits of `Settings` (frames, time
span, gaps, frame size), reviews whose every number is finite and in range. A bad value is
one `error` naming the source and the field.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainer.core.base.errors import CalibrationError, ReviewError, TrainerError
from trainer.core.base.fields import Fields, check_name
from trainer.core.base.settings import Settings
from trainer.core.hands import NOT_JUDGED, THUMB_TIP, WRIST, HandTracks
from trainer.core.judging.verdict import (
    MOVE,
    PASS,
    RETURN,
    Penalty,
    Review,
    ScorePart,
    StrokeReview,
)
from trainer.core.path.calibration import Calibration
from trainer.core.path.pathmotion import PathMotion
from trainer.core.strokes.metrics import Linger, StrokeMetrics
from trainer.core.strokes.segmenter import END, LOST, REVERSAL, STILL
from trainer.core.track import MIN_STEP_S, N_LANDMARKS, NO_HAND, Track

MAX_HANDS = 8  # hands in one frame of a track: the tracker follows at most 2
MAX_SIDE = 65_535  # pixels: a frame side, as video formats allow
ROUNDING_S = 2e-6  # saved times have 6 decimals: a 1 ms step may read back a hair shorter
MAX_TIME_S = 1e9  # absolute frame times (31 years); spans are bounded by Settings
BIG = 1e9  # bound for measures with no natural range (seconds, path lengths, speeds)
HANDS = ("left", "right")  # a stroke's hand when both hands stroke
MIN_AREA_SCALE = 1e-6  # a path transform's area scale (its determinant): 0.001..1000 in size
META_TYPES = (str, int, float, bool, type(None))
REVIEW_FIELDS = (
    "technique",
    "score",
    "parts",
    "penalties",
    "strokes",
    "others",
    "faults",
    "feedback",
    "exercise_s",
    "duration_s",
    "hand_lost",
    "zones",
    "lingers",
    "calibration",
)
METRIC_NUMBERS = (
    "start_t",
    "end_t",
    "progress",
    "mean_offset",
    "signed_offset",
    "max_offset",
    "duration_s",
    "moving_s",
    "mean_speed",
    "peak_speed",
    "speed_cv",
    "sparc",
    "circles",
)


def track_from_json(data: Any, source: str, settings: Settings | None = None) -> Track:
    """A track from `Track.to_dict()`, `trainer track --json` or a sample's ground truth."""
    limits = settings or Settings.from_env()
    try:
        if isinstance(data, dict) and isinstance(data.get("track"), dict):
            return checked_track(Fields(data, source).obj("track"), limits)
        if isinstance(data, dict) and "thumb_px" in data:
            return checked_track(Fields(data, source), limits)
        if isinstance(data, dict) and isinstance(data.get("frames"), list):
            return _from_frames(Fields(data, source), limits)
    except TrainerError as exc:
        raise TrainerError(_usable(str(exc), source, "track")) from None
    raise TrainerError(
        f"{source}: not a track (expected the JSON of `trainer track --json` or a sample's truth)"
    )


def _frame_size(f: Fields, limits: Settings) -> tuple[int, int]:
    width, height = f.integer("width", 1, MAX_SIDE), f.integer("height", 1, MAX_SIDE)
    if width * height > limits.max_frame_pixels:
        raise f.fail("width", f"x height is over {limits.max_frame_pixels} pixels")
    return width, height


def _times(f: Fields, limits: Settings) -> np.ndarray:
    """Frame times: at most max_frames, increasing by at least MIN_STEP_S, within the limits."""
    t = f.array("t", (_count(f, "t", limits),), -MAX_TIME_S, MAX_TIME_S)
    steps = np.diff(t)
    if len(steps) and steps.min() < MIN_STEP_S - ROUNDING_S:
        raise f.fail("t", f"must increase by at least {MIN_STEP_S * 1000:g} ms a frame")
    if len(steps) and steps.max() > limits.max_gap_s:
        raise f.fail(
            "t",
            f"has a gap of {steps.max():g} s between frames, over the limit of "
            f"{limits.max_gap_s:g} s (TRAINER_MAX_GAP_S)",
        )
    if len(t) and t[-1] - t[0] > limits.max_video_s:
        raise f.fail(
            "t",
            f"spans {t[-1] - t[0]:g} s, over the limit of {limits.max_video_s:g} s"
            " (TRAINER_MAX_VIDEO_S)",
        )
    return t


def _count(f: Fields, key: str, limits: Settings) -> int:
    n = len(f.items(key))
    if n > limits.max_frames:
        raise f.fail(
            key, f"has {n} frames, over the limit of {limits.max_frames} (TRAINER_MAX_FRAMES)"
        )
    return n


def checked_track(f: Fields, limits: Settings) -> Track:
    """The arrays of `Track.to_dict()`, each checked for shape, type and range."""
    width, height = _frame_size(f, limits)
    t = _times(f, limits)
    n, side = len(t), max(width, height)
    handedness = f.array("handedness", (n,), NO_HAND, 1)
    if np.any(handedness != np.round(handedness)):
        raise f.fail("handedness", "must hold -1 (no hand), 0 (left) or 1 (right)")
    meta = f.obj("meta").data if "meta" in f.data else {}
    return Track(
        t=t,
        thumb_px=f.array("thumb_px", (n, 2), -10 * side, 10 * side, nullable=True),
        landmarks=f.array("landmarks", (n, N_LANDMARKS, 3), -10, 10, nullable=True),
        confidence=f.array("confidence", (n,), 0, 1, nullable=True),
        handedness=handedness.astype(np.int8),
        width=width,
        height=height,
        fps=f.number("fps", 0, 10_000, default=0.0),
        meta={k: v for k, v in meta.items() if _plain(k) and _plain(v)},
        hands=_hands(f.obj("hands"), n, side) if f.data.get("hands") else None,
    )


def _hand_count(f: Fields, key: str, n: int) -> int:
    """How many hands each frame of f[key] holds (read from its first frame): 1..MAX_HANDS."""
    rows = f.items(key)
    if not n:
        return 0
    if type(rows[0]) is not list or not 1 <= len(rows[0]) <= MAX_HANDS:
        raise f.fail(key, f"must hold 1 to {MAX_HANDS} hands in each frame")
    return len(rows[0])


def _hands(f: Fields, n: int, side: int) -> HandTracks:
    """The arrays of `HandTracks.to_dict()`: n frames, the same hands in each."""
    h = _hand_count(f, "confidence", n)
    handedness = f.array("handedness", (n, h), NO_HAND, 1)
    judged = f.array("judged", (n,), NOT_JUDGED, h - 1)
    for key, values in (("handedness", handedness), ("judged", judged)):
        if np.any(values != np.round(values)):
            raise f.fail(key, "must hold whole numbers")
    return HandTracks(
        thumb_px=f.array("thumb_px", (n, h, 2), -10 * side, 10 * side, nullable=True),
        landmarks=f.array("landmarks", (n, h, N_LANDMARKS, 3), -10, 10, nullable=True),
        confidence=f.array("confidence", (n, h), 0, 1, nullable=True),
        handedness=handedness.astype(np.int8),
        judged=judged.astype(np.int8),
    )


def _plain(value: Any) -> bool:
    """A value meta may keep: a number, flag, null or short string (anything else dropped)."""
    return isinstance(value, META_TYPES) and not (isinstance(value, str) and len(value) > 200)


def _from_frames(f: Fields, limits: Settings) -> Track:
    """A sample video's ground truth: frames of {"t", "thumb_px": [x, y] | null}, and with
    several hands in view "hands_px": per hand [thumb x, thumb y, wrist x, wrist y] | null."""
    width, height = _frame_size(f, limits)
    _count(f, "frames", limits)
    frames = f.objects("frames")
    side = max(width, height)
    rows: dict[str, list[Any]] = {"t": [g.value("t") for g in frames]}
    several = bool(frames) and "hands_px" in frames[0].data
    if several:
        hands = [g.value("hands_px") for g in frames]
        rows["hands_px"] = [_nulls_filled(h) for h in hands]
    else:
        thumbs = [g.value("thumb_px") for g in frames]
        rows["thumb_px"] = [[None, None] if p is None else p for p in thumbs]
    checked = Fields(rows, f.source, f.error, f.name_of("frames[]"))
    t = _times(checked, limits)
    fps = f.number("fps", 0, 10_000, default=0.0)
    if not several:
        thumb = checked.array("thumb_px", (len(t), 2), -10 * side, 10 * side, nullable=True)
        return Track.from_points(t, thumb, width, height, fps)
    count = _hand_count(checked, "hands_px", len(t))
    px = checked.array("hands_px", (len(t), count, 4), -10 * side, 10 * side, nullable=True)
    return Track.from_hands(t, _true_hands(px, (width, height)), width, height, fps)


def _nulls_filled(hands: Any) -> Any:
    """One frame's hands with each null (a hand not in view) as four nulls."""
    if type(hands) is not list:
        return hands
    return [[None] * 4 if p is None else p for p in hands]


def _true_hands(px: np.ndarray, size: tuple[int, int]) -> HandTracks:
    """Every hand of a truth file, px (N, H, 4): thumb tip and wrist known, the other
    landmarks not."""
    n, count = px.shape[:2]
    landmarks = np.full((n, count, N_LANDMARKS, 3), np.nan)
    landmarks[:, :, THUMB_TIP, :2] = px[..., :2] / size
    landmarks[:, :, WRIST, :2] = px[..., 2:] / size
    landmarks[:, :, [THUMB_TIP, WRIST], 2] = 0.0
    landmarks[np.isnan(px[..., 0])] = np.nan
    return HandTracks(
        thumb_px=px[..., :2],
        landmarks=landmarks,
        confidence=np.where(np.isnan(px[..., 0]), np.nan, 1.0),
        handedness=np.full((n, count), NO_HAND, dtype=np.int8),
        judged=np.where(np.isnan(px[:, 0, 0]), NOT_JUDGED, 0).astype(np.int8),
    )


def review_from_json(data: Any, source: str = "") -> Review:
    """A review from its JSON (`Review.to_dict()`), every field checked; ReviewError names it."""
    try:
        f = Fields(data, source, ReviewError)
        f.missing(list(REVIEW_FIELDS))
        calibration = f.obj("calibration").data
        try:
            Calibration.from_dict(calibration)
        except CalibrationError as exc:
            raise f.fail("calibration", f"is not usable ({exc})") from None
        return Review(
            technique=check_name(f.value("technique"), 'field "technique"', ReviewError),
            score=f.number("score", 0, 100),
            parts=tuple(
                ScorePart(p.text("name"), p.number("points", 0, 100), p.number("weight", 0, 1))
                for p in f.objects("parts")
            ),
            penalties=tuple(
                Penalty(p.text("code"), p.number("points", 0, BIG), p.text("reason"))
                for p in f.objects("penalties")
            ),
            strokes=tuple(_stroke(s) for s in f.objects("strokes")),
            others=tuple(_stroke(s) for s in f.objects("others")),
            faults=f.texts("faults"),
            feedback=f.texts("feedback"),
            exercise_s=f.number("exercise_s", 0, BIG),
            duration_s=f.number("duration_s", 0, BIG),
            hand_lost=_spans(f, "hand_lost"),
            zones=f.number_map("zones", 0, 1),
            lingers=_lingers(f.obj("lingers")),
            calibration=calibration,
            body_lost=_spans(f, "body_lost") if "body_lost" in f.data else (),
            path_motion=_path_motion(f.obj("path_motion")) if f.data.get("path_motion") else None,
        )
    except TrainerError as exc:
        raise ReviewError(_usable(str(exc), source, "review")) from None


def _usable(message: str, source: str, what: str) -> str:
    """'source: not a usable <what>: problem', from Fields' 'source: problem'."""
    problem = message.removeprefix(f"{source}: ") if source else message
    prefix = f"{source}: " if source else ""
    return f"{prefix}not a usable {what}: {problem}"


def _spans(f: Fields, key: str) -> tuple[tuple[float, float], ...]:
    """(start, end) seconds, each start <= end."""
    spans = f.array(key, (len(f.items(key)), 2), -BIG, BIG)
    if np.any(spans[:, 0] > spans[:, 1]):
        raise f.fail(key, "must hold [start, end] pairs with start <= end")
    return tuple((float(a), float(b)) for a, b in spans)


def _path_motion(f: Fields) -> PathMotion:
    """Per frame a 2x3 similarity (first frame -> that frame), invertible; lost frame indices."""
    n = len(f.items("transforms", Settings.from_env().max_frames))
    matrices = f.array("transforms", (n, 2, 3), -BIG, BIG)
    scale = np.abs(np.linalg.det(matrices[:, :, :2])) if n else np.ones(0)
    if np.any((scale < MIN_AREA_SCALE) | (scale > 1 / MIN_AREA_SCALE)):
        raise f.fail("transforms", "must hold invertible transforms (scale 0.001..1000)")
    lost = np.zeros(n, dtype=bool)
    if "lost" in f.data:
        frames = f.array("lost", (len(f.items("lost", n)),), 0, max(n - 1, 0))
        if np.any(frames != np.round(frames)) or (len(frames) and not n):
            raise f.fail("lost", f"must hold frame numbers 0..{n - 1}")
        lost[frames.astype(np.intp)] = True
    return PathMotion(matrices, lost)


def _lingers(f: Fields) -> dict[str, dict[str, float]]:
    """Per zone, how often and how long the thumb lingered: {"heel": {"count", "seconds"}}."""
    out = {}
    for zone in f.data:
        z = f.obj(zone)
        out[zone] = {"count": z.integer("count", 0, 10**9), "seconds": z.number("seconds", 0, BIG)}
    return out


def _stroke(f: Fields) -> StrokeReview:
    start = f.integer("start_index", 0, 10**9)
    end = f.integer("end_index", start, 10**9)
    return StrokeReview(
        start_index=start,
        end_index=end,
        kind=f.text("kind", (PASS, RETURN, MOVE)),
        ended_by=f.text("ended_by", (STILL, REVERSAL, LOST, END)),
        metrics=_metrics(f.obj("metrics")),
        direction_ok=f.flag("direction_ok"),
        faults=f.texts("faults"),
        parts=f.number_map("parts", 0, 100),
        feedback=f.texts("feedback"),
        hand=f.text("hand", HANDS) if "hand" in f.data else None,
    )


def _metrics(f: Fields) -> StrokeMetrics:
    numbers = {name: f.number(name, -BIG, BIG) for name in METRIC_NUMBERS}
    low, high = f.array("covered", (2,), -BIG, BIG)
    lingers = tuple(
        Linger(
            s=g.number("s", -BIG, BIG),
            zone=None if g.value("zone") is None else g.text("zone"),
            t=g.number("t", -BIG, BIG),
            duration_s=g.number("duration_s", 0, BIG),
        )
        for g in f.objects("lingers")
    )
    return StrokeMetrics(
        **numbers,
        covered=(float(low), float(high)),
        zone_coverage=f.number_map("zone_coverage", 0, 1),
        lingers=lingers,
        entered=f.texts("entered"),
    )
