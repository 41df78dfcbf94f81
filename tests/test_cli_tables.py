"""The commands' tables for people: columns lined up, and "-" where a value is missing (never
"None", "nan" or a blank, which would let the next column's word be read as this one's)."""

from __future__ import annotations

from datetime import UTC, datetime

from attempt_data import CALIBRATION
from job_helpers import handless_video
from trainer.cli import main
from trainer.cli.printing import print_table
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import JobSpec


def test_a_table_lines_up_its_columns_and_writes_a_dash_for_what_is_missing(capsys):
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    rows = [("Ann", None, float("nan"), when), ("Bo", 12, "", None)]
    print_table(("person", "n", "note", "when"), rows, right=("n",))
    assert capsys.readouterr().out.splitlines() == [
        "person   n  note  when",
        "Ann      -  -     2026-03-04 05:06",
        "Bo      12  -     -",
    ]


def test_trainer_jobs_writes_a_dash_for_what_a_queued_job_has_not(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    spec = JobSpec("Ana", "foot-spine-line", CALIBRATION, "wall.mp4")
    job = JobStore.open().create(spec, handless_video(tmp_path / "wall.mp4"))  # no worker: queued
    assert main(["jobs"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == [
        "id",
        "state",
        "done",
        "person",
        "video",
        "technique",
        "attempt",
        "error",
    ]
    # Not running: nothing done to show; no attempt and no error yet.
    assert row.split() == [str(job), "queued", "-", "Ana", "wall.mp4", "foot-spine-line", "-", "-"]
