"""Output paths and names (issue 13): checked before the work, written whole or through, never
a traceback; names are names. Each case failed before the fix."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from hostile import SAMPLE
from test_hostile_input import refused, review_json, write

from trainer.cli import main
from trainer.core.technique import load_technique
from trainer.overlay.plots import save_figure


@pytest.fixture
def reviews(tmp_path, monkeypatch):
    """A data dir with one saved attempt, and its review file."""
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    path = write(tmp_path, "r.json", review_json())
    assert main(["save", path, "--person", "Ann"]) == 0
    return path


def test_a_figure_into_a_folder_or_with_an_unknown_extension_is_refused(reviews, tmp_path, capsys):
    capsys.readouterr()
    refused(capsys, ["compare", reviews, reviews, "--plot", tmp_path], "is a folder")
    refused(capsys, ["compare", reviews, reviews, "--plot", tmp_path / "c.xyz"], "extension")
    refused(capsys, ["history", "--person", "Ann", "--plot", tmp_path / "p.gif"], "extension")


def test_an_export_under_a_file_or_with_too_long_a_name_is_refused(reviews, tmp_path, capsys):
    capsys.readouterr()
    refused(capsys, ["export", "-o", Path(reviews) / "x.csv"], "is not a folder")
    refused(capsys, ["export", "-o", tmp_path / ("x" * 300 + ".csv")], "too long")
    refused(capsys, ["export", "-o", tmp_path / "missing" / "x.csv"], "does not exist")
    assert not (tmp_path / "missing").exists()


def test_track_output_is_checked_before_tracking(tmp_path, capsys):
    refused(capsys, ["track", SAMPLE, "-o", tmp_path], "is a folder")
    refused(capsys, ["track", SAMPLE, "-o", tmp_path / "t.txt"], "extension")


def test_a_symlink_target_is_written_through_not_replaced(reviews, tmp_path, capsys):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["export", "-o", str(link)]) == 0
    assert link.is_symlink() and real.read_text().startswith("id,")


def test_a_fifo_target_is_written_through_not_replaced(reviews, tmp_path, capsys):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["export", "-o", str(fifo)]) == 0
    reader.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(b"id,")


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "figure.png"
    target.write_bytes(b"the old figure")

    class Breaks:
        def savefig(self, where, **_):  # writes half a figure, then the disk fills up
            with open(where, "wb") if isinstance(where, str | Path) else where as f:
                f.write(b"half a")
            raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match="No space left"):
        save_figure(Breaks(), target)
    assert target.read_bytes() == b"the old figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.png"]


def test_names_over_the_system_limit_are_one_line(tmp_path, capsys):
    long = "x" * 300
    refused(capsys, ["track", tmp_path / f"{long}.mp4"], "too long")
    refused(capsys, ["review", tmp_path / f"{long}.json", "--technique", long], "not a name")


def test_technique_names_are_names_never_paths(tmp_path, capsys):
    mine = tmp_path / "my-stroke.toml"
    text = Path(load_technique("neck-back-stroke").path).read_text()
    mine.write_text(text.replace('name = "neck-back-stroke"', 'name = "my-stroke"'))
    builtin = Path(load_technique("neck-back-stroke").path).parent
    sneaky = os.path.relpath(tmp_path / "my-stroke", builtin)
    track = write(tmp_path, "t.json", {k: v for k, v in review_json().items() if k == "track"})
    refused(capsys, ["review", track, "--technique", sneaky], "is not a name")
