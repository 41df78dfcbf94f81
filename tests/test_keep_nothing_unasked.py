"""Keep nothing unasked (issue 19): an annotated copy of a job whose video was not to be kept,
and the upload of a failed or cancelled job, are removed after TRAINER_KEEP_DAYS by
`trainer purge` and by the workers; what was asked to be kept, and what is recent, stays; a
worker on PostgreSQL keeps no copy of a job's video whatever happens. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from test_hostile_input import track_json

from job_helpers import handless_video, spec
from trainer.cli import main
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.jobs.local import work_here
from trainer.jobs.runner import run_job
from trainer.jobs.submit import Submitter
from trainer.store.db.schema import job_files, now, review_jobs


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path, monkeypatch, model_path) -> Settings:
    env = {
        "TRAINER_DATA_DIR": str(tmp_path / "data"),
        "TRAINER_MODEL": str(model_path),
        "TRAINER_WORKER_IDLE_S": "1",  # a warm worker would wait 5 minutes for work
    }
    if request.param == "postgresql":
        env["TRAINER_DATABASE_URL"] = request.getfixturevalue("postgres")()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings.from_env(env)


def held(submitter: Submitter, name: str | None) -> bool:
    """Whether the store still has the file: on disk (SQLite) or in chunks (PostgreSQL)."""
    if name is None:
        return False
    if not submitter.jobs.files.in_database:
        return (submitter.jobs.files.folder / name).is_file()
    with submitter.jobs.store.connect() as conn:
        found = conn.execute(sa.select(job_files.c.name).where(job_files.c.name == name))
        return found.first() is not None


def make_jobs(submitter: Submitter, tmp_path) -> dict[str, int]:
    """Done (kept or not), failed and cancelled jobs: all but `recent` ended 8 days ago."""
    video = handless_video(tmp_path / "wall.mp4")
    drawn = tmp_path / "drawn.mp4"
    drawn.write_bytes(b"annotated" * 100)
    ids = {}
    for key in ("done", "kept", "recent", "failed", "cancelled"):
        asked = spec(video, technique="foot-spine-line", keep_video=key == "kept")
        job_id = ids[key] = submitter.submit(video, asked)
        submitter.jobs.runs.claim(job_id, "w:1")
        if key in ("done", "kept", "recent"):
            attempt = submitter.jobs.store.save_attempt(
                person="ana",
                technique="foot-spine-line",
                kind="video",
                track=Track.from_dict(track_json()),
                calibration=Calibration.from_dict({"points": [[0.2, 0.6], [0.8, 0.6]]}),
                job_id=job_id,
            )
            submitter.jobs.runs.finish(submitter.jobs.get(job_id), attempt, 1.0, drawn)
        elif key == "failed":
            submitter.jobs.runs.fail(job_id, "broken")
        else:
            submitter.jobs.runs.mark_cancelled(job_id)
    with submitter.jobs.store.transaction() as conn:
        conn.execute(
            review_jobs.update()
            .where(review_jobs.c.id != ids["recent"])
            .values(finished_at=now() - timedelta(days=8))
        )
    return ids


def check_purged(submitter: Submitter, ids: dict[str, int]) -> None:
    job = {k: submitter.jobs.get(i) for k, i in ids.items()}
    assert job["done"].output_file is None
    assert submitter.jobs.output(job["done"]) is None
    assert held(submitter, job["kept"].output_file) and held(submitter, job["recent"].output_file)
    assert not held(submitter, job["failed"].video_file)
    assert not held(submitter, job["cancelled"].video_file)


def test_trainer_purge_removes_what_no_one_asked_to_keep(settings, tmp_path, capsys):
    submitter = Submitter(settings)
    ids = make_jobs(submitter, tmp_path)
    drawn_before = submitter.jobs.get(ids["done"]).output_file
    assert held(submitter, drawn_before)
    assert held(submitter, submitter.jobs.get(ids["failed"]).video_file)
    assert main(["purge"]) == 0
    assert "removed 1 annotated copies and 2 uploads" in capsys.readouterr().out
    check_purged(submitter, ids)
    assert not held(submitter, drawn_before)


def test_a_local_worker_cleans_up_too(tmp_path, model_path):
    settings = Settings.from_env(
        {
            "TRAINER_DATA_DIR": str(tmp_path / "data"),
            "TRAINER_MODEL": str(model_path),
            "TRAINER_WORKER_IDLE_S": "1",  # a warm worker would wait 5 minutes for work
        }
    )
    submitter = Submitter(settings)
    ids = make_jobs(submitter, tmp_path)
    assert work_here(settings, submitter.jobs, burst=True) == 0  # nothing queued: it tidies
    check_purged(submitter, ids)


def test_a_worker_keeps_no_copy_of_a_job_it_read_out_of_the_database(settings, tmp_path):
    submitter = Submitter(settings)
    if submitter.jobs.local:
        pytest.skip("on SQLite the jobs folder is the store itself")
    video = handless_video(tmp_path / "wall.mp4")
    job_id = submitter.submit(video, spec(video, technique="foot-spine-line"))
    assert run_job(submitter.jobs, job_id, 3) == "failed"  # no hand in it
    assert held(submitter, submitter.jobs.get(job_id).video_file)  # kept for a retry
    assert not list(submitter.jobs.files.folder.glob("*"))  # but no local copy
