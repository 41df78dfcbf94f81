"""Bounded uploads (issue 19): Review a class refuses more videos, or more MB in all, than the
settings allow, before any job is made; one person's waiting jobs are capped."""

from __future__ import annotations

import pytest
from test_ui_jobs import class_page, data_dir, upload_class

from job_helpers import handless_video, spec
from trainer.core.base.errors import JobError
from trainer.core.base.settings import Settings
from trainer.jobs.submit import Submitter
from trainer.store.jobs.job_store import JobStore

__all__ = ["data_dir"]  # the page's fixture: a store with Tia's class, Tia logged in


def test_a_class_upload_over_the_count_is_refused(data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINER_MAX_CLASS_VIDEOS", "2")
    video = handless_video(tmp_path / "wall.mp4").read_bytes()
    files = {f"{n}_1.mp4": video for n in ("ana", "ben", "cat")}
    # Refused before the names are asked for: no names toggle to set.
    at = upload_class(class_page(), files, from_names=False)
    errors = [e.value for e in at.error]
    assert any("3 videos at once" in e and "at most 2" in e for e in errors), errors
    assert not at.button or not any(b.label == "Review them" for b in at.button)
    assert JobStore.open(Settings.from_env()).list() == []


def test_a_class_upload_over_the_total_size_is_refused(data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINER_MAX_CLASS_MB", "1")
    big = b"\0" * 600_000
    at = upload_class(class_page(), {"ana_1.mp4": big, "ben_1.mp4": big}, from_names=False)
    errors = [e.value for e in at.error]
    assert any("1 MB in all" in e for e in errors), errors


def test_one_persons_waiting_jobs_are_capped(tmp_path):
    settings = Settings.from_env(
        {"TRAINER_DATA_DIR": str(tmp_path / "data"), "TRAINER_MAX_QUEUED_JOBS": "2"}
    )
    submitter = Submitter(settings)
    video = handless_video(tmp_path / "wall.mp4")
    for _ in range(2):
        submitter.submit(video, spec(video, person="ana", technique="foot-spine-line"))
    with pytest.raises(JobError, match="ana has 2 jobs waiting already"):
        submitter.submit(video, spec(video, person="ana", technique="foot-spine-line"))
    submitter.submit(video, spec(video, person="ben", technique="foot-spine-line"))
    assert len(submitter.jobs.list(person="ana")) == 2
