"""Opening the store (issue 13): reading never waits for a writer nor creates anything; a
locked, damaged, foreign or unreachable database is one line naming it (no password) and
what to do, never the driver's text or links."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_hostile_input import refused, review_json, write

from conftest import ROOT
from trainer.cli import main
from trainer.store.db.engine import make_engine
from trainer.store.db.migrations import LATEST_VERSION, migrate
from trainer.store.store import Store

LIBRARY_TEXT = ("sqlalche.me", "Background on this error", "sqlite3.", "psycopg.", "(Errno")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path / "data"


def saved(tmp_path, capsys) -> None:
    assert main(["save", write(tmp_path, "r.json", review_json()), "--person", "Ann"]) == 0
    capsys.readouterr()


def no_library_text(err: str) -> None:
    assert not any(words in err for words in LIBRARY_TEXT), err


def test_reading_creates_nothing(data_dir, capsys):
    assert main(["history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["people"]) == 0
    assert not data_dir.exists()


def test_reading_goes_on_while_another_process_writes(tmp_path, data_dir, capsys, monkeypatch):
    saved(tmp_path, capsys)
    monkeypatch.setenv("TRAINER_LOCK_WAIT_S", "60")  # a read that waited would take a minute
    writer = sqlite3.connect(data_dir / "trainer.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO people (name, role) VALUES ('Zed', 'student')")
    try:
        assert main(["history", "--json"]) == 0
        assert [r["person"] for r in json.loads(capsys.readouterr().out)] == ["Ann"]
        with Store.open() as store:  # a writable open of an up-to-date store: no wait either
            assert store.list_people() == [("Ann", "student")]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_locked_database_waits_a_bounded_time_then_says_so(
    tmp_path, data_dir, capsys, monkeypatch
):
    saved(tmp_path, capsys)
    monkeypatch.setenv("TRAINER_LOCK_WAIT_S", "0.5")
    writer = sqlite3.connect(data_dir / "trainer.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        err = refused(capsys, ["people", "--add", "Bo"], "trainer.db", "is locked")
        assert "TRAINER_LOCK_WAIT_S" in err
        no_library_text(err)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_an_old_database_is_upgraded_once_by_a_read(tmp_path, data_dir, capsys):
    data_dir.mkdir()
    url = f"sqlite:///{data_dir / 'trainer.db'}"
    old = make_engine(url)
    migrate(old, target=2)
    old.dispose()
    assert main(["history", "--json"]) == 0
    with Store(url, read_only=True) as store:
        assert store.version == LATEST_VERSION


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("foo://x/y", "unknown database dialect 'foo'"),
        ("not a url", "invalid database URL"),
        ("postgresql://ann:s3cret@127.0.0.1:9/db", "is unreachable"),
    ],
)
def test_database_settings_are_one_line_without_password(capsys, monkeypatch, url, words):
    monkeypatch.setenv("TRAINER_DATABASE_URL", url)
    monkeypatch.setenv("TRAINER_LOCK_WAIT_S", "2")
    err = refused(capsys, ["history"], words)
    assert "s3cret" not in err
    no_library_text(err)


def test_a_garbage_or_half_written_database_names_the_file(tmp_path, data_dir, capsys):
    saved(tmp_path, capsys)
    db = data_dir / "trainer.db"
    good = db.read_bytes()
    for content in (b"garbage" * 1000, good[: len(good) // 2], good[:100]):
        shutil.rmtree(data_dir)
        data_dir.mkdir()
        db.write_bytes(content)
        for argv in (["history"], ["people", "--add", "Bo"]):
            err = refused(capsys, argv, str(db))
            assert "not a trainer database" in err or "damaged" in err, err
            no_library_text(err)


def test_reading_a_database_in_a_read_only_folder(tmp_path, capsys):
    """As a user who cannot write beside the database (root can write anywhere: then the
    command runs as nobody, with the system's Python 3.11 and this project's packages)."""
    folder = Path(tempfile.mkdtemp(prefix="trainer-ro-"))
    try:
        os.chmod(folder, 0o755)
        with Store(f"sqlite:///{folder / 'trainer.db'}") as store:
            store.add_person("Ann")
        os.chmod(folder / "trainer.db", 0o644)
        os.chmod(folder, 0o555)
        env = {"TRAINER_DATA_DIR": str(folder), "PATH": os.environ.get("PATH", "")}
        command = [*_unprivileged(), "-m", "trainer", "people"]
        code = os.environ.get("PYTHONPATH") or str(ROOT / "src")
        env["PYTHONPATH"] = os.pathsep.join([code, *_site_packages()])
        with _reachable(env["PYTHONPATH"].split(os.pathsep)):
            run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert (run.returncode, run.stdout.split()) == (0, ["Ann", "student"]), run.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["trainer.db"]
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return [sys.executable]
    python = Path("/usr/bin/python3.11")
    setpriv = shutil.which("setpriv")
    if not python.exists() or setpriv is None:
        pytest.skip("running as root without /usr/bin/python3.11 and setpriv to drop it")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", str(python)]


@contextmanager
def _reachable(paths: list[str]) -> Iterator[None]:
    """Folders above `paths` that others may not enter (a clone under `mktemp -d` is 0700)
    opened to them for the run: the unprivileged user must reach the code, and only that."""
    closed = {
        folder: folder.stat().st_mode
        for path in paths
        if path
        for folder in Path(path).resolve().parents
        if os.geteuid() == 0 and not folder.stat().st_mode & stat.S_IXOTH
    }
    try:
        for folder, mode in closed.items():
            os.chmod(folder, mode | stat.S_IXOTH)
        yield
    finally:
        for folder, mode in closed.items():
            os.chmod(folder, mode)


def _site_packages() -> list[str]:
    import sqlalchemy

    return [str(Path(sqlalchemy.__file__).parents[1])]
