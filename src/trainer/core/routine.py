"""Routines as data: an ordered list of exercises in one TOML file each, validated on load.

A routine is a whole session as the seeds prescribe it: which techniques in which order, how
many minutes each, what to do, and how to prepare (oil, posture).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from trainer.core.base.errors import RoutineError
from trainer.core.technique import Timing, technique_names

MAX_INSTRUCTION_LINES = 2
FIRST_SESSION_MAX_MINUTES = Timing().first_session_max_s / 60  # seed 003: 15 minutes


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


class _Fields:
    """One TOML table, read with errors naming the file and the field."""

    def __init__(self, source: str, table: dict[str, Any], prefix: str = "") -> None:
        self.source, self.table, self.prefix = source, table, prefix

    def fail(self, key: str, problem: str) -> RoutineError:
        return RoutineError(f"{self.source}: field '{self.prefix}{key}' {problem}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if value is None:
            raise self.fail(key, "is missing")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value.strip()

    def lines(self, key: str, most: int | None = None) -> tuple[str, ...]:
        value = self.table.get(key)
        if value is None:
            raise self.fail(key, "is missing")
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a list of strings")
        if most is not None and len(value) > most:
            raise self.fail(key, f"must hold at most {most} lines")
        if not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must hold non-empty strings")
        return tuple(v.strip() for v in value)

    def number(self, key: str, default: float) -> float:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "must be a number")
        if value <= 0:
            raise self.fail(key, "must be greater than 0")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def reject_unknown(self, known: set[str]) -> None:
        for key in self.table:
            if key not in known:
                raise self.fail(key, "is not a known field (misspelt?)")


def _minutes(f: _Fields) -> tuple[float, float]:
    value = f.table.get("minutes")
    if value is None:
        raise f.fail("minutes", "is missing")
    numbers = isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    )
    if not numbers or len(value) != 2:
        raise f.fail("minutes", "must be a [low, high] pair of minutes")
    lo, hi = float(value[0]), float(value[1])
    if lo <= 0 or lo > hi:
        raise f.fail("minutes", f"must have 0 < low <= high, not [{lo:g}, {hi:g}]")
    return lo, hi


def _exercise(f: _Fields, known: list[str]) -> Exercise:
    technique = f.text("technique")
    if technique not in known:
        raise f.fail(
            "technique", f"names unknown technique {technique!r}; known: {', '.join(known)}"
        )
    exercise = Exercise(
        technique=technique,
        title=f.text("title"),
        minutes=_minutes(f),
        instructions=f.lines("instructions", MAX_INSTRUCTION_LINES),
        optional=f.flag("optional"),
    )
    f.reject_unknown({"technique", "title", "minutes", "instructions", "optional"})
    return exercise


def parse_routine(data: dict[str, Any], source: str) -> Routine:
    """A Routine from a parsed TOML table; RoutineError names `source` and the field."""
    f = _Fields(source, data)
    raw = data.get("exercises")
    if not isinstance(raw, list) or not raw or not all(isinstance(e, dict) for e in raw):
        raise f.fail("exercises", "must list at least one [[exercises]] table")
    known = technique_names()
    exercises = tuple(
        _exercise(_Fields(source, item, f"exercises[{n}]."), known) for n, item in enumerate(raw)
    )
    cap_minutes = f.number("first_session_max_minutes", FIRST_SESSION_MAX_MINUTES)
    least = sum(e.minutes[0] for e in exercises if not e.optional)
    if least > cap_minutes:
        raise f.fail(
            "first_session_max_minutes",
            f"is {cap_minutes:g}, but the exercises need at least {least:g} minutes",
        )
    routine = Routine(
        name=f.text("name"),
        title=f.text("title"),
        source=f.text("source"),
        description=f.text("description"),
        preparation=f.lines("preparation"),
        exercises=exercises,
        first_session_max_s=cap_minutes * 60,
    )
    f.reject_unknown(
        {"name", "title", "source", "description", "preparation", "exercises"}
        | {"first_session_max_minutes"}
    )
    return routine


def load_routine_file(path: Path) -> Routine:
    """Read and validate one routine TOML file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise RoutineError(f"{path}: cannot read routine file ({e.strerror})") from e
    except tomllib.TOMLDecodeError as e:
        raise RoutineError(f"{path}: not valid TOML ({e})") from e
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
