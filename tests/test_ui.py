"""The app's pages through Streamlit's AppTest: each page's logic, real videos, real model.

The Practice page's video needs a browser (tests/test_app_browser.py); here its path panel.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from clips import make_stroke_clip
from conftest import ROOT, require
from job_helpers import sample
from trainer.capture.video import VideoWriter
from trainer.core.base.errors import TrainerError
from trainer.core.technique import load_technique
from trainer.jobs.submit import Submitter
from trainer.store.jobs.job_store import JobStore
from trainer.ui.common import ice_servers, max_upload_mb

TIMEOUT = 180  # seconds: a whole analysis runs inside one script run
WAIT_S = 300  # for a review job's worker: the machine is shared


def review_page(job: int | None = None) -> AppTest:
    script = "from trainer.ui import review\nreview.page()"
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    if job is not None:
        at.query_params["job"] = str(job)  # as a reload or another tab opens it
    return at.run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    video = next(u for u in at.file_uploader if u.label.startswith("Video"))
    video.upload(name, data, "video/mp4")
    return at.run()


def until_ended(at: AppTest) -> AppTest:
    """Rerun the page (as its fragment does, once a second) until the job has ended."""
    deadline = time.monotonic() + WAIT_S
    while not (at.metric or at.error) and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    return at


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


@pytest.fixture
def data_dir(tmp_path, monkeypatch, log_in):
    """A store of its own (the page's local workers get it too), the student Ana logged in."""
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    log_in("Ana")
    return tmp_path / "data"


@pytest.fixture(scope="module")
def clip(footage, tmp_path_factory):
    """Two good passes by a real hand (see clips.py)."""
    return make_stroke_clip(footage, tmp_path_factory.mktemp("up") / "strokes.mp4", passes=2)


def test_review_runs_as_a_job_and_shows_its_result_after_a_reload(clip, model_path, data_dir):
    at = upload(review_page(), "strokes.mp4", clip.read_bytes())
    assert not at.exception
    job = int(at.query_params["job"])
    assert at.get("progress")  # followed from the job's row while a worker runs it
    at = until_ended(at)
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Strokes"] == "2"
    assert metrics["Good strokes"] == "100%"
    assert int(metrics["Score"].split(" / ")[0]) > 80
    assert at.success[0].value == "Every stroke was good."
    assert at.success[1].value.startswith("Saved as attempt 1 for Ana")
    assert len(at.get("video")) == 1
    assert len(at.get("image")) == 3  # path, speed and coverage plots
    assert len(at.get("download_button")) == 2
    assert [t.label for t in at.tabs] == ["Path", "Speed", "Coverage per zone"]
    # A reload (a new session on the same address) shows the same job's result.
    again = review_page(job)
    assert {m.label: m.value for m in again.metric} == metrics
    listed = again.dataframe[-1].value  # the recent jobs, under the result
    assert list(listed["video"]) == ["strokes.mp4"] and list(listed["state"]) == ["done"]


def test_a_students_review_is_their_own_and_never_a_reference(data_dir):
    at = review_page()
    assert not at.exception
    assert not at.text_input and "Your video, Ana" in [t.value for t in at.text]
    assert at.selectbox(key="review-kind").options == ["video", "practice"]


def test_an_instructors_review_is_filed_under_nobody_until_chosen(monkeypatch, data_dir, log_in):
    log_in("Tia", "instructor")
    monkeypatch.setattr(Submitter, "start_workers", lambda self, n=None: 0)  # jobs wait
    at = upload(review_page(), "strokes.mp4", sample("foot-spine-line_correct").read_bytes())
    assert not at.exception
    assert at.selectbox(key="review-person").value is None
    assert "job" not in at.query_params and not JobStore.open().list()
    assert at.warning[0].value == "Choose whose video it is, then it is reviewed."
    at.selectbox(key="review-person").set_value("Tia").run()
    assert JobStore.open().get(int(at.query_params["job"])).person == "Tia"


def test_the_review_form_warms_a_worker_before_the_upload(data_dir):
    from trainer.core.base.settings import Settings
    from trainer.jobs.local import live_workers

    review_page()
    deadline = time.monotonic() + 60
    while live_workers(Settings.from_env()) == 0:  # it leaves 3 s after (TRAINER_WORKER_IDLE_S)
        assert time.monotonic() < deadline, "no worker was started for the coming upload"
        time.sleep(0.1)


def test_review_jobs_carry_the_exposure_setting(monkeypatch, data_dir):
    monkeypatch.setenv("TRAINER_EXPOSURE", "off")
    monkeypatch.setattr(Submitter, "start_workers", lambda self, n=None: 0)  # the job waits
    at = upload(review_page(), "strokes.mp4", sample("foot-spine-line_correct").read_bytes())
    assert not at.exception
    assert JobStore.open().get(int(at.query_params["job"])).exposure is False


def test_review_refuses_files_over_the_limit(monkeypatch, data_dir):
    monkeypatch.setenv("TRAINER_MAX_UPLOAD_MB", "1")
    at = upload(review_page(), "big.mp4", bytes(1_500_000))
    assert not at.exception
    assert "big.mp4 is 2 MB; videos up to 1 MB are accepted" in errors(at)
    assert not at.metric and "job" not in at.query_params


def test_review_of_a_file_that_is_not_a_video_is_refused_at_once(model_path, data_dir):
    started = time.monotonic()
    at = upload(review_page(), "holiday.mp4", b"not a video at all " * 1000)
    assert not at.exception
    # Refused by the page itself, before any job or worker: in well under a second of work.
    assert errors(at).startswith("holiday.mp4: not a video file")
    assert "job" not in at.query_params and not JobStore.open().list()
    assert time.monotonic() - started < 5.0


def test_review_of_a_video_without_a_hand(tmp_path, model_path, data_dir):
    video = tmp_path / "wall.mp4"
    with VideoWriter(video, 10, 320, 240) as w:
        for _ in range(20):
            w.write(np.full((240, 320, 3), 200, np.uint8))
    at = until_ended(upload(review_page(), "wall.mp4", video.read_bytes()))
    assert not at.exception
    assert "Failed: wall.mp4: no hand found" in errors(at)


def test_review_with_a_calibration_for_another_technique(data_dir):
    at = review_page()
    at.radio[0].set_value("file").run()
    neck = {"technique": "neck-back-stroke", "points": [[0.5, 0.2], [0.5, 0.8]]}
    cal = next(u for u in at.file_uploader if u.label.startswith("Calibration"))
    cal.upload("neck.json", json.dumps(neck).encode(), "application/json")
    at.run()
    assert not at.exception
    assert "this calibration is for 'neck-back-stroke'" in errors(at)


def sample_page() -> AppTest:
    return AppTest.from_string(
        "from trainer.ui import sample\nsample.page()", default_timeout=TIMEOUT
    ).run()


def test_sample_page_without_samples_says_how_to_make_them(tmp_path, monkeypatch, data_dir):
    monkeypatch.setenv("TRAINER_SAMPLES_DIR", str(tmp_path))
    at = sample_page()
    assert not at.exception
    assert "make samples" in at.info[0].value
    assert not at.button


def test_sample_button_reviews_it_and_says_the_hand_was_lost(monkeypatch, model_path, data_dir):
    samples = require(ROOT / "sample_videos" / "README.md", "sample videos").parent
    monkeypatch.setenv("TRAINER_SAMPLES_DIR", str(samples))
    at = sample_page()
    choice = at.selectbox[0]
    assert len(choice.options) == len(list(samples.glob("*.mp4")))
    assert choice.value == 0
    assert choice.options[0] == "Foot reflex massage: the spine line: done right"
    assert not at.metric
    choice.set_value(
        choice.options.index(
            "Foot reflex massage: the spine line: the hand leaves the picture for a while"
        )
    ).run()
    at.button[0].click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # Three correct passes; one gap costs 25 points: the truth has no thumb 10.16 -> 12.8 s.
    assert (metrics["Score"], metrics["Strokes"], metrics["Good strokes"]) == (
        "75 / 100",
        "3",
        "100%",
    )
    assert [e.value for e in at.error] == [
        "Keep your hand in view of the camera: it was lost for 2.6 s mid-exercise."
    ]


PANEL = """
import streamlit as st
from trainer.core.technique import load_technique
from trainer.ui import practice
from trainer.ui.common import user_errors
with user_errors():
    technique = load_technique("foot-spine-line")
    calibration, follow = practice.path_panel(technique, practice.Stream(), mirror=False)
    st.session_state["points"] = calibration.points.tolist()
    st.session_state["follow"] = follow
"""
CLICKS = "practice-mark-foot-spine-line-click"


def click(at: AppTest, key: str, x: float, y: float, when: int) -> AppTest:
    """A click on the 640x480 picture of streamlit-image-coordinates, as its frontend sends it."""
    at.session_state[key] = {"x": x, "y": y, "width": 640, "height": 480, "unix_time": when}
    return at.run()


def test_practice_path_is_the_guide_until_both_ends_are_clicked():
    at = AppTest.from_string(PANEL).run()
    assert not at.exception
    guide = np.array(load_technique("foot-spine-line").guide)
    np.testing.assert_allclose(at.session_state["points"], guide)
    assert at.session_state["follow"] is True  # the path follows the body part by default
    assert len(at.get("image")) == 1  # the preview
    at.radio[0].set_value("mark").run()
    assert not at.slider  # clicks, not sliders
    click(at, CLICKS, 64, 384, 1)
    np.testing.assert_allclose(at.session_state["points"], guide)  # one end is not a path
    assert any("Now click **the big toe**" in m.value for m in at.markdown)
    click(at, CLICKS, 576, 384, 2)
    points = np.array(at.session_state["points"])
    np.testing.assert_allclose(points[[0, -1]], [[0.1, 0.8], [0.9, 0.8]], atol=1e-9)
    assert points[1, 1] < 0.8  # the guide's bend, kept
    at.run()  # the same click seen again changes nothing
    np.testing.assert_allclose(np.array(at.session_state["points"]), points)
    click(at, CLICKS, 320, 100, 3)  # a third click starts again
    np.testing.assert_allclose(at.session_state["points"], guide)
    at.checkbox[0].uncheck().run()
    assert at.session_state["follow"] is False


def test_the_front_page_says_what_the_trainer_does_and_offers_three_starts():
    # The front page's head (the whole page needs WebRTC's runtime, which AppTest lacks).
    at = AppTest.from_string(
        "from trainer.ui import practice\npractice.tour()", default_timeout=TIMEOUT
    ).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "watches your thumb through the camera" in text
    assert "**Practise now**" in text
    assert "[Review a video](/review)" in text and "[Try a sample](/sample)" in text


def test_practice_snapshot_needs_the_camera():
    at = AppTest.from_string(PANEL).run()
    at.radio[0].set_value("mark").run()
    at.button[0].click().run()
    assert "Start the camera first" in at.warning[0].value


def test_practice_path_from_a_calibration_file():
    at = AppTest.from_string(PANEL).run()
    at.radio[0].set_value("file").run()
    mine = {"technique": "foot-spine-line", "points": [[0.2, 0.5], [0.8, 0.5]]}
    at.file_uploader[0].upload("mine.json", json.dumps(mine).encode(), "application/json")
    at.run()
    assert at.session_state["points"] == mine["points"]
    at.file_uploader[0].set_value(("bad.json", b"{not json", "application/json"))
    at.run()
    assert not at.exception
    assert (
        "bad.json: not valid JSON (Expecting property name enclosed in double quotes, line 1)"
        in errors(at)
    )
    at.file_uploader[0].set_value(("deep.json", b"[" * 100_000, "application/json"))
    at.run()
    assert not at.exception
    assert "deep.json: not a usable file: nested deeper than" in errors(at)


def test_ice_servers_none_unless_a_deployment_names_them(monkeypatch):
    monkeypatch.delenv("TRAINER_ICE_SERVERS", raising=False)
    assert ice_servers() == []
    turn = [{"urls": ["turn:turn.example.org:3478"], "username": "u", "credential": "p"}]
    monkeypatch.setenv("TRAINER_ICE_SERVERS", json.dumps(turn))
    assert ice_servers() == turn
    for bad in ("[{", '{"urls": "stun:x"}', '["stun:x"]'):
        monkeypatch.setenv("TRAINER_ICE_SERVERS", bad)
        with pytest.raises(TrainerError, match="TRAINER_ICE_SERVERS"):
            ice_servers()


def test_upload_limit_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRAINER_MAX_UPLOAD_MB", raising=False)
    assert max_upload_mb() == 200
    monkeypatch.setenv("TRAINER_MAX_UPLOAD_MB", "lots")
    with pytest.raises(TrainerError, match="TRAINER_MAX_UPLOAD_MB"):
        max_upload_mb()
