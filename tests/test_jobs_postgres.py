"""Review jobs on a real PostgreSQL server through Procrastinate: `trainer worker` processes
on a new, empty database; a batch done exactly once; a worker killed with SIGKILL mid-job; a
job that keeps failing fails cleanly after its tries."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from job_helpers import WAIT_S, job_env, sample, spec, start_worker, stop, wait_for
from trainer.core.base.settings import Settings
from trainer.jobs.submit import Submitter
from trainer.store.db.engine import make_engine
from trainer.store.db.schema import attempts
from trainer.store.jobs.job_store import JobStore
from trainer.store.store import Store

CLASS = {  # person_video.mp4 -> bundled sample
    "ana_1.mp4": "foot-spine-line_correct",
    "ben_1.mp4": "foot-spine-line_reversed",
    "cy_1.mp4": "foot-spine-line_too_fast",
    "dee_1.mp4": "foot-spine-line_partial",
}


@pytest.fixture
def settings(postgres, tmp_path, model_path) -> Settings:
    return Settings.from_env(
        {
            "TRAINER_DATABASE_URL": postgres(),
            "TRAINER_DATA_DIR": str(tmp_path / "data"),
            "TRAINER_MODEL": str(model_path),
            "TRAINER_WORKER_HEARTBEAT_S": "1",  # a silent worker is taken for dead in 3 s
        }
    )


def query(settings: Settings, sql: str) -> list[tuple]:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def wait_for_workers(settings: Settings, n: int) -> None:
    """Until n Procrastinate workers are registered (listening for jobs)."""
    deadline = time.monotonic() + WAIT_S
    while query(settings, "SELECT count(*) FROM procrastinate_workers")[0][0] < n:
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.2)


def job_attempts(settings: Settings) -> list[tuple[int, int]]:
    with Store.open(settings) as store, store.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(sa.select(attempts.c.job_id, attempts.c.id)))


def test_the_store_makes_the_queue_on_a_new_empty_database(postgres):
    url = postgres()
    with Store(url):
        pass
    engine = make_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"review_jobs", "job_files", "procrastinate_jobs", "procrastinate_workers"} <= tables


def test_a_batch_on_two_workers_is_done_exactly_once(settings, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for name, source in CLASS.items():
        shutil.copyfile(sample(source), folder / name)
    Store.open(settings).close()  # the new database's tables, before counting workers in them
    workers = [start_worker(settings, log=tmp_path / f"worker{n}.log") for n in range(2)]
    try:
        wait_for_workers(settings, 2)
        command = ["batch", str(folder), "--technique", "foot-spine-line", "--person-from-name"]
        batch = subprocess.run(
            [sys.executable, "-m", "trainer", *command],
            env=job_env(settings),
            capture_output=True,
            text=True,
            timeout=WAIT_S,
        )
    finally:
        for w in workers:
            stop(w)
    assert batch.returncode == 0, batch.stderr
    table = batch.stdout.splitlines()
    assert table[0].split() == ["person", "video", "score", "strokes", "main", "fault"]
    assert sorted(line.split()[0] for line in table[1:]) == ["ana", "ben", "cy", "dee"]
    reversed_row = next(line for line in table if line.startswith("ben"))
    assert "Stroke from" in reversed_row  # the reversed video's fault, in words
    jobs = JobStore.open(settings).list()
    assert sorted(j.state for j in jobs) == ["done"] * 4
    assert len({j.worker for j in jobs}) == 2  # both workers took jobs
    assert job_attempts(settings) == sorted((j.id, j.attempt_id) for j in jobs)
    assert query(settings, "SELECT count(*) FROM review_jobs WHERE tries <> 1") == [(0,)]


def test_a_worker_killed_mid_job_leaves_the_job_to_another(settings, tmp_path):
    submitter = Submitter(settings)
    video = sample("neck-back-stroke_correct")
    job_id = submitter.submit(video, spec(video))
    first = start_worker(settings, log=tmp_path / "first.log")
    try:
        wait_for(submitter.jobs, job_id, lambda j: j.frames_done > 0, "started")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    killed = submitter.jobs.get(job_id)
    assert killed.state == "running" and killed.worker.endswith(f":{first.pid}")
    second = start_worker(settings, log=tmp_path / "second.log")
    try:
        job = wait_for(submitter.jobs, job_id, lambda j: j.finished, "finished")
    finally:
        stop(second)
    assert (job.state, job.tries) == ("done", 2)
    assert job.worker.endswith(f":{second.pid}")
    assert job_attempts(settings) == [(job_id, job.attempt_id)]


def test_a_job_failing_on_every_try_fails_with_its_line(settings, tmp_path):
    submitter = Submitter(settings)
    video = sample("foot-spine-line_correct")
    job_id = submitter.submit(video, spec(video))
    # A worker whose data directory is a file cannot copy the video out of the database.
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("")
    broken = Settings.from_env(
        {**job_env(settings), "TRAINER_DATA_DIR": str(not_a_folder), "TRAINER_JOB_TRIES": "2"}
    )
    worker = start_worker(broken, log=tmp_path / "worker.log")
    try:
        job = wait_for(submitter.jobs, job_id, lambda j: j.finished, "finished")
    finally:
        stop(worker)
    assert (job.state, job.tries, job.attempt_id) == ("failed", 2, None)
    assert job.error.startswith(f"{video.name}: NotADirectoryError")
    assert job.error.endswith("(after 2 tries)")
