"""The Guided session page through AppTest: a whole routine on a scaled-down clock, from the
choice of routine to the saved summary, then History's sessions; and a session stopped early.

AppTest has no WebRTC runtime: the camera component is replaced by a stand-in that records
what the page asks of it and, asked to play, hands the page one empty frame per script run
(tests/test_app_browser.py drives the page with Chromium's fake camera and a hand). The
clocks, the order and the summary are all the page's own.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import av
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from helpers import FakeClock
from trainer.core.base.settings import Settings
from trainer.store.sessions.guided import list_sessions
from trainer.store.store import Store
from trainer.ui import camera as camera_module

TIMEOUT = 60
SCALE = 60  # TRAINER_CLOCK_SCALE: a 3-minute exercise takes 3 s


@pytest.fixture
def data_dir(tmp_path, monkeypatch, model_path):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRAINER_CLOCK_SCALE", str(SCALE))
    monkeypatch.setenv("TRAINER_MODEL", str(model_path))
    return tmp_path


@pytest.fixture
def camera(monkeypatch):
    """The camera component's stand-in: the playing states the page asked for, in order."""
    asked: list[bool | None] = []

    def webrtc_streamer(**kwargs):
        asked.append(kwargs["desired_playing_state"])
        if kwargs["desired_playing_state"]:
            frame = av.VideoFrame.from_ndarray(np.full((120, 160, 3), 90, np.uint8), "rgb24")
            asyncio.run(kwargs["queued_video_frames_callback"]([frame]))
        return SimpleNamespace(state=SimpleNamespace(playing=False))

    monkeypatch.setattr(camera_module, "webrtc_streamer", webrtc_streamer)
    return asked


def page() -> AppTest:
    return AppTest.from_string(
        "from trainer.ui import guided\nguided.page()", default_timeout=TIMEOUT
    ).run()


def begin(at: AppTest, routine: str) -> FakeClock:
    """Choose the routine, begin (as the logged-in account); the session's clock is then a
    fake one."""
    at.selectbox(key="guided-routine").set_value(routine).run()
    assert not at.text_input and not at.selectbox(key="guided-routine").disabled
    at.button[0].click().run()
    assert not at.exception, at.exception
    clock = FakeClock()
    at.session_state["guided-run"].guide.clock = clock
    return clock


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def heading(at: AppTest) -> str:
    return at.subheader[0].value


def spoken(at: AppTest) -> list[str]:
    return [u.text for u in at.session_state["guided-run"].voice.recent]


def test_a_first_session_runs_the_routine_to_its_summary_and_is_saved(data_dir, camera, log_in):
    log_in("Ann")
    at = page()
    assert at.selectbox(key="guided-routine").options == [
        "Foot reflex massage for the back",
        "Neck and back, in the course's order",
    ]
    at.selectbox(key="guided-routine").set_value("neck-and-back").run()
    assert at.info[0].value == (
        "First session of this routine for Ann: at most 15 minutes "
        "(3:00 + 3:00 + 3:00 + 3:00 + 3:00), with a warning at 13:00."
    )
    clock = begin(at, "neck-and-back")
    assert heading(at) == "Exercise 1 of 5: Stroking the back of the neck"
    assert metrics(at)["Exercise"] == "0:00 / 3:00" and metrics(at)["Session"] == "0:00 / 15:00"
    toggle = at.button(key="guided-toggle")
    assert toggle.label == "Start"
    assert camera[-1] is False
    toggle.click().run()
    assert at.button(key="guided-toggle").label == "Pause"
    assert camera[-1] is True  # the camera follows the session
    clock.advance(3.5)  # 210 s: the first exercise's 3 minutes are up
    at.run()
    assert heading(at) == "Exercise 2 of 5: The front of the neck"
    assert metrics(at)["Exercise"] == "0:30 / 3:00" and metrics(at)["Session"] == "3:30 / 15:00"
    at.button(key="guided-toggle").click().run()  # pause: both clocks stop
    clock.advance(100)
    at.run()
    assert metrics(at)["Session"] == "3:30 / 15:00"
    assert at.button(key="guided-toggle").label == "Resume" and camera[-1] is False
    at.button(key="guided-toggle").click().run()
    clock.advance((850 - 210) / SCALE)  # to 14:10, past the last exercise's low end
    at.run()
    assert heading(at) == "Exercise 5 of 5: Stroking again"
    assert metrics(at)["Exercise"] == "2:10 / 3:00"
    banner = next(m.value for m in at.markdown if "guide-banner" in m.value)
    assert "0:50 left: a first massage session lasts at most 15 minutes." in banner
    at.button(key="guided-next").click().run()  # N on the last exercise ends the session
    assert not at.exception
    assert at.subheader[0].value == "Session summary"
    assert at.success[0].value == "Neck and back, in the course's order: complete."
    assert metrics(at)["Session time"] == "14:10"
    assert metrics(at)["Exercises"] == "5 of 5"
    rows = at.dataframe[0].value
    assert list(rows["time"]) == ["3:00 of 3:00"] * 4 + ["2:10 of 3:00"]
    # One empty frame per script run, no hand in it: no stroke found where frames came;
    # exercises 3 and 4 passed within one run, without a frame.
    found = [f.startswith("No strokes along the line were found") for f in rows["main fault"]]
    assert found == [True, True, False, False, True]
    assert list(rows["main fault"])[2:4] == ["no strokes", "no strokes"]
    assert spoken(at) == [
        "Exercise 1 of 5: Stroking the back of the neck.",
        "Exercise 2 of 5: The front of the neck.",
        "Exercise 3 of 5: Circles along the line of the neck.",
        "Exercise 4 of 5: Pinching along the spine.",
        "Exercise 5 of 5: Stroking again.",
        "0:50 left: a first massage session lasts at most 15 minutes.",
        "That is the end of the session. Well done.",
    ]
    save = next(b for b in at.button if b.label.startswith("Save this session"))
    assert save.label == "Save this session for Ann"
    save.click().run()
    # Each stretch with frames is kept as a practice attempt, linked to the session: one in
    # the first exercise, two in the second (paused once), one in the last.
    assert at.success[-1].value.startswith("Saved as session 1 for Ann, with 4 practice attempts")
    with Store.open(Settings.from_env()) as store:
        [saved] = list_sessions(store)
        ids = [a.id for a in store.list_attempts()]
    assert saved.person == "Ann" and saved.first and saved.complete
    assert saved.seconds == pytest.approx(850)
    assert [index for index, _ in saved.attempts] == [0, 1, 1, 4]
    history = AppTest.from_string(
        "from trainer.ui import history\nhistory.page()", default_timeout=TIMEOUT
    ).run()
    assert not history.exception
    assert [t.label for t in history.tabs] == ["By person", "By technique", "Guided sessions"]
    tables = [d.value for d in history.dataframe]
    sessions = next(t for t in tables if "routine" in t.columns)
    assert list(sessions["routine"]) == ["Neck and back, in the course's order"]  # its title
    assert list(sessions["exercises done"]) == ["5 of 5 exercises"]
    assert list(sessions["time"]) == ["14:10"]
    exercises = next(t for t in tables if "exercise" in t.columns)
    assert list(exercises["time"])[-1] == "2:10 of 3:00"
    assert list(exercises["attempts"]) == [
        f"#{ids[0]}",
        f"#{ids[1]}, #{ids[2]}",
        "-",
        "-",
        f"#{ids[3]}",
    ]


def test_a_session_stopped_midway_is_saved_as_incomplete(data_dir, camera, log_in):
    log_in("Bo", "instructor")
    at = page()
    clock = begin(at, "neck-and-back")
    at.button(key="guided-toggle").click().run()
    clock.advance(4)  # 4 minutes: into the second exercise
    at.button(key="guided-stop").click().run()
    assert at.subheader[0].value == "Session summary"
    assert at.warning[0].value == (
        "Neck and back, in the course's order: stopped after 2 of 5 exercises, saved as incomplete."
    )
    assert list(at.dataframe[0].value["time"]) == ["3:00 of 3:00", "1:00 of 3:00"] + ["-"] * 3
    next(b for b in at.button if b.label.startswith("Save this session")).click().run()
    with Store.open(Settings.from_env()) as store:
        [saved] = list_sessions(store)
        assert store.list_people() == [("Bo", "instructor")]
    assert not saved.complete and saved.seconds == pytest.approx(240)
    # Bo's next session of this routine is not a first one: 5 minutes per exercise, no cap.
    next(b for b in at.button if b.label == "Begin another session").click().run()
    at.selectbox(key="guided-routine").set_value("neck-and-back").run()
    assert at.info[0].value == (
        "Bo has done this routine before: 25:00 in all (5:00 + 5:00 + 5:00 + 5:00 + 5:00)."
    )


def test_a_session_skipped_through_early_is_not_called_complete(data_dir, camera, log_in):
    # The walk: Next at 0:44 of the first foot, End the session 8 s later.
    log_in("Ann")
    at = page()
    clock = begin(at, "foot-spine")
    at.button(key="guided-toggle").click().run()
    clock.advance(44 / SCALE)
    at.button(key="guided-next").click().run()
    clock.advance(8 / SCALE)
    at.button(key="guided-stop").click().run()
    assert not at.success and "saved as incomplete" in at.warning[0].value
    next(b for b in at.button if b.label.startswith("Save this session")).click().run()
    with Store.open(Settings.from_env()) as store:
        [saved] = list_sessions(store)
    assert not saved.complete
