"""Files the user hands in, read with bounds: regular files only, a size cap, a depth cap.

Every JSON and TOML file handed to the project comes through here (tracks, reviews,
calibrations and uploads as JSON; techniques and routines as TOML), so none of them can make it
read forever (a FIFO, /dev/zero), read gigabytes or recurse until the interpreter gives up.
What the project writes and reads back itself (the synth's samples, the store's rows) does not.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from trainer.core.base.errors import TrainerError

MB = 1 << 20
MAX_TOML_BYTES = MB  # techniques and routines are written by hand: a few kilobytes each
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_CHUNK = 1 << 22  # bytes scanned at once by json_depth: bounds its temporaries (~30 MB)
_LONGEST_INT = 18  # digits; longer integers are read as floats, whose range is then checked


def regular_file(path: str | Path, what: str, error: type[TrainerError]) -> os.stat_result:
    """The file's status; refuses what is missing, unreadable or not a regular file."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from None
    except ValueError:  # a NUL in the name
        raise error(f"{path!r}: cannot read {what} (not a file name)") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is a folder, not {what}")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path}: not a regular file (a device or a pipe?), not {what}")
    return info


def read_bytes(
    path: str | Path,
    what: str,
    error: type[TrainerError],
    max_bytes: int,
    setting: str | None = None,
) -> bytes:
    """The whole file, if it is a regular file of at most max_bytes (`setting`: the variable
    that raises the cap, named in the refusal)."""
    regular_file(path, what, error)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, opening must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise error(f"{path}: not a regular file (a device or a pipe?), not {what}")
            # Read what the file holds (a byte more shows growth), not a max_bytes buffer.
            data = f.read(min(info.st_size, max_bytes) + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from None
    if len(data) > max_bytes:
        hint = f" ({setting})" if setting else ""
        raise error(f"{path}: {what} larger than {max_bytes / MB:g} MB{hint}")
    return data


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings not counted)."""
    flat = np.frombuffer(_ESCAPE.sub(b"", data), dtype=np.uint8)  # escapes never nest
    depth = deepest = 0
    in_string = False
    for start in range(0, len(flat), _CHUNK):
        chunk = flat[start : start + _CHUNK]
        quotes = np.cumsum(chunk == ord('"'), dtype=np.int32) + in_string
        outside = quotes % 2 == 0
        step = (chunk == ord("[")).view(np.int8) + (chunk == ord("{")).view(np.int8)
        step -= (chunk == ord("]")).view(np.int8) + (chunk == ord("}")).view(np.int8)
        levels = np.cumsum(np.where(outside, step, 0), dtype=np.int32) + depth
        if len(levels):
            deepest = max(deepest, int(levels.max()))
            depth, in_string = int(levels[-1]), bool(quotes[-1] % 2)
    return deepest


def _number(text: str) -> int | float:
    """Integers as ints up to 18 digits; longer ones as floats (huge ones become inf)."""
    return int(text) if len(text.lstrip("-")) <= _LONGEST_INT else float(text)


def parse_json(data: bytes, source: str | Path, error: type[TrainerError], max_depth: int) -> Any:
    """Parse JSON text nested at most max_depth deep; `error` names source and the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{source}: not valid JSON (not text: byte {exc.start})") from None
    if json_depth(data) > max_depth:
        raise error(
            f"{source}: not a usable file: nested deeper than {max_depth} levels"
            " (TRAINER_MAX_JSON_DEPTH)"
        )
    try:
        return json.loads(text, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise error(f"{source}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except (ValueError, RecursionError) as exc:
        raise error(f"{source}: not valid JSON ({type(exc).__name__})") from None


def read_json(
    path: str | Path,
    what: str,
    error: type[TrainerError],
    *,
    max_mb: float,
    max_depth: int,
) -> Any:
    """A JSON file read with every bound: regular, at most max_mb, at most max_depth deep."""
    data = read_bytes(path, what, error, int(max_mb * MB), "TRAINER_MAX_JSON_MB")
    return parse_json(data, path, error, max_depth)


def read_toml(path: str | Path, what: str, error: type[TrainerError]) -> Any:
    """A TOML file read as a regular file of at most 1 MB; `error` names path and problem."""
    raw = read_bytes(path, what, error, MAX_TOML_BYTES)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not valid TOML (not text: byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise error(f"{path}: not valid TOML (nested too deeply)") from None
