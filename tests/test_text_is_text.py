"""Text is text (issue 19): names are letters of any alphabet, digits, spaces and ' - .; what
a page shows from a row or a file name is escaped for Markdown, so it never becomes an image,
a link or HTML; a CSV cell never starts a spreadsheet formula."""

from __future__ import annotations

import csv
import dataclasses

import pytest
import sqlalchemy as sa
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest
from test_hostile_input import track_json

from job_helpers import handless_video, spec
from trainer.cli import main
from trainer.core.base.errors import AccountError, JobError, StoreError
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.jobs.submit import Submitter
from trainer.store.accounts.accounts import Accounts
from trainer.store.store import Store
from trainer.ui.common import md

HOSTILE = "![x](http://host/p.png) [Log in again](http://host/phish) <b>x</b> `c` :red[r] $m$"
CALIBRATION = Calibration.from_dict({"points": [[0.22, 0.6], [0.78, 0.58]]})
GOOD_NAMES = ["José Ñúñez", "Zoë O'Brien-Smith Jr.", "李小龍", "हिन्दी नाम", "Ωμέγα 2"]
BAD_NAMES = [HOSTILE, "=HYPERLINK(1)", "a<b", "ana_1", "x\u202ey", "@ann", "--"]


def html_of(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("strikethrough").render(markdown)


def test_escaped_text_renders_as_the_same_characters_and_nothing_else():
    for text in [HOSTILE, "www.host.com/x", "a_b_ *c*", "# title", "1. one", "&amp; &#60;"]:
        rendered = html_of(md(text))
        for tag in ("<a", "<img", "<b>", "<code", "<em", "<h1", "<ol", "<strong"):
            assert tag not in rendered, (text, rendered)
        assert "host" in rendered or "host" not in text


def test_names_are_letters_digits_spaces_and_a_few_marks(tmp_path):
    with Store(f"sqlite:///{tmp_path / 't.db'}") as store:
        accounts = Accounts(store)
        for name in GOOD_NAMES:
            assert accounts.add(name).name == name
        for name in BAD_NAMES:
            with pytest.raises(AccountError, match="letters, digits, spaces and"):
                accounts.add(name)
            with pytest.raises(StoreError, match="letters, digits, spaces"):
                store.add_person(name)
        assert {n for n, _ in store.list_people()} == set(GOOD_NAMES)


def test_class_names_are_text_as_people_names_are(tmp_path):
    with Store(f"sqlite:///{tmp_path / 't.db'}") as store:
        accounts = Accounts(store)
        for name in GOOD_NAMES:
            accounts.add_class(name)
        for name in BAD_NAMES:
            with pytest.raises(AccountError, match="a class's name is letters, digits, spaces"):
                accounts.add_class(name)
        assert {c for c, _ in accounts.list_classes()} == set(GOOD_NAMES)


def test_the_cli_and_jobs_refuse_a_name_that_is_not_text(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    assert main(["people", "--add", HOSTILE]) == 2
    err = capsys.readouterr().err
    assert "letters, digits, spaces" in err and len(err.strip().splitlines()) == 1
    video = handless_video(tmp_path / "wall.mp4")
    with pytest.raises(JobError, match="letters, digits, spaces"):
        Submitter(Settings.from_env()).submit(
            video, spec(video, person="<ana>", technique="foot-spine-line")
        )


def test_csv_cells_never_start_a_formula(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    with Store(url) as store:
        with store.transaction() as conn:  # a name stored before names were checked
            conn.execute(sa.text("INSERT INTO people (name, role) VALUES ('=1+2', 'student')"))
        for person in ("=1+2", "-Ann"):
            store.save_attempt(
                person=person,
                technique="foot-spine-line",
                kind="video",
                track=Track.from_dict(track_json()),
                calibration=CALIBRATION,
            )
    out = tmp_path / "a.csv"
    assert main_with(url, tmp_path, ["export", "-o", str(out)]) == 0
    with out.open(newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert "'=1+2" in cells and "'-Ann" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]


def main_with(url: str, tmp_path, args: list[str]) -> int:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINER_DATABASE_URL", url)
        mp.setenv("TRAINER_DATA_DIR", str(tmp_path))
        return main(args)


def test_the_review_page_shows_a_hostile_file_name_and_error_as_text(tmp_path, monkeypatch, log_in):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    log_in("Tia", "instructor")
    submitter = Submitter(Settings.from_env())
    video = handless_video(tmp_path / "wall.mp4")
    asked = dataclasses.replace(
        spec(video, person="Tia", technique="foot-spine-line"), video_name=f"{HOSTILE}.mp4"
    )
    job_id = submitter.submit(video, asked)
    submitter.jobs.runs.claim(job_id, "w:1")
    submitter.jobs.runs.fail(job_id, f"{HOSTILE}.mp4: broken")
    at = AppTest.from_string("from trainer.ui import review\nreview.page()", default_timeout=60)
    at.query_params["job"] = str(job_id)
    at.run()
    shown = [
        e.value
        for kind in (at.caption, at.error, at.markdown, at.success, at.info, at.warning)
        for e in kind
        if "host" in str(e.value)
    ]
    assert len(shown) >= 2, (at.main, at.exception)
    for text in shown:
        rendered = html_of(text)
        assert "<a" not in rendered and "<img" not in rendered and "<b>" not in rendered, text
