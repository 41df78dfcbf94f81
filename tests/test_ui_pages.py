"""Every page of the app, through AppTest, as the account it is for: what it is for, said in
one line under its title."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Caption, Title

from attempt_data import CALIBRATION
from attempt_data import session as judged_session
from job_helpers import handless_video
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.jobs.submit import Submitter
from trainer.store.accounts.accounts import Accounts
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import JobSpec
from trainer.store.store import Store

TIMEOUT = 120

# Each page, the role it is meant for (the others are told it is not theirs) and its address's
# query: a job's or a class's page is the same page showing one.
PAGES = (
    ("practice", "student", {}),
    ("guided", "student", {}),
    ("review", "student", {}),
    ("review", "student", {"job": "1"}),
    ("class_review", "instructor", {}),
    ("class_review", "instructor", {"batch": "0123456789ab"}),
    ("sample", "student", {}),
    ("history", "student", {}),
    ("compare", "student", {}),
    ("class_page", "instructor", {}),
    ("accounts_page", "admin", {}),
)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path / "data"


def page(name: str, **query: str) -> AppTest:
    at = AppTest.from_string(
        f"from trainer.ui import {name}\n{name}.page()", default_timeout=TIMEOUT
    )
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize(("name", "role", "query"), PAGES)
def test_each_page_says_in_one_line_what_it_is_for(name, role, query, data_dir, log_in):
    log_in(f"A {role}", role)
    at = AppTest.from_string(
        f"from trainer.ui import {name}\n{name}.page()", default_timeout=TIMEOUT
    )
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    # Practice's and Guided session's camera needs WebRTC's runtime, which AppTest lacks: what
    # comes before it is drawn all the same.
    shown = [e for e in at.main if not isinstance(e, Block)]  # in the order they are drawn
    assert isinstance(shown[0], Title)
    assert isinstance(shown[1], Caption), f"{name}: nothing under the title says what it is for"
    line = shown[1].value
    assert "\n" not in line and len(line) <= 160, line


def cells(at: AppTest) -> list[str]:
    """Every cell of every table as the browser writes it: a missing value as the table's
    placeholder, or as Streamlit's own "None" when it names none."""
    shown = []
    for frame in at.dataframe:
        missing = frame.proto.placeholder if frame.proto.HasField("placeholder") else "None"
        values = frame.value.astype(object).to_numpy().ravel()
        shown += [missing if pd.isna(v) else str(v) for v in values]
    return shown


def test_an_account_without_an_e_mail_is_a_dash_not_none(data_dir, log_in):
    log_in("Ada", "admin")
    at = page("accounts_page")
    assert not at.exception
    assert "None" not in cells(at) and "-" in cells(at)


def test_a_student_without_attempts_in_my_class_is_dashes_not_none(data_dir, log_in):
    log_in("Tia", "instructor")
    with Store.open(Settings.from_env()) as store:
        accounts = Accounts(store)
        accounts.add_class("Monday")
        for name in ("Ben", "Dan"):
            accounts.add(name, "student")
        for name in ("Tia", "Ben", "Dan"):
            accounts.join("Monday", name)
        track, review = judged_session()
        store.save_attempt(
            person="Ben",
            technique="foot-spine-line",
            kind="practice",
            track=track,
            calibration=Calibration.from_dict(CALIBRATION),
            review=review,
            score=review.score,
        )
    at = page("class_page")
    assert not at.exception
    listed = at.dataframe[0].value
    assert list(listed["student"]) == ["Ben", "Dan"] and listed["technique"].isna().iloc[1]
    assert listed["technique"].iloc[0] == "Foot reflex massage: the spine line"  # its title
    assert "None" not in cells(at) and "nan" not in cells(at)


def test_a_queued_job_has_no_score_and_says_no_none(data_dir, log_in, tmp_path, monkeypatch):
    log_in("Ana")
    monkeypatch.setattr(Submitter, "start_workers", lambda self, n=None: 0)  # the job waits
    jobs = JobStore.open()
    spec = JobSpec("Ana", "foot-spine-line", CALIBRATION, "wall.mp4")
    job = jobs.create(spec, handless_video(tmp_path / "wall.mp4"))
    at = page("review", job=str(job))
    assert not at.exception
    listed = at.dataframe[0].value
    assert list(listed["state"]) == ["queued"] and listed["score"].isna().all()
    assert "None" not in cells(at) and "nan" not in cells(at)
