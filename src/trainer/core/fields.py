"""Typed fields of a data file's table (TOML), with errors naming the file and the field."""

from __future__ import annotations

from dataclasses import MISSING
from typing import Any

from trainer.core.errors import TrainerError


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
        """value as kind: str, int, float, "pair" (low <= high), "floats" or "strings"."""
        if kind is str:
            if not isinstance(value, str) or not value.strip():
                raise self.fail(key, "must be a non-empty string")
            return value.strip()
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.fail(key, "must be an integer")
            return value
        if kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self.fail(key, "must be a number")
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
