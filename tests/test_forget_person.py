"""`trainer forget --person NAME` (issue 19): afterwards no table holds the name, the e-mail or
any of their ids, no file of theirs is under the data folder or in the database, and the
SQLite file holds none of their text in deleted pages; everyone else's data stays. `trainer
export --person` gives them all of it first. On SQLite and on PostgreSQL, where a worker on
another machine keeps the video in the database, so any machine exports and forgets it."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_hostile_input import track_json

from job_helpers import handless_video, sample, spec
from trainer.cli import main
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.jobs.runner import run_job
from trainer.jobs.submit import Submitter
from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.links import Links
from trainer.store.accounts.logins import Logins
from trainer.store.db.engine import make_engine
from trainer.store.jobs.job_store import JobStore
from trainer.store.store import Store

NAME, EMAIL = "Zelda Quinn", "zelda@example.org"
CALIBRATION = Calibration.from_dict({"points": [[0.22, 0.6], [0.78, 0.58]]})


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path, monkeypatch) -> Settings:
    env = {"TRAINER_DATA_DIR": str(tmp_path / "data")}
    if request.param == "postgresql":
        env["TRAINER_DATABASE_URL"] = request.getfixturevalue("postgres")()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings.from_env(env)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(settings: Settings, tmp_path: Path, name: str, frames: int) -> dict:
    """A person with everything the store can hold of them; their ids and file digests."""
    submitter = Submitter(settings)
    store = submitter.jobs.store
    accounts = Accounts(store)
    person = accounts.add(
        name,
        "instructor",
        password="pw-long-enough-1",
        email=f"{name.split()[0].lower()}@example.org",
    )
    accounts.add_class(f"class {frames}")
    accounts.join(f"class {frames}", name)
    logins = Logins(store)
    logins.start(person.id)
    Links(logins).reset(name)
    video = handless_video(tmp_path / f"{frames}.mp4", frames)
    kw = {"track": Track.from_dict(track_json()), "calibration": CALIBRATION}
    kept = store.save_attempt(
        person=name, technique="foot-spine-line", kind="video", video=video, keep_video=True, **kw
    )
    ref = store.save_attempt(person=name, technique="foot-spine-line", kind="reference", **kw)
    job = submitter.submit(video, spec(video, person=name, technique="foot-spine-line"))
    failed = submitter.submit(video, spec(video, person=name, technique="foot-spine-line"))
    drawn = tmp_path / f"drawn-{frames}.mp4"
    drawn.write_bytes(f"annotated {name}".encode() * 100)
    made = store.save_attempt(
        person=name, technique="foot-spine-line", kind="video", job_id=job, **kw
    )
    submitter.jobs.runs.claim(job, "w:1")
    submitter.jobs.runs.finish(submitter.jobs.get(job), made, 1.0, drawn)
    submitter.jobs.runs.fail(failed, "failed")
    with store.transaction() as conn:
        session = conn.execute(
            sa.text(
                "INSERT INTO sessions (created_at, person_id, routine, first, complete, seconds,"
                " summary) VALUES (CURRENT_TIMESTAMP, :p, 'r', true, true, 1.0, :s) RETURNING id"
            ),
            {"p": person.id, "s": json.dumps({"who": name})},
        ).scalar_one()
        conn.execute(
            sa.text("INSERT INTO session_attempts VALUES (:s, :a, 0)"), {"s": session, "a": kept}
        )
    store.close()
    return {
        "person_id": {person.id},
        "attempt_id": {kept, ref, made},
        "job_id": {job, failed},
        "session_id": {session},
        "files": {digest(video), digest(drawn)},
    }


def tables(url: str) -> dict[str, list[dict]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {
                t: [dict(r._mapping) for r in conn.execute(sa.text(f'SELECT * FROM "{t}"'))]
                for t in names
            }
    finally:
        engine.dispose()


def in_database(rows: dict[str, list[dict]]) -> set[str]:
    """The digests of the files the database keeps in chunks (PostgreSQL's way)."""
    files: dict[str, dict[int, bytes]] = {}
    for table in ("job_files", "kept_videos"):
        for row in rows[table]:
            files.setdefault(row["name"], {})[row["part"]] = bytes(row["data"])
    return {hashlib.sha256(b"".join(p[k] for k in sorted(p))).hexdigest() for p in files.values()}


def mentions(rows: dict[str, list[dict]], ids: dict) -> list[str]:
    """Every cell holding the name or e-mail, and every id column holding one of their ids."""
    found = []
    columns = {
        "person_id": "person_id",
        "attempt_id": "attempt_id",
        "job_id": "job_id",
        "session_id": "session_id",
    }
    owner = {
        "people": "person_id",
        "attempts": "attempt_id",
        "review_jobs": "job_id",
        "sessions": "session_id",
    }
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                if NAME.casefold() in text.casefold() or EMAIL in text:
                    found.append(f"{table}.{column}")
                kind = owner.get(table) if column == "id" else columns.get(column)
                if kind and value in ids[kind]:
                    found.append(f"{table}.{column}={value}")
                queued = table == "procrastinate_jobs" and column == "args"
                if queued and value.get("job_id") in ids["job_id"]:
                    found.append(f"{table}.args")
    return found


def test_forgetting_a_person_leaves_nothing_of_them(settings, tmp_path, capsys):
    theirs = fill(settings, tmp_path, NAME, 20)
    others = fill(settings, tmp_path, "Bo", 24)
    url = settings.database_url
    assert mentions(tables(url), theirs)  # the search finds them before
    assert main(["export", "--person", NAME, "-o", str(tmp_path / "z.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "z.zip") as z:
        held = json.loads(z.read("person.json"))
        inside = {hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if "videos/" in n}
    assert held["person"][0]["email"] == EMAIL and "password_hash" not in held["person"][0]
    assert {a["id"] for a in held["attempts"]} == theirs["attempt_id"]
    assert {j["id"] for j in held["review_jobs"]} == theirs["job_id"]
    assert inside == theirs["files"]
    assert main(["forget", "--person", NAME]) == 0
    assert (
        "forgot Zelda Quinn: 3 attempts, 1 guided sessions, 2 review jobs"
        in capsys.readouterr().out
    )
    rows = tables(url)
    assert mentions(rows, theirs) == []
    data = settings.data_dir
    left = {digest(p) for p in data.rglob("*") if p.is_file()} | in_database(rows)
    assert not left & theirs["files"]
    if url.startswith("sqlite"):
        for p in data.glob("trainer.db*"):
            assert NAME.encode() not in p.read_bytes(), p.name  # no deleted page keeps it
    assert digest(tmp_path / "24.mp4") in left  # everyone else keeps their kept video
    assert {r["name"] for r in rows["people"]} == {"Bo"}
    assert {r["id"] for r in rows["attempts"]} == others["attempt_id"]
    assert {r["id"] for r in rows["review_jobs"]} == others["job_id"]
    assert main(["forget", "--person", NAME]) == 2
    assert "no person called 'Zelda Quinn'" in capsys.readouterr().err


def test_a_remote_workers_kept_video_is_in_the_database_for_every_machine(
    postgres, tmp_path, monkeypatch, model_path
):
    """Two machines with their own data folders and one database: the worker keeps the video
    of a job asked to keep it in the database, not on its disk; the other machine shows it,
    exports it and forgets it, leaving no chunk and no file on either."""
    url, worker_dir, app_dir = postgres(), tmp_path / "worker", tmp_path / "app"
    app = {"TRAINER_DATABASE_URL": url, "TRAINER_DATA_DIR": str(app_dir)}
    app["TRAINER_MODEL"] = str(model_path)  # the worker's review reads it from the environment
    worker = Settings.from_env({**app, "TRAINER_DATA_DIR": str(worker_dir)})
    for key, value in app.items():
        monkeypatch.setenv(key, value)
    video = sample("foot-spine-line_partial")
    job_id = Submitter(Settings.from_env(app)).submit(
        video, spec(video, person=NAME, keep_video=True)
    )
    jobs = JobStore.open(worker)
    assert run_job(jobs, job_id, 3) == "done"
    attempt_id = jobs.get(job_id).attempt_id
    jobs.store.close()
    assert [p for p in worker_dir.rglob("*") if p.is_file()] == []
    with Store.open() as store:
        attempt = store.load_attempt(attempt_id)
        assert store.kept_video(attempt) == video.read_bytes()
    assert main(["export", "--person", NAME, "-o", str(tmp_path / "z.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "z.zip") as z:
        assert z.read(f"videos/attempt-{attempt_id}.mp4") == video.read_bytes()
    assert main(["forget", "--person", NAME]) == 0
    rows = tables(url)
    assert (rows["kept_videos"], rows["job_files"], rows["attempts"]) == ([], [], [])
    assert [p for d in (worker_dir, app_dir) for p in d.rglob("*") if p.is_file()] == []
