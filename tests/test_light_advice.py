"""Telling the user the light is too poor: the verdict, the live watch, the review's advice."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.core.base.errors import TrainerError
from trainer.core.base.settings import Settings
from trainer.core.judging.light import LightWatch, too_dark, track_too_dark, with_light_advice
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.overlay.coach import Coach
from trainer.overlay.palette import FAULTY

W, H, FPS = 640, 360, 25.0


def test_the_verdict_from_shares_of_frames():
    assert too_dark(found_share=0.9, dim_share=1.0, dark_share=0.6)  # mostly too dark
    assert too_dark(found_share=0.4, dim_share=0.8, dark_share=0.0)  # dim, hand mostly missed
    assert not too_dark(found_share=0.95, dim_share=1.0, dark_share=0.1)  # dim but followed
    # No hand in good light is not about light: the hand is simply not shown.
    assert not too_dark(found_share=0.1, dim_share=0.0, dark_share=0.0)


def test_the_watch_speaks_after_a_second_of_dim_frames_with_few_hands():
    watch = LightWatch()
    said = [watch.update(i / FPS, found=i % 3 == 0, dim=True, dark=False) for i in range(75)]
    assert not any(said[:24])  # under a second seen: nothing yet
    assert all(said[26:])


def test_the_watch_forgets_once_the_light_comes_back():
    watch = LightWatch()
    for i in range(75):
        watch.update(i / FPS, found=False, dim=True, dark=True)
    said = [watch.update(3 + i / FPS, found=True, dim=False, dark=False) for i in range(100)]
    assert said[0] and not said[-1]
    assert said.index(False) < 2.5 * FPS  # the window is 3 s: half of it bright is enough


def test_the_watch_says_nothing_in_good_light_without_a_hand():
    watch = LightWatch()
    assert not any(watch.update(i / FPS, False, False, False) for i in range(100))


def _track(found: np.ndarray, light: dict | None) -> Track:
    n = len(found)
    t = np.arange(n) / FPS
    # A thumb sliding heel to toe along the foot's guide, there or not.
    x = np.interp(t, [0, t[-1]], [0.22 * W, 0.78 * W])
    thumb = np.column_stack([x, np.full(n, 0.56 * H)])
    thumb[~found] = np.nan
    meta = {} if light is None else {"light": light}
    return Track(
        t=t,
        thumb_px=thumb,
        landmarks=np.full((n, 21, 3), np.nan),
        confidence=np.where(found, 0.9, np.nan),
        handedness=np.where(found, 1, -1).astype(np.int8),
        width=W,
        height=H,
        fps=FPS,
        meta=meta,
    )


def test_a_review_in_the_dark_says_so_first_with_the_share_found():
    foot = load_technique("foot-spine-line")
    found = np.arange(250) % 5 < 2  # 2 frames in 5: 40%
    dark = _track(found, {"normalized": True, "dim_share": 1.0, "dark_share": 0.2})
    result = judge_track(dark, foot, Calibration.from_technique(foot))
    assert result.faults[0] == "too_dark"
    assert result.feedback[0].startswith("Too dark: add light.")
    assert "40% of the frames" in result.feedback[0]
    assert track_too_dark(0.4, dark.meta)


def test_no_light_advice_in_good_light_or_without_a_light_record():
    foot = load_technique("foot-spine-line")
    found = np.arange(250) % 5 < 2
    bright = _track(found, {"normalized": True, "dim_share": 0.0, "dark_share": 0.0})
    assert "too_dark" not in judge_track(bright, foot).faults
    unknown = _track(found, None)  # a ground truth or an older saved track
    assert "too_dark" not in judge_track(unknown, foot).faults
    plain = judge_track(unknown, foot)
    assert with_light_advice(plain, 0.4, {}) is plain


def test_the_coach_shows_the_notice_in_the_fault_colour_but_never_over_a_warning():
    front = load_technique("neck-front-stroke")
    coach = Coach(front, None, W, H)
    state = coach.step(0.0, None, notice="Too dark: add light.")
    assert state.cue == "Too dark: add light."
    assert coach.view().cue.tone == FAULTY
    assert coach.step(0.04, None).cue != "Too dark: add light."
    # Over a carotid zone the safety warning stays, whatever the light.
    region = front.forbidden[0]
    path = coach.calibration.in_pixels(W, H)
    s, d = np.mgrid[0:1:101j, -0.5:0.5:101j]
    inside = [(a, b) for a, b in zip(s.ravel(), d.ravel(), strict=True) if region.contains(a, b)]
    a, b = inside[len(inside) // 2]
    point = path.point_at(a)[0]
    # Move off the path by b path lengths, perpendicular to the (straight) path.
    unit = (path.points[-1] - path.points[0]) / path.length
    at = point + b * path.length * np.array([-unit[1], unit[0]])
    state = coach.step(0.08, at, notice="Too dark: add light.")
    assert state.warning is not None and state.cue == region.message


@pytest.mark.parametrize(
    ("value", "expected"), [(None, True), ("off", False), ("0", False), ("ON", True)]
)
def test_the_exposure_setting(value, expected):
    env = {"TRAINER_DATA_DIR": "/tmp/x"} | ({} if value is None else {"TRAINER_EXPOSURE": value})
    assert Settings.from_env(env).exposure is expected


def test_a_bad_exposure_setting_is_refused():
    with pytest.raises(TrainerError, match="TRAINER_EXPOSURE"):
        Settings.from_env({"TRAINER_EXPOSURE": "dim"})
