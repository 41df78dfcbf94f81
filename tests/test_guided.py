"""A guided session on a fake clock: order, both clocks, time-up, the first-session cap."""

from __future__ import annotations

import pytest

from helpers import FakeClock, session
from trainer.core.guided.session import GuidedSession, plan_seconds
from trainer.core.judging.streaming import judge_track
from trainer.core.routine import load_routine
from trainer.core.technique import load_technique


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture(scope="module")
def neck():
    return load_routine("neck-and-back")


@pytest.fixture(scope="module")
def foot():
    return load_routine("foot-spine")


def test_a_first_session_plan_fills_the_15_minutes(neck, foot):
    # Five exercises of 2-5 minutes: 10 to 25 minutes; a first session gets 15, 3 minutes each.
    assert plan_seconds(neck, first=True) == pytest.approx([180.0] * 5)
    assert plan_seconds(neck, first=False) == [300.0] * 5
    # Two exercises of at most 5 minutes fit in 15 minutes whole.
    assert plan_seconds(foot, first=True) == [300.0, 300.0]


def test_a_first_session_runs_in_order_warns_at_13_and_ends_at_15(neck, clock):
    guide = GuidedSession(neck, first=True, clock=clock)
    assert guide.start() == ["Exercise 1 of 5: Stroking the back of the neck."]
    seen = []
    said = []
    for _ in range(100):  # 10 s steps up to 1000 s
        clock.advance(10)
        said += guide.tick()
        seen.append(guide.status())
    by_time = {round(s.session_s): s for s in seen}
    assert by_time[170].index == 0 and by_time[170].exercise_s == pytest.approx(170)
    assert by_time[190].index == 1 and by_time[190].exercise_s == pytest.approx(10)
    assert by_time[730].index == 4
    assert not by_time[770].warning and by_time[780].warning and by_time[890].warning
    assert said == [
        "Exercise 2 of 5: The front of the neck.",
        "Exercise 3 of 5: Circles along the line of the neck.",
        "Exercise 4 of 5: Pinching along the spine.",
        "Exercise 5 of 5: Stroking again.",
        "2:00 left: a first massage session lasts at most 15 minutes.",
        "Time to stop: that is the 15 minutes of a first session.",
    ]
    assert guide.finished and guide.complete and not guide.running
    # The clock stopped at 15 minutes although the fake clock ran on to 1000 s.
    assert guide.session_s() == pytest.approx(900)
    assert [r.seconds for r in guide.records] == pytest.approx([180] * 5)
    assert [r.ended_by for r in guide.records] == ["time"] * 5


def test_the_clock_scale_speeds_both_clocks(neck, clock):
    guide = GuidedSession(neck, first=True, clock=clock, scale=60)
    guide.start()
    clock.advance(3.5)  # 210 s at 60x: exercise 1 (180 s) is over, 30 s into exercise 2
    guide.tick()
    status = guide.status()
    assert status.index == 1
    assert status.session_s == pytest.approx(210) and status.exercise_s == pytest.approx(30)


def test_a_late_tick_moves_on_over_several_exercises_on_time(neck, clock):
    guide = GuidedSession(neck, first=True, clock=clock)
    guide.start()
    clock.advance(400)
    said = guide.tick()
    assert said == [
        "Exercise 2 of 5: The front of the neck.",
        "Exercise 3 of 5: Circles along the line of the neck.",
    ]
    assert guide.index == 2 and guide.status().exercise_s == pytest.approx(40)
    assert [r.seconds for r in guide.records[:2]] == pytest.approx([180, 180])


def test_pause_stops_both_clocks(neck, clock):
    guide = GuidedSession(neck, first=True, clock=clock)
    guide.start()
    clock.advance(60)
    guide.pause()
    clock.advance(1000)
    assert guide.tick() == []
    assert guide.status().session_s == pytest.approx(60) and not guide.status().running
    assert guide.start() == []  # resuming does not announce the exercise again
    clock.advance(130)
    guide.tick()
    assert guide.index == 1 and guide.status().exercise_s == pytest.approx(10)


def test_next_moves_on_early_and_ends_the_last_exercise(foot, clock):
    guide = GuidedSession(foot, first=False, clock=clock)
    guide.start()
    clock.advance(150)  # past the first foot's low end of 2 minutes
    assert guide.next() == ["Exercise 2 of 2: The other foot, heel to toe."]
    assert guide.records[0].seconds == pytest.approx(150)
    assert guide.records[0].ended_by == "next"
    assert guide.status().exercise_s == pytest.approx(0)
    clock.advance(20)
    assert guide.next() == ["That is the end of the session. Well done."]
    assert guide.finished and guide.complete
    assert guide.status().session_s == pytest.approx(170)


def test_a_session_stopped_midway_is_incomplete(neck, clock):
    guide = GuidedSession(neck, first=False, clock=clock)
    guide.start()
    clock.advance(400)  # 5-minute exercises: 100 s into the second
    said = guide.stop()
    assert said == [
        "Exercise 2 of 5: The front of the neck.",  # its time came before the stop
        "Session stopped before the end: what was done is kept, marked as incomplete.",
    ]
    assert guide.finished and not guide.complete
    data = guide.to_dict()
    assert data["complete"] is False and data["first"] is False
    assert data["session_s"] == pytest.approx(400)
    assert [e["ended_by"] for e in data["exercises"]] == ["time", "stop", None, None, None]
    assert [e["seconds"] for e in data["exercises"]] == pytest.approx([300, 100, 0, 0, 0])
    assert guide.limit_s is None and not guide.status().warning


def test_stopping_during_an_optional_exercise_is_complete(foot, clock):
    guide = GuidedSession(foot, first=True, clock=clock)
    guide.start()
    clock.advance(320)
    guide.stop()
    assert guide.complete
    assert [r.ended_by for r in guide.records] == ["time", "stop"]


def test_an_exercise_scores_its_parts_by_strokes_and_names_its_main_fault(foot, clock):
    technique = load_technique("foot-spine-line")
    good_track = session([list(p) for p in technique.guide], passes=3)
    off_track = session([list(p) for p in technique.guide], passes=1, offset=0.25)
    good, off = judge_track(good_track, technique), judge_track(off_track, technique)
    assert len(good.strokes) == 3 and len(off.strokes) == 1
    guide = GuidedSession(foot, first=True, clock=clock)
    record = guide.current
    assert record.score is None and record.main_fault is None and record.strokes == 0
    guide.add_part(0, good, good_track)
    # Three short good strokes: only time advice, which is no fault.
    assert "exercise_short" in good.faults
    assert record.main_fault is None
    guide.add_part(0, off, off_track)
    assert record.strokes == 4
    assert record.score == pytest.approx((3 * good.score + off.score) / 4)
    assert record.main_fault is None  # the stretch with the most strokes decides
    guide.add_part(1, off, off_track)
    assert guide.records[1].main_fault.startswith("Stay on the line: you drifted")


def test_a_session_skipped_through_early_is_incomplete(foot, clock):
    # The first foot left with Next at 0:44 (its low end is 2 minutes), the session ended
    # 8 s into the optional second foot: the required exercise was not done.
    guide = GuidedSession(foot, first=True, clock=clock)
    guide.start()
    clock.advance(44)
    guide.next()
    clock.advance(8)
    assert guide.stop() == [
        "Session stopped before the end: what was done is kept, marked as incomplete."
    ]
    assert not guide.complete and guide.to_dict()["complete"] is False
