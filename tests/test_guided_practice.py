"""A guided session with a camera: real frames of a rendered sample through each exercise."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import ROOT, require
from helpers import FakeClock
from trainer.capture.video import read_frames
from trainer.core.guided.session import GuidedSession
from trainer.core.routine import load_routine
from trainer.practice.guided import GuidedPractice
from trainer.practice.pool import TrackerPool

SAMPLE = ROOT / "sample_videos" / "foot-spine-line_correct.mp4"  # 3 good passes in 15.6 s


@pytest.fixture(scope="module")
def frames():
    return list(read_frames(require(SAMPLE, "sample videos")))


@pytest.fixture(scope="module")
def pool(model_path):
    pool = TrackerPool(model_path=model_path)
    yield pool
    pool.close()


def feed(practice: GuidedPractice, frames, t0: float = 0.0) -> np.ndarray:
    out = None
    for f in frames:
        out = practice.process(f.rgb.copy(), t0 + f.t)
    return out


def test_each_exercise_gets_its_own_stretch_of_work(frames, pool):
    clock = FakeClock()
    guide = GuidedSession(load_routine("foot-spine"), first=True, clock=clock)
    practice = GuidedPractice(guide, pool, mirror=False)
    # Before the start, frames are shown as they come and not scored.
    raw = frames[0].rgb.copy()
    assert (practice.process(raw.copy(), 0.0) == raw).all()
    assert practice.snapshot().frames == 0
    assert practice.toggle() == [] and practice.wants_camera and not guide.running
    clock.advance(20)  # the camera takes its time: the clocks wait for its first frame
    feed(practice, frames, t0=500.0)
    assert practice.sync() == ["Exercise 1 of 2: The first foot, heel to toe."]
    assert guide.status().session_s == 0 and guide.running and not practice.waiting
    assert practice.snapshot().state.stroke_count == 2  # the third is judged when it ends
    clock.advance(300)  # a first foot-spine session: 5 minutes per foot
    assert practice.sync() == ["Exercise 2 of 2: The other foot, heel to toe."]
    [(review, track)] = guide.records[0].parts
    assert len(review.strokes) == 3 and review.good_share == 1.0
    assert len(track) == len(frames) and review.technique == "foot-spine-line"
    assert practice.snapshot().frames == 0  # a fresh live session for the other foot
    half = frames[: len(frames) // 2]
    feed(practice, half, t0=9000.0)
    practice.toggle()  # pause: the stretch so far is kept
    assert [len(t) for _, t in guide.records[1].parts] == [len(half)]
    assert not practice.wants_camera
    paused = practice.process(raw.copy(), 1.0)
    assert (paused == raw).all() and practice.snapshot().frames == 0
    practice.toggle()
    feed(practice, frames[len(half) :], t0=100.0)
    said = practice.stop()
    assert said == ["That is the end of the session. Well done."]  # the other foot is optional
    assert len(guide.records[1].parts) == 2
    assert guide.records[1].strokes >= 1 and guide.complete
    practice.stream_ended()  # the camera stops after the end: nothing is kept twice
    assert len(guide.records[1].parts) == 2


def test_paused_frames_are_mirrored_for_the_preview(frames, pool):
    guide = GuidedSession(load_routine("foot-spine"), first=False, clock=FakeClock())
    practice = GuidedPractice(guide, pool, mirror=True)
    raw = frames[10].rgb
    assert (practice.process(raw.copy(), 0.0) == raw[:, ::-1]).all()


def test_a_stream_that_ends_keeps_its_work_and_goes_on(frames, pool):
    clock = FakeClock()
    guide = GuidedSession(load_routine("foot-spine"), first=False, clock=clock)
    practice = GuidedPractice(guide, pool, mirror=False)
    practice.toggle()
    feed(practice, frames[:100])
    assert guide.running
    practice.stream_ended()  # e.g. the browser dropped the camera
    assert [len(t) for _, t in guide.records[0].parts] == [100]
    feed(practice, frames[100:200], t0=50.0)
    assert practice.snapshot().frames == 100
    clock.advance(300)
    practice.sync()
    assert [len(t) for _, t in guide.records[0].parts] == [100, 100]


def test_the_corner_clock_reads_as_the_page_clock_beside_it(frames, pool):
    # The walk showed 0:34 on the video and 0:37 beside it: one clock, the guide's.
    clock = FakeClock()
    guide = GuidedSession(load_routine("foot-spine"), first=True, clock=clock)
    practice = GuidedPractice(guide, pool, mirror=False)
    practice.toggle()
    feed(practice, frames[:40], t0=100.0)
    clock.advance(37)
    status = guide.status()
    hud = dict(practice._live._coach.view().hud.rows)  # what the next frame draws
    assert hud["time"] == "0:37 / 5:00"
    assert (status.exercise_s, status.planned_s) == (37, 300)
