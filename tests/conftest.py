"""Shared fixtures: real footage from ../shared, skipped locally when absent, required in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Workers the pages and the CLI start in the tests leave 3 s after their last job, not after
# the default 5 minutes: each test has a data folder of its own, so none is used again.
os.environ.setdefault("TRAINER_WORKER_IDLE_S", "3")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FOOTAGE = SHARED / "footage"
MODEL = ROOT / "models" / "hand_landmarker.task"


def missing(message: str) -> None:
    """Something a test needs is not on this machine: skip locally, fail under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must have it (make test installs it; ../shared beside)")
    pytest.skip(message)


def require(path: Path, what: str) -> Path:
    """Return path if it exists; otherwise skip locally, fail under CI=true."""
    if not path.exists():
        missing(f"{what} not found at {path}")
    return path


@pytest.fixture(scope="session")
def footage() -> Path:
    return require(FOOTAGE, "real hand footage (../shared/footage)")


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `trainer models fetch` (make test does)")
    return MODEL


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server (tests/pg.py); yields a function making fresh DBs."""
    import pg

    if not pg.available():
        missing("PostgreSQL server programs not installed (Debian package postgresql)")
    with pg.postgres_server() as fresh_database:
        yield fresh_database


@pytest.fixture
def log_in(monkeypatch):
    """log_in(NAME, ROLE): a real login in the store the environment names (the account made
    if new), its token handed to the pages as the browser's cookie would be; AppTest sends no
    cookies. The pages still check it against the store on every run."""
    from trainer.core.base.settings import Settings
    from trainer.store.accounts.accounts import Accounts
    from trainer.store.accounts.logins import Logins
    from trainer.store.store import Store
    from trainer.ui import login

    def as_account(name: str = "Ana", role: str = "student") -> str:
        with Store.open(Settings.from_env()) as store:
            accounts = Accounts(store)
            if name not in {a.name for a in accounts.list()}:
                accounts.add(name, role)
            token = Logins(store).start(accounts.get(name).id)
        monkeypatch.setattr(login, "login_token", lambda: token)
        return token

    return as_account
