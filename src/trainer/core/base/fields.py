"""Typed, bounded access to parsed JSON and TOML, with errors naming the file and the field.

The one validation layer for what the project reads (tracks, reviews, calibrations, profiles
as JSON through `Fields`; techniques and routines as TOML through `FieldReader`):
each value is checked for its type (a bool is not a number, a string is not a number), its
range and its finiteness before anything computes with it, so a hostile file gets one line
naming the field instead of an overflow or a traceback deep in numpy or SQLite.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import MISSING
from typing import Any

import numpy as np

from trainer.core.base.errors import TrainerError

NAME = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
MAX_NAME = 64
MAX_TEXT = 10_000  # characters in one string field
MAX_KEY = 40  # characters of a key shown in a message
MAX_ID = 2**63 - 1  # the largest SQL BIGINT, SQLite's INTEGER
_NUMBER = (int, float)


def check_name(name: Any, what: str, error: type[TrainerError]) -> str:
    """A name (letters, digits, single dashes, at most 64 characters), never a path."""
    if not isinstance(name, str) or len(name) > MAX_NAME or not NAME.fullmatch(name):
        shown = repr(name) if len(str(name)) <= MAX_NAME else f"{str(name)[:MAX_NAME]!r}..."
        raise error(f"{what} {shown} is not a name (letters, digits and dashes)")
    return name


def plain_id(text: str) -> int | None:
    """text as a row id if it is a plain ASCII whole number within SQL's 1..2**63-1, else None.

    Not str.isdigit alone: it takes "²", and a fullwidth one, which int() reads as 1.
    """
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def is_number(value: Any) -> bool:
    """An int or float (not a bool), finite."""
    return type(value) in _NUMBER and math.isfinite(value)


class Fields:
    """One JSON object: typed getters; a bad value raises `error` naming source and field."""

    def __init__(
        self,
        data: Any,
        source: str,
        error: type[TrainerError] = TrainerError,
        path: str = "",
    ) -> None:
        self.source, self.error, self.path = source, error, path
        if not isinstance(data, dict):
            raise self._raise(f"{self._where()}must be an object")
        self.data = data

    def _where(self) -> str:
        return f'field "{self.path}" ' if self.path else ""

    def _raise(self, problem: str) -> TrainerError:
        return self.error(f"{self.source}: {problem}" if self.source else problem)

    def name_of(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        shown = key if len(key) <= MAX_KEY and key.isprintable() else f"{key[:MAX_KEY]!r}"
        return f"{self.path}.{shown}" if self.path else shown

    def fail(self, key: str | int, problem: str) -> TrainerError:
        return self._raise(f'field "{self.name_of(key)}" {problem}')

    def missing(self, keys: list[str]) -> None:
        """Refuse the object if any of keys is absent, naming all that are."""
        gone = [self.name_of(k) for k in keys if k not in self.data]
        if gone:
            names = ", ".join(f'"{k}"' for k in gone)
            raise self._raise(f"missing field{'s' if len(gone) > 1 else ''} {names}")

    def value(self, key: str, default: Any = MISSING) -> Any:
        if key in self.data:
            return self.data[key]
        if default is MISSING:
            self.missing([key])
        return default

    def number(
        self, key: str, lo: float = -math.inf, hi: float = math.inf, default: Any = MISSING
    ) -> float:
        """A finite number within lo..hi; default when the key is absent (if one is given)."""
        if key not in self.data and default is not MISSING:
            return default
        value = self.value(key)
        if not is_number(value):
            raise self.fail(key, "must be a finite number")
        if not lo <= value <= hi:
            raise self.fail(key, f"must be within {lo:g}..{hi:g}, not {value:g}")
        return float(value)

    def integer(self, key: str, lo: int, hi: int) -> int:
        """A whole number within lo..hi (a float with no fraction, like 640.0, counts)."""
        value = self.value(key)
        if not is_number(value) or value != int(value):
            raise self.fail(key, "must be a whole number")
        if not lo <= value <= hi:
            raise self.fail(key, f"must be within {lo}..{hi}, not {value:g}")
        return int(value)

    def flag(self, key: str) -> bool:
        value = self.value(key)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def text(self, key: str, choices: tuple[str, ...] | None = None) -> str:
        value = self.value(key)
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise self.fail(key, "must be a string")
        if choices is not None and value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}")
        return value

    def texts(self, key: str, max_items: int = 10_000) -> tuple[str, ...]:
        items = self.items(key, max_items)
        if any(not isinstance(item, str) or len(item) > MAX_TEXT for item in items):
            raise self.fail(key, "must hold strings only")
        return tuple(items)

    def items(self, key: str, max_items: int = 10_000_000) -> list[Any]:
        value = self.value(key)
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        if len(value) > max_items:
            raise self.fail(key, f"must hold at most {max_items} items")
        return value

    def obj(self, key: str) -> Fields:
        return Fields(self.value(key), self.source, self.error, self.name_of(key))

    def objects(self, key: str, max_items: int = 1_000_000) -> list[Fields]:
        """A list of objects, each with its own named path (key[0], key[1], ...)."""
        name = self.name_of(key)
        return [
            Fields(item, self.source, self.error, f"{name}[{n}]")
            for n, item in enumerate(self.items(key, max_items))
        ]

    def number_map(self, key: str, lo: float = -math.inf, hi: float = math.inf) -> dict:
        """An object of finite numbers, e.g. {"heel": 0.8, "arch": 1.0}."""
        inner = self.obj(key)
        return {name: inner.number(name, lo, hi) for name in inner.data}

    def array(
        self,
        key: str,
        shape: tuple[int, ...],
        lo: float = -math.inf,
        hi: float = math.inf,
        nullable: bool = False,
    ) -> np.ndarray:
        """Nested lists of finite numbers of exactly this shape, as float64 (null -> NaN).

        Checked level by level with C-speed set and map calls, so a long track is checked in
        about the time json takes to parse it.
        """
        level = [self.value(key)]
        for size in shape:
            if set(map(type, level)) - {list}:
                raise self.fail(key, f"must be {_form(shape)}")
            if set(map(len, level)) - {size}:
                raise self.fail(key, f"must be {_form(shape)}")
            level = list(itertools.chain.from_iterable(level))
        kinds = set(map(type, level))
        allowed = {int, float, type(None)} if nullable else {int, float}
        if kinds - allowed:
            nulls = " or null" if nullable else ""
            raise self.fail(key, f"must hold numbers{nulls} only")
        values = np.array(level, dtype=object if type(None) in kinds else np.float64)
        values = values.astype(np.float64).reshape(shape)
        given = ~np.isnan(values) if type(None) in kinds else slice(None)
        picked = values[given]
        if not np.all(np.isfinite(picked)):
            raise self.fail(key, "must hold finite numbers")
        if picked.size and (picked.min() < lo or picked.max() > hi):
            raise self.fail(key, f"must hold numbers within {lo:g}..{hi:g}")
        return values


def _form(shape: tuple[int, ...]) -> str:
    if len(shape) == 1:
        return f"a list of {shape[0]} numbers"
    return f"nested lists of {' x '.join(map(str, shape))} numbers"


class FieldReader:
    """Typed access to one table; `error` is the exception a subclass raises."""

    error: type[TrainerError] = TrainerError

    def __init__(self, source: str, table: dict[str, Any], prefix: str = "") -> None:
        self.source, self.table, self.prefix = source, table, prefix

    def fail(self, key: str, problem: str) -> TrainerError:
        return self.error(f"{self.source}: field '{self.prefix}{key}' {problem}")

    def get(self, key: str, kind: Any, default: Any = MISSING) -> Any:
        if key not in self.table:
            if default is MISSING:
                raise self.fail(key, "is missing")
            return default
        return self.convert(key, self.table[key], kind)

    def convert(self, key: str, value: Any, kind: Any) -> Any:
        """value as kind: str, int, float, bool, "pair" (low <= high), "floats" or "strings"."""
        if kind is bool:
            if not isinstance(value, bool):
                raise self.fail(key, "must be true or false")
            return value
        if kind is str:
            if not isinstance(value, str) or not value.strip():
                raise self.fail(key, "must be a non-empty string")
            return value.strip()
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.fail(key, "must be an integer")
            return value
        if kind is float:
            if not is_number(value):
                raise self.fail(key, "must be a finite number")
            return float(value)
        if kind == "pair":
            pair = self.convert(key, value, "floats")
            if len(pair) != 2 or pair[0] > pair[1]:
                raise self.fail(key, "must be a [low, high] pair of numbers with low <= high")
            return pair
        if kind in ("floats", "strings"):
            item = float if kind == "floats" else str
            if not isinstance(value, list) or not value:
                raise self.fail(key, f"must be a list of {'numbers' if item is float else kind}")
            return tuple(self.convert(key, v, item) for v in value)
        raise TypeError(kind)

    def table_of(self, key: str) -> FieldReader:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return type(self)(self.source, value, f"{self.prefix}{key}.")

    def reject_unknown(self, known: set[str]) -> None:
        for key in self.table:
            if key not in known:
                raise self.fail(key, "is not a known field (misspelt?)")
