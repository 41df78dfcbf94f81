"""Job file names are the store's own (issue 19): a job row naming any other file (an
absolute path, `..`, a link out of the folder) is refused on every read, copy, serve and
delete, by the app's side and by a worker, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from job_helpers import handless_video, spec
from trainer.core.base.errors import StoreError
from trainer.core.base.settings import Settings
from trainer.jobs.runner import run_job
from trainer.jobs.submit import Submitter
from trainer.store.db.schema import review_jobs
from trainer.store.db.stored_names import stored_path


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path, model_path) -> Settings:
    env = {"TRAINER_DATA_DIR": str(tmp_path / "data"), "TRAINER_MODEL": str(model_path)}
    if request.param == "postgresql":
        env["TRAINER_DATABASE_URL"] = request.getfixturevalue("postgres")()
    return Settings.from_env(env)


def point_job_at(submitter: Submitter, job_id: int, **values: str) -> None:
    """What anyone holding the database URL (every worker machine) could write."""
    with submitter.jobs.store.transaction() as conn:
        conn.execute(review_jobs.update().where(review_jobs.c.id == job_id).values(**values))


def hostile_names(tmp_path, victim) -> list[str]:
    folder = tmp_path / "data" / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    link = "0" * 32 + ".mp4"
    (folder / link).symlink_to(victim)
    return [str(victim), "../../victim.mp4", f"{'a' * 32}/../../../victim.mp4", link]


def test_a_worker_never_copies_or_deletes_a_file_a_job_row_names(settings, tmp_path):
    victim = handless_video(tmp_path / "victim.mp4")
    before = victim.read_bytes()
    submitter = Submitter(settings)
    for bad in hostile_names(tmp_path, victim):
        video = handless_video(tmp_path / "wall.mp4")
        job_id = submitter.submit(video, spec(video, technique="foot-spine-line", keep_video=True))
        point_job_at(submitter, job_id, video_file=bad)
        assert run_job(submitter.jobs, job_id, 3) == "failed"
        job = submitter.jobs.get(job_id)
        assert "not a file name the store made" in job.error or "leads outside" in job.error
        assert job.attempt_id is None
        assert victim.read_bytes() == before


def test_the_app_never_serves_a_file_a_job_row_names_as_its_output(settings, tmp_path):
    victim = tmp_path / "secret.txt"
    victim.write_text("private")
    submitter = Submitter(settings)
    video = handless_video(tmp_path / "wall.mp4")
    job_id = submitter.submit(video, spec(video, technique="foot-spine-line"))
    for bad in [*hostile_names(tmp_path, victim), str(victim)]:
        point_job_at(submitter, job_id, output_file=bad)
        with pytest.raises(StoreError):
            submitter.jobs.output(submitter.jobs.get(job_id))
    with submitter.jobs.store.connect() as conn:
        kept = conn.execute(sa.select(review_jobs.c.video_file)).scalar_one()
    assert stored_path(tmp_path / "data" / "jobs", kept).parent == (tmp_path / "data" / "jobs")


def test_only_the_stores_own_names_are_accepted(tmp_path):
    ok = ["0123456789abcdef0123456789abcdef.mp4", "0123456789abcdef0123456789abcdef-annotated.mp4"]
    for name in ok:
        assert stored_path(tmp_path, name) == tmp_path.resolve() / name
    for bad in [
        "x.mp4",
        "0123456789ABCDEF0123456789ABCDEF.mp4",
        "/etc/passwd",
        "..",
        "0123456789abcdef0123456789abcdef.exe",
        "0123456789abcdef0123456789abcdef.mp4/..",
    ]:
        with pytest.raises(StoreError):
            stored_path(tmp_path, bad)
