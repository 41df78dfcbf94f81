"""Review jobs on the default store (an SQLite file): stored with their inputs, run by local
worker processes with the real model on the bundled samples, each result saved once; bad
input fails its own job; cancel, retry, a worker killed mid-job."""

from __future__ import annotations

import json
import signal
import time

import pytest
import sqlalchemy as sa

from job_helpers import WAIT_S, handless_video, sample, spec, start_worker, stop, wait_for
from trainer.analysis import drawn
from trainer.analysis.video import analyse_video
from trainer.cli import main
from trainer.core.base.errors import JobError, TrainerError
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.jobs.local import live_workers, start_workers, work_here
from trainer.jobs.runner import run_job, save_result
from trainer.jobs.submit import Submitter, person_from_name
from trainer.store.db.schema import attempts, review_jobs

GOOD = "foot-spine-line_correct"


def make_settings(folder, model_path, **env: str) -> Settings:
    # Workers leave 1 s after the queue empties: the tests wait for them.
    return Settings.from_env(
        {
            "TRAINER_DATA_DIR": str(folder),
            "TRAINER_MODEL": str(model_path),
            "TRAINER_WORKER_IDLE_S": "1",
            **env,
        }
    )


@pytest.fixture
def settings(tmp_path, model_path) -> Settings:
    return make_settings(tmp_path / "data", model_path)


def attempt_rows(submitter: Submitter) -> list[tuple[int, int | None]]:
    with submitter.jobs.store.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(attempts.c.id, attempts.c.job_id))]


@pytest.fixture(scope="module")
def ran(tmp_path_factory, model_path):
    """A good sample, a broken file and a video without a hand, run by one local worker."""
    folder = tmp_path_factory.mktemp("ran")
    settings = make_settings(folder / "data", model_path)
    submitter = Submitter(settings)
    broken = folder / "broken.mp4"
    broken.write_bytes(b"not a video at all " * 500)
    videos = {
        "good": sample(GOOD),
        "broken": broken,
        "handless": handless_video(folder / "wall.mp4"),
    }
    ids = {
        key: submitter.submit(v, spec(v, technique="foot-spine-line")) for key, v in videos.items()
    }
    assert work_here(settings, submitter.jobs, burst=True) == 3
    return submitter, videos, {key: submitter.jobs.get(i) for key, i in ids.items()}


def stored_review(submitter: Submitter, attempt_id: int) -> dict:
    """The review JSON as the store keeps it (as `trainer review --json` prints it)."""
    with submitter.jobs.store.connect() as conn:
        query = sa.select(attempts.c.review).where(attempts.c.id == attempt_id)
        return conn.execute(query).scalar_one()


def test_a_job_is_stored_with_its_inputs_under_a_generated_name(settings):
    video = sample(GOOD)
    submitter = Submitter(settings)
    asked = spec(video, person=" Ana ", keep_video=True, batch="class-1")
    job = submitter.jobs.get(submitter.submit(video, asked))
    assert (job.state, job.tries, job.attempt_id, job.error) == ("queued", 0, None, None)
    assert (job.person, job.technique, job.kind) == ("Ana", "foot-spine-line", "video")
    assert job.calibration == json.loads(video.with_suffix(".json").read_text())["calibration"]
    assert (job.video_name, job.keep_video, job.batch) == (video.name, True, "class-1")
    kept = settings.data_dir / "jobs" / job.video_file
    assert kept.read_bytes() == video.read_bytes()
    assert video.stem not in job.video_file and kept.suffix == ".mp4"


def test_a_job_is_taken_by_one_worker_only(settings):
    submitter = Submitter(settings)
    job_id = submitter.submit(sample(GOOD), spec(sample(GOOD)))
    first = submitter.jobs.runs.claim(job_id, "host:1")
    assert first is not None and (first.state, first.tries, first.worker) == (
        "running",
        1,
        "host:1",
    )
    assert submitter.jobs.runs.claim(job_id, "host:2") is None


def test_an_upload_is_refused_when_the_disk_would_be_too_full(tmp_path, model_path):
    settings = make_settings(tmp_path / "data", model_path, TRAINER_DISK_MARGIN_MB=str(10**12))
    submitter = Submitter(settings)
    with pytest.raises(JobError, match=r"foot-spine-line_correct\.mp4 not accepted: the disk"):
        submitter.submit(sample(GOOD), spec(sample(GOOD)))
    assert submitter.jobs.list() == []
    assert not any((settings.data_dir / "jobs").glob("*"))


def test_the_good_video_is_done_with_its_attempt(ran):
    submitter, _, jobs = ran
    good = jobs["good"]
    assert (good.state, good.tries, good.error) == ("done", 1, None)
    assert good.frames_done == good.frames_total == 392  # every frame of the sample
    assert (good.attempt_id, good.id) in attempt_rows(submitter)
    attempt = submitter.jobs.store.load_attempt(good.attempt_id)
    assert (attempt.person, attempt.kind, attempt.technique) == ("ana", "video", "foot-spine-line")
    assert len(attempt.review.strokes) == 3  # the sample's ground truth: three passes
    # Done: the uploaded copy is no longer kept.
    assert not (submitter.settings.data_dir / "jobs" / good.video_file).exists()


def test_bad_videos_fail_their_own_job_with_one_line_naming_the_file(ran):
    _, _, jobs = ran
    broken, handless = jobs["broken"], jobs["handless"]
    assert broken.state == handless.state == "failed"
    assert broken.error.startswith("broken.mp4: not a video file")
    assert handless.error.startswith("wall.mp4: no hand found")
    assert "\n" not in broken.error + handless.error
    assert broken.attempt_id is None and handless.attempt_id is None


def test_a_job_that_runs_again_saves_nothing_more(ran):
    submitter, videos, jobs = ran
    good = jobs["good"]
    before = attempt_rows(submitter)
    # As if its worker had died after saving, before marking the job done.
    with submitter.jobs.store.transaction() as conn:
        conn.execute(review_jobs.update().where(review_jobs.c.id == good.id).values(state="queued"))
    assert run_job(submitter.jobs, good.id, 3) == "done"
    assert submitter.jobs.get(good.id).attempt_id == good.attempt_id
    # Two runs finishing at once: the second save is refused by the unique job id.
    technique = load_technique("foot-spine-line")
    calibration = Calibration.from_dict(good.calibration)
    analysis = analyse_video(videos["good"], technique, calibration)
    assert save_result(submitter.jobs, good, analysis, videos["good"]) == good.attempt_id
    assert attempt_rows(submitter) == before


def test_the_same_review_through_a_job_as_through_trainer_review(ran, tmp_path, capsys):
    submitter, videos, jobs = ran
    calibration = tmp_path / "path.json"
    calibration.write_text(json.dumps(jobs["good"].calibration))
    args = ["review", str(videos["good"]), "--technique", "foot-spine-line"]
    assert main([*args, "--calibration", str(calibration), "--json"]) == 0
    by_command = json.loads(capsys.readouterr().out)
    by_command.pop("track")
    assert by_command["path_motion"] is not None  # both followed the body part, as by default
    assert stored_review(submitter, jobs["good"].attempt_id) == by_command


def test_a_fixed_path_job_reviews_as_trainer_review_fixed_path(settings, tmp_path, capsys):
    """The page's "follows the body" choice is the job's: unticked, as `--fixed-path`."""
    video = sample("foot-spine-line_moving")  # the foot moves: following changes the review
    submitter = Submitter(settings)
    job_id = submitter.submit(video, spec(video, follow=False))
    assert work_here(settings, submitter.jobs, burst=True) == 1
    job = submitter.jobs.get(job_id)
    assert (job.state, job.follow) == ("done", False)
    calibration = tmp_path / "path.json"
    calibration.write_text(json.dumps(job.calibration))
    args = ["review", str(video), "--technique", "foot-spine-line", "--fixed-path", "--json"]
    assert main([*args, "--calibration", str(calibration)]) == 0
    by_command = json.loads(capsys.readouterr().out)
    by_command.pop("track")
    by_job = stored_review(submitter, job.attempt_id)
    assert by_job["path_motion"] is None  # the path stayed where it was marked
    assert by_job == by_command


def test_a_job_runs_with_the_exposure_it_was_made_with(settings, monkeypatch):
    """TRAINER_EXPOSURE=off where a job is made reaches the review, whichever worker runs it."""
    asked = []

    def analyse_video(*args, **kwargs):
        asked.append(kwargs["exposure"])
        raise TrainerError("seen")  # the review itself is not what is tested here

    monkeypatch.setattr(drawn, "analyse_video", analyse_video)
    submitter = Submitter(settings)
    off = submitter.submit(sample(GOOD), spec(sample(GOOD), exposure=False))
    on = submitter.submit(sample(GOOD), spec(sample(GOOD)))
    assert [submitter.jobs.get(i).exposure for i in (off, on)] == [False, True]
    assert [run_job(submitter.jobs, i, 3) for i in (off, on)] == ["failed", "failed"]
    assert asked == [False, True]


def test_a_job_whose_video_is_gone_fails_clearly(settings):
    submitter = Submitter(settings)
    job_id = submitter.submit(sample(GOOD), spec(sample(GOOD)))
    (settings.data_dir / "jobs" / submitter.jobs.get(job_id).video_file).unlink()
    assert run_job(submitter.jobs, job_id, 3) == "failed"
    job = submitter.jobs.get(job_id)
    assert job.error.startswith(f"{GOOD}.mp4: the video of job {job_id} is gone")
    with pytest.raises(JobError, match="cannot run again: its video is gone"):
        submitter.retry(job_id)


def test_cancel_and_retry_follow_the_state(ran, settings):
    submitter, _, jobs = ran
    with pytest.raises(JobError, match=f"job {jobs['good'].id} is done: too late to cancel"):
        submitter.jobs.cancel(jobs["good"].id)
    with pytest.raises(JobError, match="only a failed or cancelled job is retried"):
        submitter.retry(jobs["good"].id)
    again = submitter.retry(jobs["broken"].id)
    assert (again.state, again.tries, again.error) == ("queued", 0, None)
    assert submitter.jobs.cancel(again.id).state == "cancelled"


def test_cancelling_a_running_job_stops_it_and_saves_nothing(settings, tmp_path):
    submitter = Submitter(settings)
    job_id = submitter.submit(sample(GOOD), spec(sample(GOOD)))
    worker = start_worker(settings, "--burst", log=tmp_path / "worker.log")
    try:
        wait_for(submitter.jobs, job_id, lambda j: j.frames_done > 0, "started")
        assert submitter.jobs.cancel(job_id).cancel_requested
        job = wait_for(submitter.jobs, job_id, lambda j: j.finished, "ended")
    finally:
        stop(worker)
    assert job.state == "cancelled"
    assert job.frames_done < job.frames_total  # stopped in the middle of the video
    assert attempt_rows(submitter) == []


def test_a_worker_killed_mid_job_leaves_the_job_to_another(settings, tmp_path):
    submitter = Submitter(settings)
    job_id = submitter.submit(sample(GOOD), spec(sample(GOOD)))
    worker = start_worker(settings, "--burst", log=tmp_path / "worker.log")
    try:
        wait_for(submitter.jobs, job_id, lambda j: j.frames_done > 0, "started")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert submitter.jobs.get(job_id).state == "running"  # as the dead worker left it
    assert work_here(settings, submitter.jobs, burst=True) == 1
    job = submitter.jobs.get(job_id)
    assert (job.state, job.tries) == ("done", 2)
    assert attempt_rows(submitter) == [(job.attempt_id, job_id)]


def test_a_stopped_worker_puts_its_job_back_in_the_queue(settings, tmp_path):
    submitter = Submitter(settings)
    job_id = submitter.submit(sample(GOOD), spec(sample(GOOD)))
    worker = start_worker(settings, log=tmp_path / "worker.log")
    try:
        wait_for(submitter.jobs, job_id, lambda j: j.frames_done > 0, "started")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(WAIT_S) == 0
    finally:
        stop(worker)
    job = submitter.jobs.get(job_id)
    assert (job.state, job.tries, job.worker) == ("queued", 0, None)  # that run is not a try
    assert work_here(settings, submitter.jobs, burst=True) == 1
    assert submitter.jobs.get(job_id).state == "done"


def test_an_idle_worker_stays_warm_and_starts_the_next_job_at_once(tmp_path, model_path):
    settings = make_settings(tmp_path / "data", model_path, TRAINER_WORKER_IDLE_S="60")
    worker = start_worker(settings, "--burst", log=tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + WAIT_S
        while live_workers(settings) == 0:  # the slot is taken once the libraries are loaded
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(4.0)  # idle for longer than a worker used to wait (3 s)
        assert worker.poll() is None, "the idle worker left"
        submitter = Submitter(settings)
        queued = time.monotonic()
        job_id = submitter.submit(sample(GOOD), spec(sample(GOOD)))
        wait_for(submitter.jobs, job_id, lambda j: j.state != "queued", "started")
        assert time.monotonic() - queued < 1.0
    finally:
        stop(worker)


def test_the_person_comes_from_the_file_name():
    assert person_from_name("/class/ana-maria_neck_2.mp4") == "ana-maria"
    assert person_from_name("ben.mov") == "ben"
    with pytest.raises(JobError, match="no person's name before the first '_'"):
        person_from_name("_neck.mp4")


def test_asking_again_while_workers_start_spawns_no_more(settings):
    """A page asks for workers on every rerun (once a second while a job waits), and a new
    worker takes seconds to load before it holds its slot: asking again meanwhile must not
    spawn more (52 workers were spawned and left at once in one page test before)."""
    started = [start_workers(settings) for _ in range(10)]
    assert sum(started) == settings.job_workers == started[0]
    _until(lambda: live_workers(settings) == settings.job_workers)
    assert start_workers(settings) == 0
    _until(lambda: live_workers(settings) == 0)  # idle, they leave


def _until(ready) -> None:
    deadline = time.monotonic() + WAIT_S
    while not ready():
        assert time.monotonic() < deadline
        time.sleep(0.1)
