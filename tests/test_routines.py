"""Routines as data: the built-in ones follow the seeds, bad files are refused by name."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from hostile import run_trainer

from trainer.cli import main
from trainer.core.base.errors import RoutineError
from trainer.core.routine import all_routines, load_routine, parse_routine, routine_names
from trainer.core.technique import technique_names


def test_built_in_routines_load_and_name_known_techniques():
    assert routine_names() == ["foot-spine", "neck-and-back"]
    for routine in all_routines():
        assert routine.path.stem == routine.name
        assert routine.preparation and routine.exercises
        for e in routine.exercises:
            assert e.technique in technique_names()
            assert 1 <= len(e.instructions) <= 2
            assert 0 < e.minutes[0] <= e.minutes[1]


def test_neck_and_back_follows_seed_003():
    routine = load_routine("neck-and-back")
    assert [e.technique for e in routine.exercises] == [
        "neck-back-stroke",
        "neck-front-stroke",
        "neck-circles",
        "spine-pinch",
        "neck-back-stroke",
    ]
    assert all(e.minutes == (2.0, 5.0) for e in routine.exercises)
    assert routine.first_session_max_s == 15 * 60
    assert "carotid" in " ".join(routine.exercises[1].instructions)
    notes = " ".join(routine.preparation).lower()
    assert "oil" in notes and "sits" in notes


def test_foot_spine_follows_seed_000():
    routine = load_routine("foot-spine")
    assert [e.technique for e in routine.exercises] == ["foot-spine-line"] * 2
    assert [e.optional for e in routine.exercises] == [False, True]
    assert "cross" in " ".join(routine.preparation)


def _base() -> dict:
    return tomllib.loads(Path(load_routine("neck-and-back").path).read_text())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["exercises"][1].update(technique="neck-massage"),
            r"field 'exercises\[1\].technique' names unknown technique 'neck-massage'",
        ),
        (
            lambda d: d["exercises"][0].update(minutes=[5, 2]),
            r"field 'exercises\[0\].minutes' must have 0 < low <= high, not \[5, 2\]",
        ),
        (
            lambda d: d["exercises"][2].update(minutes=[-1, 3]),
            r"field 'exercises\[2\].minutes' must have 0 < low",
        ),
        (
            lambda d: d["exercises"][2].update(minutes=[3]),
            r"field 'exercises\[2\].minutes' must be a \[low, high\] pair",
        ),
        (
            lambda d: d["exercises"][0].update(minutes=["2", 5]),
            r"field 'exercises\[0\].minutes' must be a \[low, high\] pair",
        ),
        (
            lambda d: d.update(first_session_max_minutes=8),
            r"field 'first_session_max_minutes' is 8, but the exercises need at least 10 minutes",
        ),
        (
            lambda d: d.update(first_session_max_minutes=0),
            r"field 'first_session_max_minutes' must be greater than 0",
        ),
        (
            lambda d: d.update(first_session_max_minutes=float("inf")),
            r"field 'first_session_max_minutes' must be a finite number",
        ),
        (
            lambda d: d.update(first_session_max_minutes=1e307),
            r"field 'first_session_max_minutes' must be at most 1440 \(a day\)",
        ),
        (
            lambda d: d["exercises"][1].update(optional="yes"),
            r"field 'exercises\[1\].optional' must be true or false",
        ),
        (
            lambda d: d["exercises"][0].update(instructions=["a", "b", "c"]),
            r"field 'exercises\[0\].instructions' must hold at most 2 lines",
        ),
        (lambda d: d["exercises"][0].pop("title"), r"field 'exercises\[0\].title' is missing"),
        (lambda d: d["exercises"][3].update(minuts=[2, 5]), r"'exercises\[3\].minuts' is not a"),
        (lambda d: d.update(exercises=[]), "field 'exercises' must list at least one"),
        (lambda d: d.pop("preparation"), "field 'preparation' is missing"),
        (lambda d: d.update(colour="red"), "field 'colour' is not a known field"),
    ],
)
def test_bad_routines_are_refused_naming_file_and_field(change, message):
    data = _base()
    change(data)
    with pytest.raises(RoutineError, match=message) as err:
        parse_routine(data, "neck-and-back.toml")
    assert str(err.value).startswith("neck-and-back.toml: ")


def test_optional_exercises_do_not_count_toward_the_first_session_cap():
    data = _base()
    data["first_session_max_minutes"] = 9
    for e in data["exercises"][-2:]:
        e["optional"] = True  # 3 required exercises of at least 2 minutes: 6 <= 9
    assert parse_routine(data, "x.toml").first_session_max_s == 9 * 60


def test_unknown_routine_lists_the_known_ones():
    with pytest.raises(RoutineError, match=r"unknown routine 'neck'; known: foot-spine, neck"):
        load_routine("neck")


def test_cli_lists_routines_and_refuses_a_bad_file(tmp_path, capsys):
    assert main(["routines"]) == 0
    out = capsys.readouterr().out
    assert "neck-and-back" in out and "foot-spine" in out
    assert "2. The front of the neck: neck-front-stroke, 2-5 min" in out
    assert "first session at most 15 min" in out
    bad = tmp_path / "mine.toml"
    text = Path(load_routine("foot-spine").path).read_text()
    bad.write_text(
        text.replace('name = "foot-spine"', 'name = "mine"').replace("[2, 5]", "[4, 1]", 1)
    )
    assert main(["routines", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"trainer: {bad}: field 'exercises[0].minutes' must have 0 < low <= high, not [4, 1]"
    )
    broken = tmp_path / "broken.toml"
    broken.write_text("name = \n")
    assert main(["routines", str(broken)]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def _mine(tmp_path: Path, old: str, new: str) -> Path:
    """foot-spine as `mine.toml` with one piece of its text replaced."""
    text = Path(load_routine("foot-spine").path).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace('name = "foot-spine"', 'name = "mine"').replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("minutes", "problem"),
    [
        ("[2, inf]", "must be a finite number"),
        ("[nan, 5]", "must be a finite number"),
        ("[2, -inf]", "must be a finite number"),
        ("[-2, 5]", "must have 0 < low <= high, not [-2, 5]"),
        ("[5, 2]", "must have 0 < low <= high, not [5, 2]"),
        ("[2, 1e307]", "must be at most 1440 minutes (a day), not 1e+307"),
    ],
)
def test_cli_refuses_minutes_that_are_not_a_finite_range_in_one_line(
    tmp_path, capsys, minutes, problem
):
    path = _mine(tmp_path, "minutes = [2, 5]", f"minutes = {minutes}")
    assert main(["routines", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"trainer: {path}: field 'exercises[0].minutes' {problem}\n"


def test_cli_refuses_a_routine_file_that_is_not_utf8_in_one_line(tmp_path, capsys):
    path = _mine(tmp_path, "The first foot", "The first foot")
    text = path.read_bytes()
    at = text.index(b"The first foot")
    path.write_bytes(text[:at] + b"\xff" + text[at:])  # Latin-1 'ÿ', never a UTF-8 byte
    assert main(["routines", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"trainer: {path}: not valid TOML (not text: byte {at})\n"


@pytest.mark.parametrize("kind", ["folder", "huge"])
def test_cli_reads_a_routine_file_with_the_bounds_of_every_input(tmp_path, capsys, kind):
    path = tmp_path / "mine.toml"
    if kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"# " + b"x" * (1 << 20) + b"\n")
    assert main(["routines", str(path)]) == 2
    err = capsys.readouterr().err
    # No setting raises the cap on a hand-written TOML file: none is named.
    expected = {"folder": "is a folder", "huge": "routine file larger than 1 MB\n"}[kind]
    assert err.startswith(f"trainer: {path}: ") and expected in err and err.count("\n") == 1


def test_a_routine_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "mine.toml"
    os.mkfifo(fifo)  # reading it without the bounds would wait for a writer forever
    run = run_trainer("routines", fifo, timeout=60)
    assert run.code == 2 and run.clean(), run
    assert "not a regular file" in run.err
