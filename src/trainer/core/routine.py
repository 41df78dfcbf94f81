"""Routines as data: an ordered list of exercises in one TOML file each, validated on load.

A routine is a whole session as the seeds prescribe it: which techniques in which order, how
many minutes each, what to do, and how to prepare (oil, posture).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from trainer.core.base.errors import RoutineError
from trainer.core.base.fields import FieldReader
from trainer.core.base.inputfile import read_toml
from trainer.core.technique import Timing, technique_names

MAX_INSTRUCTION_LINES = 2
FIRST_SESSION_MAX_MINUTES = Timing().first_session_max_s / 60  # seed 003: 15 minutes
# No step and no session lasts a day; the bound also keeps seconds finite (1e307 minutes is not).
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class Exercise:
    """One step of a routine: a technique for `minutes` (low, high), with its instructions.

    optional: the routine is complete without it (seed 000: one foot, or both).
    """

    technique: str
    title: str
    minutes: tuple[float, float]
    instructions: tuple[str, ...]
    optional: bool = False

    @property
    def seconds(self) -> tuple[float, float]:
        return self.minutes[0] * 60, self.minutes[1] * 60


@dataclass(frozen=True)
class Routine:
    """A session: exercises in order, preparation notes, and the cap on a first session."""

    name: str
    title: str
    source: str
    description: str
    preparation: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    first_session_max_s: float = FIRST_SESSION_MAX_MINUTES * 60
    path: Path | None = None


class _Reader(FieldReader):
    """A routine file's fields; also reads an exercise's minutes and its instruction lines."""

    error = RoutineError

    def convert(self, key: str, value: Any, kind: Any) -> Any:
        if kind == "minutes":
            return self._minutes(key, value)
        if kind == "instructions":
            lines = self.convert(key, value, "strings")
            if len(lines) > MAX_INSTRUCTION_LINES:
                raise self.fail(key, f"must hold at most {MAX_INSTRUCTION_LINES} lines")
            return lines
        return super().convert(key, value, kind)

    def _minutes(self, key: str, value: Any) -> tuple[float, float]:
        pair = isinstance(value, list) and len(value) == 2
        if not pair or any(type(v) not in (int, float) for v in value):
            raise self.fail(key, "must be a [low, high] pair of minutes")
        lo, hi = self.convert(key, value, "floats")  # refuses inf and nan
        if not 0 < lo <= hi:
            raise self.fail(key, f"must have 0 < low <= high, not [{lo:g}, {hi:g}]")
        if hi > MAX_MINUTES:
            raise self.fail(key, f"must be at most {MAX_MINUTES} minutes (a day), not {hi:g}")
        return lo, hi


def _exercise(r: _Reader, known: list[str]) -> Exercise:
    technique = r.get("technique", str)
    if technique not in known:
        raise r.fail(
            "technique", f"names unknown technique {technique!r}; known: {', '.join(known)}"
        )
    exercise = Exercise(
        technique=technique,
        title=r.get("title", str),
        minutes=r.get("minutes", "minutes"),
        instructions=r.get("instructions", "instructions"),
        optional=r.get("optional", bool, False),
    )
    r.reject_unknown({"technique", "title", "minutes", "instructions", "optional"})
    return exercise


def parse_routine(data: dict[str, Any], source: str) -> Routine:
    """A Routine from a parsed TOML table; RoutineError names `source` and the field."""
    r = _Reader(source, data)
    raw = data.get("exercises")
    if not isinstance(raw, list) or not raw or not all(isinstance(e, dict) for e in raw):
        raise r.fail("exercises", "must list at least one [[exercises]] table")
    known = technique_names()
    exercises = tuple(
        _exercise(_Reader(source, item, f"exercises[{n}]."), known) for n, item in enumerate(raw)
    )
    cap_minutes = r.get("first_session_max_minutes", float, FIRST_SESSION_MAX_MINUTES)
    if cap_minutes <= 0:
        raise r.fail("first_session_max_minutes", "must be greater than 0")
    if cap_minutes > MAX_MINUTES:
        raise r.fail("first_session_max_minutes", f"must be at most {MAX_MINUTES} (a day)")
    least = sum(e.minutes[0] for e in exercises if not e.optional)
    if least > cap_minutes:
        raise r.fail(
            "first_session_max_minutes",
            f"is {cap_minutes:g}, but the exercises need at least {least:g} minutes",
        )
    routine = Routine(
        name=r.get("name", str),
        title=r.get("title", str),
        source=r.get("source", str),
        description=r.get("description", str),
        preparation=r.get("preparation", "strings"),
        exercises=exercises,
        first_session_max_s=cap_minutes * 60,
    )
    r.reject_unknown(
        {"name", "title", "source", "description", "preparation", "exercises"}
        | {"first_session_max_minutes"}
    )
    return routine


def load_routine_file(path: Path) -> Routine:
    """Read and validate one routine TOML file (a regular file of at most 1 MB)."""
    data = read_toml(path, "routine file", RoutineError)
    routine = parse_routine(data, str(path))
    if routine.name != Path(path).stem:
        raise RoutineError(f"{path}: field 'name' must match the file name ({Path(path).stem})")
    return replace(routine, path=Path(path))


def _builtin_dir() -> Path:
    return Path(str(resources.files("trainer.core") / "routines"))


def routine_names() -> list[str]:
    """Names of the built-in routines, sorted."""
    return sorted(p.stem for p in _builtin_dir().glob("*.toml"))


def load_routine(name: str) -> Routine:
    """A built-in routine by name, or a routine file by path (ending in .toml)."""
    if name.endswith(".toml"):
        return load_routine_file(Path(name))
    path = _builtin_dir() / f"{name}.toml"
    if not path.exists():
        raise RoutineError(f"unknown routine {name!r}; known: {', '.join(routine_names())}")
    return load_routine_file(path)


def all_routines() -> list[Routine]:
    return [load_routine(name) for name in routine_names()]


def routine_title(name: str) -> str:
    """What a person reads for a routine: a built-in one's title, else the name itself."""
    return _titles().get(name, name)


@cache
def _titles() -> dict[str, str]:
    return {r.name: r.title for r in all_routines()}
