"""Ids are never given twice (issue 19): a forgotten attempt's id is not the next one's, a
job's link to a forgotten attempt is cleared, and the migration that makes it so keeps every
row and link of an existing database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_hostile_input import track_json

from job_helpers import handless_video, spec
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.jobs.submit import Submitter
from trainer.store.db.engine import make_engine
from trainer.store.db.migrations import LATEST_VERSION, migrate
from trainer.store.store import Store

CALIBRATION = Calibration.from_dict({"points": [[0.22, 0.6], [0.78, 0.58]]})


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path) -> Settings:
    env = {"TRAINER_DATA_DIR": str(tmp_path / "data")}
    if request.param == "postgresql":
        env["TRAINER_DATABASE_URL"] = request.getfixturevalue("postgres")()
    return Settings.from_env(env)


def save(store: Store, person: str = "Ann", job_id: int | None = None) -> int:
    return store.save_attempt(
        person=person,
        technique="foot-spine-line",
        kind="video",
        track=Track.from_dict(track_json()),
        calibration=CALIBRATION,
        job_id=job_id,
    )


def test_a_forgotten_attempts_id_is_never_given_again(settings):
    with Store.open(settings) as store:
        save(store)
        last = save(store)
        store.delete_attempt(last)
        assert save(store, "Bo") > last


def test_forgetting_an_attempt_unlinks_its_job(settings, tmp_path):
    submitter = Submitter(settings)
    video = handless_video(tmp_path / "wall.mp4")
    job_id = submitter.submit(video, spec(video, technique="foot-spine-line"))
    store = submitter.jobs.store
    attempt = save(store, job_id=job_id)
    with store.transaction() as conn:
        conn.execute(sa.text("UPDATE review_jobs SET attempt_id = :a"), {"a": attempt})
    store.delete_attempt(attempt)
    assert submitter.jobs.get(job_id).attempt_id is None
    assert save(store) != attempt


def test_the_migration_keeps_every_row_and_link_of_an_older_sqlite_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, 10)  # before migration 11
    rows = [
        "INSERT INTO people (id, name, role, disabled) VALUES (1, 'Ann', 'student', 0)",
        "INSERT INTO classes (id, name) VALUES (1, 'Mon')",
        "INSERT INTO memberships (class_id, person_id) VALUES (1, 1)",
        "INSERT INTO techniques (id, name) VALUES (1, 'foot-spine-line')",
        "INSERT INTO attempts (id, created_at, person_id, technique_id, kind, calibration, track)"
        " VALUES (7, '2026-01-01', 1, 1, 'video', '{}', x'00')",
        "INSERT INTO sessions (id, created_at, person_id, routine, first, complete, seconds,"
        " summary) VALUES (3, '2026-01-01', 1, 'r', 1, 1, 1.0, '{}')",
        "INSERT INTO session_attempts (session_id, attempt_id, exercise) VALUES (3, 7, 0)",
    ]
    with engine.begin() as conn:
        for row in rows:
            conn.exec_driver_sql(row)
    assert migrate(engine) == LATEST_VERSION
    with engine.begin() as conn:
        count = {
            t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
            for t in ("people", "memberships", "attempts", "sessions", "session_attempts")
        }
        assert count == dict.fromkeys(count, 1)
        conn.exec_driver_sql("DELETE FROM session_attempts")
        conn.exec_driver_sql("DELETE FROM attempts")
        conn.exec_driver_sql(
            "INSERT INTO attempts (created_at, person_id, technique_id, kind, calibration, track)"
            " VALUES ('2026-01-02', 1, 1, 'video', '{}', x'00')"
        )
        assert conn.exec_driver_sql("SELECT id FROM attempts").scalar() == 8
    engine.dispose()
