"""Files for the owner only (issue 19): whatever the umask, every folder the store, the kept
videos, the jobs and the worker slots create under the data directory is 0700 and every file
0600, on SQLite and (for the copies a worker makes out of the database) PostgreSQL."""

from __future__ import annotations

import os
import stat
from types import SimpleNamespace

import pytest
from test_hostile_input import track_json

from job_helpers import handless_video, spec
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.jobs import local
from trainer.jobs.local import start_workers, take_slot
from trainer.jobs.submit import Submitter

CALIBRATION = Calibration.from_dict({"points": [[0.22, 0.6], [0.78, 0.58]]})


@pytest.fixture
def open_umask():
    """The loosest umask: nothing but the code's own modes keeps others out."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path) -> Settings:
    env = {
        "TRAINER_DATA_DIR": str(tmp_path / "home" / "data"),
        "TRAINER_JOB_WORKERS": "1",
        "TRAINER_WORKER_IDLE_S": "1",  # the workers it starts leave soon after
    }
    if request.param == "postgresql":
        env["TRAINER_DATABASE_URL"] = request.getfixturevalue("postgres")()
    return Settings.from_env(env)


def modes(root) -> dict[str, int]:
    found = {str(root): stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_everything_made_under_the_data_folder_is_the_owners_only(
    settings, tmp_path, open_umask, monkeypatch
):
    submitter = Submitter(settings)
    store = submitter.jobs.store
    video = handless_video(tmp_path / "wall.mp4")
    store.save_attempt(
        person="Ann",
        technique="foot-spine-line",
        kind="video",
        track=Track.from_dict(track_json()),
        calibration=CALIBRATION,
        video=video,
        keep_video=True,
    )
    job_id = submitter.submit(video, spec(video, technique="foot-spine-line"))
    job = submitter.jobs.get(job_id)
    submitter.jobs.runs.claim(job_id, "w:1")
    assert submitter.jobs.video(job) is not None  # a worker's copy (out of PostgreSQL)
    submitter.jobs.runs.finish(
        job,
        store.save_attempt(
            person="Ann",
            technique="foot-spine-line",
            kind="video",
            track=Track.from_dict(track_json()),
            calibration=CALIBRATION,
            job_id=job_id,
        ),
        1.0,
        video,
    )
    slot = take_slot(settings)
    no_worker = SimpleNamespace(pid=os.getpid())  # no real worker: this process stands for it
    monkeypatch.setattr(local.subprocess, "Popen", lambda *a, **kw: no_worker)
    start_workers(settings, 2)
    slot.close()
    found = modes(tmp_path / "home")
    made = {"data", "data/jobs", "data/workers/slot-0.lock"}
    made |= {"data/workers/start.lock", "data/workers/worker.log"}
    assert made <= set(found), found
    if settings.database_url.startswith("sqlite"):  # PostgreSQL keeps the videos itself
        assert {"data/trainer.db", "data/trainer.db-wal", "data/videos"} <= set(found), found
    for path, mode in found.items():
        is_dir = (tmp_path / "home" / path).is_dir() if path != str(tmp_path / "home") else True
        assert mode == (0o700 if is_dir else 0o600), (path, oct(mode))
    store.close()
