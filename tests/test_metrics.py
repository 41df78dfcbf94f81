import numpy as np
import pytest

from helpers import min_jerk
from trainer.core.strokes.metrics import resample_speed, sparc, stroke_metrics
from trainer.core.technique import load_technique

FOOT = load_technique("foot-spine-line")
FPS = 30.0


def min_jerk_speed(seconds: float) -> np.ndarray:
    tau = np.linspace(0, 1, round(seconds * FPS))
    return 30 * tau**2 * (1 - tau) ** 2 / seconds


def test_sparc_of_known_curves():
    # A single minimum-jerk movement is as smooth as it gets: about -1.4 at 30 fps,
    # whatever its duration (SPARC is dimensionless).
    for seconds in (1.0, 3.0, 10.0):
        assert sparc(min_jerk_speed(seconds), FPS) == pytest.approx(-1.40, abs=0.03)
    # Two sub-movements with a stop between are clearly less smooth.
    half = min_jerk_speed(1.5)
    assert sparc(np.concatenate([half, half]), FPS) < -2.2
    # A shaky movement (30 % speed ripple at 4 Hz) is less smooth than one clean reach.
    speed = min_jerk_speed(3.0)
    t = np.arange(len(speed)) / FPS
    shaky = sparc(speed * (1 + 0.3 * np.sin(2 * np.pi * 4 * t)), FPS)
    assert -2.3 < shaky < -1.6
    assert sparc(np.zeros(10), FPS) == 0.0


def test_resampled_speed_follows_a_uniform_motion():
    t = np.sort(np.random.default_rng(1).uniform(0, 2, 60))
    xy = np.column_stack([0.5 * t, np.zeros_like(t)])
    speed, fs = resample_speed(t, xy)
    assert fs > 0 and np.median(speed) == pytest.approx(0.5, rel=0.05)


def test_dropped_frames_do_not_read_as_jerk():
    """Live, frames are dropped when processing falls behind: the stroke is no less smooth."""
    t = np.linspace(0, 3, 90)
    xy = np.column_stack([min_jerk(90), np.zeros(90)])
    whole = sparc(*resample_speed(t, xy))
    keep = np.sort(np.random.default_rng(3).choice(np.arange(1, 89), 20, replace=False))
    keep = np.concatenate([[0], keep, [89]])  # a quarter of the frames, unevenly spaced
    thinned = sparc(*resample_speed(t[keep], xy[keep]))
    assert whole == pytest.approx(-1.4, abs=0.1)
    assert thinned > FOOT.tolerances.min_sparc + 1.0
    # a real stop-and-go stroke still reads as less smooth when thinned the same way
    go = np.concatenate([0.5 * min_jerk(45), 0.5 + 0.5 * min_jerk(45)])
    stop_and_go = sparc(*resample_speed(t[keep], np.column_stack([go, np.zeros(90)])[keep]))
    assert stop_and_go < thinned - 0.5


def metrics_of(s, d, seconds=3.0):
    s, d = np.asarray(s, float), np.asarray(d, float)
    t = np.linspace(0, seconds, len(s))
    xy = np.column_stack([s, d])  # a straight path of length 1 along x
    return stroke_metrics(t, xy, s, d, FOOT)


def test_direction_offsets_and_coverage():
    s = 0.1 + 0.5 * min_jerk(90)
    m = metrics_of(s, np.full(90, -0.05))
    assert m.progress == pytest.approx(0.5, abs=0.01)
    assert m.covered == pytest.approx((0.1, 0.6))
    assert m.coverage == pytest.approx(0.5)
    assert m.mean_offset == pytest.approx(0.05) and m.signed_offset == pytest.approx(-0.05)
    assert m.zone_coverage["sacrum"] == pytest.approx(0.5)
    assert m.zone_coverage["lumbar"] == pytest.approx(1.0)
    assert m.zone_coverage["thoracic"] == pytest.approx(0.15 / 0.35)
    assert m.zone_coverage["cervical"] == 0.0
    back = metrics_of(s[::-1], np.zeros(90))
    assert back.progress == pytest.approx(-0.5, abs=0.01) and back.coverage == m.coverage


def test_lingering_is_found_in_its_zone():
    # Heel to toe with a 1 s stop at s = 0.3 (lumbar zone) in the middle.
    s = np.concatenate([0.3 * min_jerk(45), np.full(30, 0.3), 0.3 + 0.7 * min_jerk(60)])
    m = metrics_of(s, np.zeros(len(s)), seconds=len(s) / FPS)
    (linger,) = m.lingers
    assert linger.zone == "lumbar" and linger.s == pytest.approx(0.3, abs=0.02)
    assert 0.8 <= linger.duration_s <= 1.6
    assert m.moving_s == pytest.approx(m.duration_s - linger.duration_s)


def test_circles_are_counted():
    t = np.linspace(0, 6, 180)
    s = t / 6
    # Circling (0.1 path lengths across, 0.5 Hz) faster than it travels: 3 loops.
    d = 0.1 * np.sin(2 * np.pi * 0.5 * t)
    x = s + 0.1 * np.cos(2 * np.pi * 0.5 * t)
    m = stroke_metrics(t, np.column_stack([x, d]), s, d, FOOT)
    assert m.circles == pytest.approx(3.0, abs=0.3)
    line = metrics_of(min_jerk(90), np.zeros(90))
    assert line.circles < 0.2


def test_nan_frames_are_skipped_and_forbidden_regions_reported():
    front = load_technique("neck-front-stroke")
    s = np.linspace(0, 1, 60)
    d = np.where(s > 0.5, 0.3, 0.0)  # swerves onto the side of the neck
    s[10] = np.nan
    m = stroke_metrics(np.linspace(0, 2, 60), np.column_stack([s, d]), s, d, front)
    assert m.entered == ("carotid zone, left of the picture",)
    assert np.isfinite(m.mean_offset)
