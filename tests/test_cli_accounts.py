"""`trainer users` and `trainer classes`: the operator's accounts and classes."""

from __future__ import annotations

import io

import pytest

from trainer.cli import main
from trainer.core.base.errors import AccountError
from trainer.core.base.settings import Settings
from trainer.store.accounts.logins import Logins
from trainer.store.store import Store

PASSWORD = "a good long password"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path


def run(monkeypatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv))


def log_in(name: str, password: str) -> str | None:
    with Store.open(Settings.from_env()) as store:
        return Logins(store).account(Logins(store).with_password(name, password, "cli-test")).name


def test_users_and_classes_from_the_command_line(data_dir, monkeypatch, capsys):
    assert run(monkeypatch, "classes", "add", "Monday") == 0
    add = ("users", "add", "Ann", "--role", "student", "--class", "Monday", "--password-stdin")
    assert run(monkeypatch, *add, stdin=PASSWORD + "\n") == 0
    assert log_in("Ann", PASSWORD) == "Ann"
    assert run(monkeypatch, "users", "role", "Ann", "--role", "instructor") == 0
    assert run(monkeypatch, "classes", "members", "Monday") == 0
    assert "Ann\tinstructor" in capsys.readouterr().out
    assert run(monkeypatch, "users", "list") == 0
    out = capsys.readouterr().out
    # A table for people: no e-mail is "-", not a blank that makes Monday read as her e-mail.
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["Ann"] == ["Ann", "instructor", "-", "Monday", "can", "log", "in"]
    assert PASSWORD not in out
    new = "another good password"
    assert run(monkeypatch, "users", "passwd", "Ann", "--password-stdin", stdin=new + "\n") == 0
    assert log_in("Ann", new) == "Ann"
    assert run(monkeypatch, "users", "disable", "Ann") == 0
    assert run(monkeypatch, "users", "list") == 0
    assert "disabled" in capsys.readouterr().out


def test_an_accounts_e_mail_for_the_identity_providers_login(data_dir, monkeypatch, capsys):
    """Set, changed in case, then cleared: the e-mail a provider's login is mapped by."""
    add = ("users", "add", "Tia", "--role", "instructor", "--password-stdin")
    assert run(monkeypatch, *add, stdin=PASSWORD + "\n") == 0
    assert run(monkeypatch, "users", "email", "Tia", "--email", "Tia@School.example") == 0
    with Store.open(Settings.from_env()) as store:
        assert Logins(store).account(Logins(store).with_email("tia@school.example")).name == "Tia"
    assert run(monkeypatch, "users", "email", "Tia") == 0
    with Store.open(Settings.from_env()) as store, pytest.raises(AccountError):
        Logins(store).with_email("tia@school.example")
    out = capsys.readouterr().out
    assert "Tia: an e-mail for the provider" in out and "Tia: no e-mail" in out
    assert "school.example" not in out


def test_bad_input_is_one_line_and_exit_code_2(data_dir, monkeypatch, capsys):
    assert run(monkeypatch, "users", "add", "Bo", "--password-stdin", stdin="short\n") == 2
    assert run(monkeypatch, "users", "disable", "Nobody") == 2
    assert run(monkeypatch, "classes", "join", "Nowhere", "Bo") == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "trainer: a password needs at least 8 characters",
        "trainer: no account named 'Nobody'",
        "trainer: no class named 'Nowhere'",
    ]
