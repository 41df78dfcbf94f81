"""The pages and the login, through AppTest: nothing of anyone before a login; a student sees
only their own on History, Compare and a review job's address; Log out ends the login in the
store, so the old cookie is refused."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from attempt_data import CALIBRATION
from attempt_data import session as judged_session
from job_helpers import handless_video
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.logins import Logins
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import JobSpec
from trainer.store.store import Store

PAGES = ("practice", "guided", "review", "class_review", "sample", "history", "compare")
TIMEOUT = 60


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path / "data"


@pytest.fixture
def two_students(data_dir, tmp_path):
    """Ann and Ben, students of one class, each with a saved attempt and a review job."""
    video = handless_video(tmp_path / "wall.mp4")
    ids = {}
    with Store.open(Settings.from_env()) as store:
        accounts = Accounts(store)
        accounts.add_class("Monday")
        jobs = JobStore(store, Settings.from_env().data_dir / "jobs")
        for seed, name in enumerate(("Ann", "Ben")):
            accounts.add(name, "student")
            accounts.join("Monday", name)
            track, review = judged_session(seed=seed)
            attempt = store.save_attempt(
                person=name,
                technique="foot-spine-line",
                kind="video",
                track=track,
                calibration=Calibration.from_dict(CALIBRATION),
                review=review,
                score=review.score,
            )
            spec = JobSpec(name, "foot-spine-line", CALIBRATION, f"{name}-secret.mp4")
            ids[name] = (attempt, jobs.create(spec, video))
    return ids


def page(name: str, **query: str) -> AppTest:
    at = AppTest.from_string(
        f"from trainer.ui import {name}\n{name}.page()", default_timeout=TIMEOUT
    )
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def shown(at: AppTest) -> str:
    """Every text the page shows, and every option it offers."""
    parts = [
        str(e.value)
        for kind in ("title", "markdown", "caption", "text", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    ]
    parts += [str(o) for box in at.selectbox for o in box.options]
    parts += [str(d.value) for d in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_anything_but_the_way_to_log_in_before_a_login(two_students, name):
    at = page(name)
    assert not at.exception
    assert [t.value for t in at.title] == ["Log in to the trainer"]
    assert not at.selectbox and not at.dataframe and not at.file_uploader and not at.button
    assert "Ann" not in shown(at) and "Ben" not in shown(at)


def test_a_stale_or_made_up_cookie_is_no_login(two_students, log_in, monkeypatch):
    from trainer.ui import login

    monkeypatch.setattr(login, "login_token", lambda: "made-up")
    assert [t.value for t in page("history").title] == ["Log in to the trainer"]


def test_a_student_sees_only_their_own_history(two_students, log_in):
    log_in("Ann")
    text = shown(page("history"))
    assert "Ann" in text and "Ben" not in text


def test_anothers_attempt_address_is_not_found(two_students, log_in):
    log_in("Ann")
    ben_attempt = two_students["Ben"][0]
    at = page("compare", a=str(ben_attempt))
    text = shown(at)
    assert f"Attempt '{ben_attempt}' not found." in text
    assert "Ben" not in text


def test_anothers_job_address_is_not_found_as_a_missing_one(two_students, log_in):
    log_in("Ann")
    ben_job = two_students["Ben"][1]
    text = shown(page("review", job=str(ben_job)))
    assert f"no review job with id {ben_job}" in text
    assert "Ben" not in text and "secret" not in text
    missing = shown(page("review", job="999999"))
    assert "no review job with id 999999" in missing
    ann_job = two_students["Ann"][1]
    assert "Ann-secret.mp4" in shown(page("review", job=str(ann_job)))


def test_log_out_ends_the_login_in_the_store(two_students, log_in):
    token = log_in("Ann")
    script = (
        "from trainer.ui.login import account_bar\naccount_bar()\n"
        "import streamlit as st\nst.title('inside')"
    )
    at = AppTest.from_string(script, default_timeout=TIMEOUT).run()
    assert "Ann · student" in [t.value for t in at.text]
    assert [t.value for t in at.title] == ["inside"]
    at.button(key="log-out").click().run()
    assert [t.value for t in at.title] == ["Log in to the trainer"]
    with Store.open(Settings.from_env()) as store:
        assert Logins(store).account(token) is None
