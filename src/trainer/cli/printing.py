"""What the commands print: JSON, progress bars, numbers."""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer.core.base.outputfile import write_file


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A progress bar on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        share = min(done / max(total, 1), 1.0)
        bar = "#" * int(share * 30)
        rate = done / max(time.perf_counter() - started, 1e-9)
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{label} [{bar:<30}] {share:4.0%} {done}/{total} {rate:.0f} fps{end}")
        sys.stderr.flush()

    return show


def write_json(obj: Any, path: Path | None) -> None:
    """Print obj as JSON, or write it to path whole (see core.base.outputfile.write_file)."""
    text = json.dumps(obj, separators=(",", ":"))
    if path is None:
        print(text)
        return
    write_file(path, text.encode("utf-8"))


MISSING = "-"  # a cell with no value: "None", "nan" or a blank mean nothing to a reader


def fmt(value: float | None, spec: str = ".1f") -> str:
    """A number for a table; "-" for none or NaN."""
    return MISSING if _missing(value) else format(value, spec)


def _missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _cell(value: object) -> str:
    """A table cell: "-" for a missing value, a time to the minute."""
    if _missing(value):
        return MISSING
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else str(value)


def print_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], right: Collection[str] = ()
) -> None:
    """Rows under a header, each column as wide as its widest cell, two spaces apart; the
    columns named in `right` (numbers) aligned right. A missing value (None, NaN or an empty
    text) is "-": a blank would let the next column's word be read as this one's."""
    cells = [list(header), *([_cell(c) for c in r] for r in rows)]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    for r in cells:
        line = (
            c.rjust(w) if name in right else c.ljust(w)
            for c, w, name in zip(r, widths, header, strict=True)
        )
        print("  ".join(line).rstrip())
