"""`trainer batch`, `trainer jobs` on the default store: local workers the command starts, the
real model on the bundled samples, a broken file failing its own job."""

from __future__ import annotations

import json
import shutil

import pytest

from job_helpers import sample
from trainer.cli import main


@pytest.fixture(scope="module")
def env(tmp_path_factory, model_path):
    folder = tmp_path_factory.mktemp("cli-jobs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINER_DATA_DIR", str(folder / "data"))
        mp.setenv("TRAINER_MODEL", str(model_path))
        yield folder


def test_batch_prints_the_table_and_exits_1_when_a_job_failed(env, capfd):
    videos = env / "class2"
    videos.mkdir()
    shutil.copyfile(sample("neck-back-stroke_correct"), videos / "ana_neck.mp4")
    shutil.copyfile(sample("neck-back-stroke_reversed"), videos / "ben_neck.mp4")
    (videos / "cat_neck.mp4").write_bytes(b"not a video at all " * 500)
    args = ["batch", str(videos), "--technique", "neck-back-stroke", "--person-from-name"]
    assert main([*args, "--workers", "2"]) == 1
    out, err = capfd.readouterr()
    table = out.splitlines()
    assert table[0].split() == ["person", "video", "score", "strokes", "main", "fault"]
    rows = {line.split()[0]: line for line in table[1:]}
    assert sorted(rows) == ["ana", "ben"]
    assert rows["ana"].split()[1:4] == ["ana_neck.mp4", "100", "3"]  # three correct passes
    # Faults in words, and a 100/100 video's main fault is none (not its shortness).
    assert rows["ana"].endswith("No fault: every stroke was good.")
    assert "Stroke from" in rows["ben"] and "reversed" not in rows["ben"]
    failures = [line for line in err.splitlines() if line.startswith("trainer:")]
    assert len(failures) == 1
    assert failures[0].startswith("trainer: cat_neck.mp4: not a video file")

    assert main(["jobs", "--json"]) == 0
    listed = json.loads(capfd.readouterr().out)
    assert {"id", "state", "video", "person", "attempt_id", "error"} <= set(listed[0])
    by_video = {j["video"]: j for j in listed}
    assert by_video["ana_neck.mp4"]["state"] == "done"
    assert by_video["ana_neck.mp4"]["attempt_id"] is not None
    assert by_video["cat_neck.mp4"]["state"] == "failed"
    assert by_video["cat_neck.mp4"]["attempt_id"] is None

    assert main(["jobs", "--state", "failed", "--json"]) == 0
    assert [j["video"] for j in json.loads(capfd.readouterr().out)] == ["cat_neck.mp4"]

    failed = by_video["cat_neck.mp4"]["id"]
    assert main(["jobs", "cancel", str(failed)]) == 2
    assert f"job {failed} is failed: too late to cancel" in capfd.readouterr().err
    assert main(["jobs", "retry", str(failed)]) == 0
    assert capfd.readouterr().out == f"job {failed} (cat_neck.mp4) queued again\n"


def test_batch_of_every_correct_video_exits_0_and_no_wait_returns(env, capfd):
    videos = env / "ok"
    videos.mkdir()
    shutil.copyfile(sample("foot-spine-line_correct"), videos / "dee_foot.mp4")
    args = ["batch", str(videos / "dee_foot.mp4"), "--technique", "foot-spine-line"]
    assert main([*args, "--person", "Dee", "--no-wait"]) == 0
    out = capfd.readouterr().out
    assert out.startswith("1 review jobs queued")
    assert main([*args, "--person", "Dee"]) == 0
    table = capfd.readouterr().out.splitlines()
    assert [line.split()[:2] for line in table[1:]] == [["Dee", "dee_foot.mp4"]]


def test_batch_jobs_carry_the_exposure_setting(env, capfd, tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))  # no other test's workers
    video = str(sample("foot-spine-line_correct"))
    args = ["batch", video, "--technique", "foot-spine-line", "--no-wait", "--workers", "0"]
    assert main([*args, "--person", "on"]) == 0
    assert main([*args, "--person", "flag", "--no-exposure"]) == 0
    monkeypatch.setenv("TRAINER_EXPOSURE", "off")
    assert main([*args, "--person", "env"]) == 0
    capfd.readouterr()
    assert main(["jobs", "--json"]) == 0
    made = {j["person"]: j["exposure"] for j in json.loads(capfd.readouterr().out)}
    assert made == {"on": True, "flag": False, "env": False}


def test_batch_needs_whose_videos_they_are(env, capfd):
    video = str(sample("foot-spine-line_correct"))
    assert main(["batch", video, "--technique", "foot-spine-line"]) == 2
    assert "whose videos? give --person NAME, or --person-from-name" in capfd.readouterr().err
