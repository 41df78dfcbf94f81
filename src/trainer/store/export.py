"""Attempts to CSV, one row per attempt (no tracks), for spreadsheets."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from trainer.core.errors import TrainerError
from trainer.store.records import AttemptSummary

COLUMNS = [f.name for f in fields(AttemptSummary)]


def write_attempts_csv(rows: Sequence[AttemptSummary], path: Path) -> int:
    """Write rows to path (replaced whole, never half-written); how many were written."""
    tmp = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(row.to_dict() for row in rows)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TrainerError(f"cannot write {path}: {exc.strerror}") from exc
    return len(rows)
