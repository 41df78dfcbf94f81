"""The Accounts page (admins) and the My class page (instructors) through AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from attempt_data import CALIBRATION
from attempt_data import session as judged_session
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.logins import Logins
from trainer.store.store import Store

TIMEOUT = 60


@pytest.fixture
def school(tmp_path, monkeypatch):
    """Ann and Ben in Tia's class Monday, Cy in Tuesday; one scored attempt each."""
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    scores = {}
    with Store.open(Settings.from_env()) as store:
        accounts = Accounts(store)
        accounts.add("Tia", "instructor")
        for class_name, members in (("Monday", ("Tia", "Ann", "Ben")), ("Tuesday", ("Cy",))):
            accounts.add_class(class_name)
            for name in members:
                if name != "Tia":
                    accounts.add(name, "student")
                accounts.join(class_name, name)
        for seed, name in enumerate(("Ann", "Ben", "Cy")):
            track, review = judged_session(seed=seed, offset=0.02 * seed)
            store.save_attempt(
                person=name,
                technique="foot-spine-line",
                kind="practice",
                track=track,
                calibration=Calibration.from_dict(CALIBRATION),
                review=review,
                score=review.score,
            )
            scores[name] = review.score
    return scores


def page(module: str) -> AppTest:
    script = f"from trainer.ui import {module}\n{module}.page()"
    return AppTest.from_string(script, default_timeout=TIMEOUT).run()


def test_my_class_lists_the_instructors_students_with_their_latest_scores(school, log_in):
    log_in("Tia")
    at = page("class_page")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["student"]) == ["Ann", "Ben"]  # not Cy: another class
    assert list(table["latest score"]) == pytest.approx([school["Ann"], school["Ben"]])
    assert list(table["history"]) == ["/history?person=Ann", "/history?person=Ben"]


def test_an_admin_adds_an_account_that_logs_in_only_through_the_identity_provider(school, log_in):
    """An e-mail and no password: the provider's login finds the account, no password does."""
    log_in("Ida", "admin")
    at = page("accounts_page")
    at.text_input(key="accounts-name").input("Eve")
    at.selectbox(key="accounts-role").set_value("instructor")
    at.text_input(key="accounts-email").input("Eve@School.example")
    at.button[0].click().run()  # the form's submit
    assert not at.exception and not at.error
    with Store.open(Settings.from_env()) as store:
        logins = Logins(store)
        found = logins.account(logins.with_email("eve@school.example"))
        assert (found.name, found.role, found.has_password) == ("Eve", "instructor", False)


def test_my_class_and_accounts_are_not_a_students(school, log_in):
    log_in("Ann")
    assert "instructor's" in page("class_page").info[0].value
    accounts = page("accounts_page")
    assert "Only an admin" in accounts.info[0].value and not accounts.dataframe


def test_an_admin_adds_an_account_in_a_class_and_disables_it(school, log_in):
    log_in("Ida", "admin")
    at = page("accounts_page")
    assert not at.exception
    assert list(at.dataframe[0].value["name"]) == ["Ann", "Ben", "Cy", "Ida", "Tia"]
    at.text_input(key="accounts-name").input("Dan")
    at.selectbox(key="accounts-role").set_value("student")
    at.text_input(key="accounts-pw").input("a good long password")
    at.multiselect(key="accounts-classes").select("Monday")
    at.button[0].click().run()  # the form's submit
    assert not at.exception and not at.error
    with Store.open(Settings.from_env()) as store:
        accounts = Accounts(store)
        assert accounts.classes_of("Dan") == ["Monday"]
        token = Logins(store).with_password("Dan", "a good long password", "test")
    at.selectbox(key="accounts-manage").set_value("Dan").run()
    at.button(key="accounts-disable").click().run()
    with Store.open(Settings.from_env()) as store:
        assert Accounts(store).get("Dan").disabled
        assert Logins(store).account(token) is None


def test_a_bad_password_is_one_message_and_adds_nobody(school, log_in):
    log_in("Ida", "admin")
    at = page("accounts_page")
    at.text_input(key="accounts-name").input("Dan")
    at.text_input(key="accounts-pw").input("short")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["a password needs at least 8 characters"]
    with Store.open(Settings.from_env()) as store:
        assert "Dan" not in {a.name for a in Accounts(store).list()}


def _everyone() -> set[str]:
    with Store.open(Settings.from_env()) as store:
        return {name for name, _ in store.list_people()}


def test_an_admin_forgets_a_person_once_their_name_is_typed(school, log_in):
    log_in("Ida", "admin")
    at = page("accounts_page")
    at.selectbox(key="accounts-manage").set_value("Ann").run()
    assert at.button(key="accounts-forget").disabled  # nothing typed yet
    at.text_input(key="forget-Ann").input("Ben").run()
    assert at.button(key="accounts-forget").disabled  # another name
    at.text_input(key="forget-Ann").input("Ann").run()
    at.button(key="accounts-forget").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Forgot Ann: 1 attempts")
    assert "Ann" not in list(at.dataframe[0].value["name"])
    assert _everyone() == {"Ben", "Cy", "Ida", "Tia"}


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_only_an_admin_may_forget_anyone_and_never_themselves(school, log_in, role):
    from trainer.core.base.errors import AccountError
    from trainer.store.access.jobs import ScopedJobs
    from trainer.store.access.scope import Scope
    from trainer.store.jobs.job_store import JobStore

    with Store.open(Settings.from_env()) as store:
        accounts = Accounts(store)
        accounts.add("Ida", "admin")
        jobs = JobStore(store, Settings.from_env().data_dir / "jobs")
        as_teacher = ScopedJobs(jobs, Scope(store, accounts.get("Tia")))
        as_student = ScopedJobs(jobs, Scope(store, accounts.get("Ann")))
        as_admin = ScopedJobs(jobs, Scope(store, accounts.get("Ida")))
        actor = as_teacher if role == "instructor" else as_student
        with pytest.raises(AccountError, match="only an admin"):
            actor.forget_person("Ben")  # Ben is in Tia's own class: still not hers to erase
        with pytest.raises(AccountError, match="your own account"):
            as_admin.forget_person("Ida")
    assert _everyone() == {"Ann", "Ben", "Cy", "Ida", "Tia"}
