"""`trainer save / compare / history / export` end to end on a real SQLite store."""

from __future__ import annotations

import csv
import json

import pytest
from hostile import tiny_video

from attempt_data import review_file, session
from trainer.cli import main


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A data dir in tmp and three review files: a demonstration, a good and a shifted pass."""
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    out = {}
    for name, kw in (("demo", {"seed": 1}), ("good", {"seed": 2}), ("off", {"offset": 0.2})):
        track, review = session(**kw)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({**review.to_dict(), "track": track.to_dict()}))
        out[name] = path
    return out


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_save_compare_history_export(files, tmp_path, capsys):
    code, out, _ = run(capsys, "save", files["demo"], "--person", "Dee", "--kind", "reference")
    assert (code, out) == (0, "saved attempt 1: Dee, foot-spine-line's reference\n")
    video = tiny_video(tmp_path / "clip.mp4")
    run(capsys, "save", files["good"], "--person", "Ann", "--video", video)
    code, out, _ = run(
        capsys, "save", files["off"], "--person", "Bo", "--video", video, "--keep-video"
    )
    assert out == "saved attempt 3: Bo, practice; video kept\n"
    assert len(list((tmp_path / "data" / "videos").iterdir())) == 1

    code, out, _ = run(capsys, "compare", "3", "--plot", tmp_path / "c.png")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("attempt 3 against the foot-spine-line reference: 5 strokes")
    assert len(lines) == 1 + 1 + 4 + 4 + 1  # header, columns, 4 zones, 4 findings, figure
    assert all("path lengths to the right" in line for line in lines[6:10])
    assert (tmp_path / "c.png").stat().st_size > 10_000
    code, out, _ = run(capsys, "compare", "2", "1", "--json")
    d = json.loads(out)
    assert (d["student"], d["against"], d["n_strokes"]) == ("attempt 2", "attempt 1", 5)
    assert all(abs(z["offset"]) < 0.01 for z in d["zones"])

    code, out, _ = run(capsys, "history", "--person", "Ann", "--plot", tmp_path / "p.png")
    assert out.splitlines()[1].split()[0] == "2" and "figure written" in out
    code, out, _ = run(capsys, "history", "--technique", "foot-spine-line", "--json")
    assert [r["person"] for r in json.loads(out)] == ["Ann", "Bo"]
    code, out, _ = run(capsys, "history")
    assert len(out.splitlines()) == 4

    code, out, _ = run(capsys, "export", "--technique", "foot-spine-line", "-o", tmp_path / "a.csv")
    assert out == f"3 attempts written to {tmp_path / 'a.csv'}\n"
    with (tmp_path / "a.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [(r["person"], r["kind"], r["video_kept"]) for r in rows] == [
        ("Dee", "reference", "False"),
        ("Ann", "practice", "False"),
        ("Bo", "practice", "True"),
    ]
    good = json.loads(files["good"].read_text())  # Ann's attempt, as its review file has it
    assert float(rows[1]["score"]) == good["score"] and rows[1]["n_strokes"] == "5"

    code, out, _ = run(capsys, "forget", "3", "1")
    assert out == "forgot attempt 3\nforgot attempt 1\n"
    assert list((tmp_path / "data" / "videos").iterdir()) == []
    assert len(run(capsys, "history")[1].splitlines()) == 2
    assert "has no reference yet" in run(capsys, "compare", "2")[2]


def test_review_json_can_be_saved_and_compared(files, tmp_path, capsys):
    """trainer review --json -> trainer save -> trainer compare, with the real scoring."""
    reviews = {}
    for name, kw in (("demo", {"seed": 4}), ("slow", {"duration": 5.5, "seed": 5})):
        track, _ = session(**kw)
        track_file = tmp_path / f"{name}_track.json"
        track_file.write_text(json.dumps({"track": track.to_dict()}))
        code, out, _ = run(capsys, "review", track_file, "--technique", "foot-spine-line", "--json")
        reviews[name] = tmp_path / f"{name}_review.json"
        reviews[name].write_text(out)
        assert code == 0 and "track" in json.loads(out)
    run(capsys, "save", reviews["demo"], "--person", "Dee", "--kind", "reference")
    code, out, _ = run(capsys, "save", reviews["slow"], "--person", "Ann")
    assert out == "saved attempt 2: Ann, practice\n"
    assert run(capsys, "history", "--json")[1].count('"score": ') == 2
    code, out, _ = run(capsys, "compare", "2", "--json")
    d = json.loads(out)
    assert [z["name"] for z in d["zones"]] == ["sacrum", "lumbar", "thoracic", "cervical"]
    assert d["n_strokes"] == 5
    assert all(z["speed_ratio"] < 0.7 and z["lag_s"] > 0 for z in d["zones"])


def test_people_and_roles(files, capsys):
    assert run(capsys, "people", "--add", "Dee", "--role", "instructor")[1] == "Dee: instructor\n"
    run(capsys, "save", files["good"], "--person", "Ann")
    code, _, err = run(capsys, "save", files["demo"], "--person", "Ann", "--kind", "reference")
    assert code == 2 and "Ann is not an instructor" in err
    run(capsys, "people", "--add", "Ann", "--role", "instructor")
    assert run(capsys, "save", files["demo"], "--person", "Ann", "--kind", "reference")[0] == 0
    assert run(capsys, "people")[1].split() == ["Ann", "instructor", "Dee", "instructor"]


def test_compare_two_files_needs_no_store(files, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINER_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    code, out, err = run(capsys, "compare", files["off"], files["good"])
    assert (code, err) == (0, "")
    assert out.startswith("off.json against good.json: 5 strokes aligned")


def test_errors_are_one_line(files, tmp_path, capsys):
    for argv, message in [
        (("compare", "42"), "no attempt with id 42"),
        (("forget", "42"), "no attempt with id 42"),
        (("compare", files["good"]), "foot-spine-line has no reference yet"),
        (("history", "--plot", tmp_path / "x.png"), "--plot needs --person"),
        (("history", "--person", "Nobody", "--plot", tmp_path / "x.png"), "no person"),
        (("save", tmp_path / "none.json", "--person", "A"), "cannot read"),
        (("save", files["good"], "--person", "A", "--keep-video"), "--keep-video needs --video"),
    ]:
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert err.startswith("trainer: ") and message in err and err.count("\n") == 1


def test_a_refused_reference_leaves_nothing_behind(files, tmp_path, capsys):
    """The reversed sample's passes all run backwards: no reference can be made from them."""
    reversed_review = review_file("foot-spine-line_reversed", tmp_path)
    code, out, err = run(capsys, "save", reversed_review, "--person", "Dee", "--kind", "reference")
    assert (code, out) == (2, "")
    assert err == "trainer: no forward stroke to make a foot-spine-line reference from\n"
    assert run(capsys, "history", "--json")[1] == "[]\n"
    assert run(capsys, "people")[1] == ""


def test_a_review_the_review_cannot_read_is_refused_at_save(files, tmp_path, capsys):
    data = json.loads(review_file("foot-spine-line_correct", tmp_path).read_text())
    del data["parts"]
    broken = tmp_path / "no_parts.json"
    broken.write_text(json.dumps(data))
    code, out, err = run(capsys, "save", broken, "--person", "Ann")
    assert (code, out) == (2, "")
    assert err == f'trainer: {broken}: not a usable review: missing field "parts"\n'
    assert run(capsys, "history", "--json")[1] == "[]\n"
