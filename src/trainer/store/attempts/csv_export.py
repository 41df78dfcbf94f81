"""Attempts to CSV, one row per attempt (no tracks), for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, BinaryIO

from trainer.core.base.outputfile import write_file
from trainer.store.attempts.records import AttemptSummary

COLUMNS = [f.name for f in fields(AttemptSummary)]
# A spreadsheet runs a cell starting with these as a formula (or, after a tab or CR, may).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_attempts_csv(rows: Sequence[AttemptSummary], path: Path) -> int:
    """Write rows to path (whole or not at all, see core.base.outputfile); how many were written."""

    def write(f: BinaryIO) -> None:
        text = io.TextIOWrapper(f, newline="", encoding="utf-8")
        writer = csv.DictWriter(text, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({k: _inert(v) for k, v in row.to_dict().items()} for row in rows)
        text.flush()
        text.detach()  # write_file closes the file

    write_file(path, write)
    return len(rows)


def _inert(value: Any) -> Any:
    """Text that a spreadsheet would run, behind a quote that keeps it text; numbers as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
