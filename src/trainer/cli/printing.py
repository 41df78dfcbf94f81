"""What the commands print: JSON, progress bars, numbers."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
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


def fmt(value: float | None, spec: str = ".1f") -> str:
    """A number for a table; "-" for none or NaN."""
    return "-" if value is None or value != value else format(value, spec)
