"""Accounts in the store: passwords kept as argon2 hashes, logins as rows that end at logout,
at a password change, at a disable and after their lifetime; failed logins slowed; one-time
links that work once. On SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from trainer.core.base.errors import AccountError
from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.links import Links
from trainer.store.accounts.logins import FREE_FAILURES, Logins
from trainer.store.db.schema import login_links, logins, now, people
from trainer.store.store import Store

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.at = now()

    def __call__(self):
        return self.at


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'trainer.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres")()
    )
    with Store(url, video_dir=tmp_path / "videos") as s:
        yield s


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def parts(store, clock):
    log = Logins(store, lifetime=timedelta(hours=12), clock=clock)
    return Accounts(store), log, Links(log)


def dump(store: Store) -> str:
    """Every value of every table, as text."""
    with store.connect() as conn:
        return repr([conn.execute(sa.select(t)).all() for t in (people, logins, login_links)])


def test_the_password_is_kept_only_as_an_argon2_hash(store, parts):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    token = log.with_password("Ann", PASSWORD, "127.0.0.1")
    stored = dump(store)
    assert PASSWORD not in stored and token not in stored
    with store.connect() as conn:
        assert conn.execute(sa.select(people.c.password_hash)).scalar().startswith("$argon2id$")


def test_a_login_survives_until_logout_and_its_token_is_refused_after(parts):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    token = log.with_password("Ann", PASSWORD, "127.0.0.1")
    assert log.account(token).name == "Ann"
    assert log.account(token).name == "Ann"  # a reload asks again
    log.end(token)
    assert log.account(token) is None


def test_a_wrong_password_and_an_unknown_name_are_refused_alike(parts):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    messages = set()
    for name, password in (("Ann", "wrong password"), ("Nobody", PASSWORD)):
        with pytest.raises(AccountError) as refused:
            log.with_password(name, password, "10.0.0.1")
        messages.add(str(refused.value))
    assert messages == {"wrong name or password"}


def test_a_login_ends_after_its_lifetime(parts, clock):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    token = log.with_password("Ann", PASSWORD, "127.0.0.1")
    clock.at += timedelta(hours=11, minutes=59)
    assert log.account(token) is not None
    clock.at += timedelta(minutes=2)
    assert log.account(token) is None


@pytest.mark.parametrize("change", ["password", "disable", "role"])
def test_a_password_change_a_disable_or_a_new_role_ends_every_login(parts, change):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    tokens = [log.with_password("Ann", PASSWORD, "127.0.0.1") for _ in range(2)]
    {
        "password": lambda: accounts.set_password("Ann", "another good one"),
        "disable": lambda: accounts.set_disabled("Ann", True),
        "role": lambda: accounts.set_role("Ann", "instructor"),
    }[change]()
    assert [log.account(t) for t in tokens] == [None, None]


def test_a_disabled_account_cannot_log_in_until_enabled(parts):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    accounts.set_disabled("Ann", True)
    with pytest.raises(AccountError, match="disabled"):
        log.with_password("Ann", PASSWORD, "127.0.0.1")
    accounts.set_disabled("Ann", False)
    assert log.account(log.with_password("Ann", PASSWORD, "127.0.0.1")).name == "Ann"


def test_an_identity_providers_e_mail_logs_in_only_its_enabled_account(parts):
    """The provider's e-mail names the account (any case); an unknown one is refused and
    makes nothing; a disabled account is refused, and disabling ends the logins it had."""
    accounts, log, _ = parts
    accounts.add("Ty", "instructor", email="ty@school.example")
    accounts.add("Ann", "student", password=PASSWORD)
    token = log.with_email("Ty@School.example")
    assert log.account(token).name == "Ty"
    with pytest.raises(AccountError, match="no account here has the e-mail address"):
        log.with_email("ann@school.example")
    assert [a.name for a in accounts.list()] == ["Ann", "Ty"]
    accounts.set_disabled("Ty", True)
    assert log.account(token) is None
    with pytest.raises(AccountError, match="disabled"):
        log.with_email("ty@school.example")


def test_failed_logins_are_slowed_per_account(parts, clock):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    for n in range(FREE_FAILURES):
        with pytest.raises(AccountError, match="wrong name"):
            log.with_password("Ann", "guess", f"10.0.0.{n}")  # a new address each time
    # The right password waits too: the account is slowed, whoever asks.
    with pytest.raises(AccountError, match="try again in 1 s"):
        log.with_password("Ann", PASSWORD, "10.0.1.1")
    clock.at += timedelta(seconds=2)
    assert log.account(log.with_password("Ann", PASSWORD, "10.0.1.1")) is not None


def test_failed_logins_are_slowed_per_address(parts, clock):
    accounts, log, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    for n in range(FREE_FAILURES + 2):
        clock.at += timedelta(seconds=10)  # each try waits out the last delay
        with pytest.raises(AccountError, match="wrong name"):
            log.with_password(f"Guess{n}", "guess", "10.0.0.9")
    with pytest.raises(AccountError, match="try again in 4 s"):
        log.with_password("Ann", PASSWORD, "10.0.0.9")
    assert log.account(log.with_password("Ann", PASSWORD, "10.0.0.10")) is not None


def test_the_first_admin_link_works_once_and_only_while_there_is_no_admin(parts):
    accounts, log, links = parts
    old = links.first_admin()
    token = links.first_admin()
    with pytest.raises(AccountError, match="link"):
        links.make_first_admin(old, "Ida", PASSWORD)  # a new link replaced it
    login = links.make_first_admin(token, "Ida", PASSWORD)
    assert log.account(login).role == "admin"
    with pytest.raises(AccountError, match="link"):
        links.make_first_admin(token, "Eve", PASSWORD)
    assert links.first_admin() is None
    assert [a.name for a in accounts.list()] == ["Ida"]


def test_a_reset_link_sets_the_password_once_and_ends_the_old_logins(parts, clock):
    accounts, log, links = parts
    accounts.add("Ann", "student", password=PASSWORD)
    old = log.with_password("Ann", PASSWORD, "127.0.0.1")
    link = links.reset("Ann")
    assert links.purpose(link) == ("reset", "Ann")
    new = links.reset_password(link, "a brand new one")
    assert log.account(old) is None and log.account(new).name == "Ann"
    with pytest.raises(AccountError, match="link"):
        links.reset_password(link, "yet another one")
    with pytest.raises(AccountError):
        log.with_password("Ann", PASSWORD, "127.0.0.1")
    expired = links.reset("Ann")
    clock.at += timedelta(hours=25)
    assert links.purpose(expired) is None


def test_classes_have_members_and_bad_names_are_refused(parts):
    accounts, _, _ = parts
    accounts.add("Ann", "student", password=PASSWORD)
    accounts.add("Ty", "instructor", email="ty@school.example")
    accounts.add_class("Monday")
    accounts.join("Monday", "Ann")
    accounts.join("Monday", "Ann")
    accounts.join("Monday", "Ty")
    assert [a.name for a in accounts.members("Monday")] == ["Ann", "Ty"]
    assert accounts.list_classes() == [("Monday", 2)]
    assert accounts.by_email("TY@school.example").name == "Ty"
    for bad in (
        lambda: accounts.add_class("Monday"),
        lambda: accounts.add("Ann", "student", password=PASSWORD),
        lambda: accounts.add("Bo", "student", email="ty@school.example"),
        lambda: accounts.add("Cy", "student", password="short"),
        lambda: accounts.add("  ", "student"),
        lambda: accounts.add("Di", "boss"),
        lambda: accounts.join("Tuesday", "Ann"),
    ):
        with pytest.raises((AccountError, Exception)) as refused:
            bad()
        assert refused.type.__name__ in ("AccountError", "StoreError")


def test_people_from_before_accounts_become_accounts_without_a_login(store, parts):
    """A person saved before migration 10 (no password, no e-mail) keeps their attempts'
    name; an admin gives them an account, and until then they cannot log in."""
    accounts, log, _ = parts
    store.add_person("Old Timer")
    with pytest.raises(AccountError, match="wrong name or password"):
        log.with_password("Old Timer", "", "127.0.0.1")
    made = accounts.add("Old Timer", "student", password=PASSWORD)
    assert made.has_password and [a.name for a in accounts.list()] == ["Old Timer"]
