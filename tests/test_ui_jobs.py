"""The Review a class page through Streamlit's AppTest: many uploads, one job each, run by the
page's local workers with the real model; the class table links to History and Compare."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from job_helpers import sample
from trainer.core.base.settings import Settings
from trainer.jobs.submit import Submitter
from trainer.store.accounts.accounts import Accounts
from trainer.store.jobs.job_store import JobStore
from trainer.store.store import Store

TIMEOUT = 60
WAIT_S = 300  # for the jobs' workers: the machine is shared


def class_page(batch: str | None = None) -> AppTest:
    at = AppTest.from_string(
        "from trainer.ui import class_review\nclass_review.page()", default_timeout=TIMEOUT
    )
    if batch is not None:
        at.query_params["batch"] = batch
    return at.run()


def page_of(module: str, **params: str) -> AppTest:
    at = AppTest.from_string(
        f"from trainer.ui import {module}\n{module}.page()", default_timeout=TIMEOUT
    )
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def upload_class(at: AppTest, files: dict[str, bytes], from_names: bool = True) -> AppTest:
    videos = next(u for u in at.file_uploader if u.label.startswith("Videos"))
    videos.set_value([(name, data, "video/mp4") for name, data in files.items()])
    at.run()
    if from_names:
        at.toggle(key="class-from-names").set_value(True)
    return at.run()


@pytest.fixture
def data_dir(tmp_path, monkeypatch, log_in):
    """A store of its own, with the instructor Tia logged in and her class's students."""
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    log_in("Tia", "instructor")
    with Store.open(Settings.from_env()) as store:
        accounts = Accounts(store)
        accounts.add_class("Monday")
        for name in ("Tia", "ana", "ben", "cat"):
            if name != "Tia":
                accounts.add(name, "student")
            accounts.join("Monday", name)
    return tmp_path / "data"


def test_a_class_is_reviewed_and_linked_to_history_and_compare(data_dir, model_path):
    files = {
        "ana_first.mp4": sample("foot-spine-line_correct").read_bytes(),
        "ben_first.mp4": sample("foot-spine-line_off_line").read_bytes(),
        "cat_first.mp4": b"not a video at all " * 500,
    }
    at = upload_class(class_page(), files)
    names = at.data_editor[0].value
    assert list(names["person"]) == ["ana", "ben", "cat"]  # from the file names
    next(b for b in at.button if b.label == "Review them").click()
    at.run()
    batch = at.query_params["batch"]
    deadline = time.monotonic() + WAIT_S
    while not at.markdown or "The class" not in " ".join(m.value for m in at.markdown):
        assert time.monotonic() < deadline, "the class was never reviewed"
        time.sleep(1.0)
        at = class_page(batch)  # as a reload would
    assert not at.exception
    table = at.dataframe[0].value.set_index("person")
    assert "The class: 2 of 3 videos reviewed" in " ".join(m.value for m in at.markdown)
    assert list(table.index) == ["ana", "ben", "cat"]  # highest score first, the failure last
    assert table.loc["ana", "score"] > table.loc["ben", "score"]
    assert table.loc["ben", "main fault"].startswith("Stay on the line: you drifted")
    assert table.loc["ana", "main fault"] == "No fault: every stroke was good."
    assert table.loc["ana", "error"] == ""  # not "None"
    assert table.loc["cat", "state"] == "failed"
    assert table.loc["cat", "error"].startswith("cat_first.mp4: not a video file")
    assert table.loc["ben", "history"] == "/history?person=ben"
    ben_attempt = int(table.loc["ben", "attempt"])
    assert table.loc["ben", "compare"] == f"/compare?a={ben_attempt}"
    # The links open the person's history and the attempt in Compare.
    assert page_of("history", person="ben").selectbox(key="history-person").value == "ben"
    compare = page_of("compare", a=str(ben_attempt))
    assert compare.selectbox(key="compare-a").value.id == ben_attempt


def test_a_class_s_jobs_carry_the_exposure_setting(data_dir, monkeypatch):
    monkeypatch.setenv("TRAINER_EXPOSURE", "off")
    monkeypatch.setattr(Submitter, "start_workers", lambda self, n=None: 0)  # the jobs wait
    at = upload_class(class_page(), {"ana_first.mp4": b"x" * 100, "ben_first.mp4": b"y" * 100})
    next(b for b in at.button if b.label == "Review them").click()
    at.run()
    assert not at.exception
    made = JobStore.open().list(batch=at.query_params["batch"])
    assert [(j.person, j.exposure) for j in made] == [("ben", False), ("ana", False)]


def test_names_come_from_file_names_only_when_asked_and_only_known_ones(data_dir):
    files = {"foot-spine-line_correct.mp4": b"x" * 100, "ana_first.mp4": b"y" * 100}
    at = upload_class(class_page(), files, from_names=False)
    assert not at.toggle(key="class-from-names").value
    assert list(at.data_editor[0].value["person"]) == ["", ""]
    at.toggle(key="class-from-names").set_value(True).run()
    # "foot-spine-line" is a technique, not one of Tia's students: nobody is guessed for it.
    assert list(at.data_editor[0].value["person"]) == ["", "ana"]


def test_the_class_calibration_says_it_is_optional(data_dir):
    at = class_page()
    [calibration] = [u for u in at.file_uploader if u.label.startswith("Calibration")]
    assert "optional" in calibration.label and "framing guide" in calibration.label


def test_typed_names_are_needed_for_every_video(data_dir):
    at = upload_class(class_page(), {"clip.mp4": b"x" * 100}, from_names=False)
    next(b for b in at.button if b.label == "Review them").click()
    at.run()
    assert "Whose are clip.mp4?" in at.error[0].value
    assert "batch" not in at.query_params
