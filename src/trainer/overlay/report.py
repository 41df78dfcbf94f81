"""A review as downloadable files: the whole report as JSON, the strokes as CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from trainer.core.judging.verdict import Review

STROKE_COLUMNS = (
    "stroke",
    "start_s",
    "end_s",
    "duration_s",
    "direction_ok",
    "mean_offset",
    "coverage",
    "good",
    "faults",
    "feedback",
)


def stroke_rows(review: Review) -> list[dict[str, Any]]:
    """One row per pass, numbered from 1; distances in path lengths, times in seconds."""
    rows = []
    for n, s in enumerate(review.strokes, start=1):
        d = s.to_dict()
        rows.append(
            {
                "stroke": n,
                "start_s": d["start_s"],
                "end_s": d["end_s"],
                "duration_s": d["duration_s"],
                "direction_ok": d["direction_ok"],
                "mean_offset": d["mean_offset"],
                "coverage": d["coverage"],
                "good": d["good"],
                "faults": " ".join(d["faults"]),
                "feedback": " ".join(d["feedback"]),
            }
        )
    return rows


def strokes_csv(review: Review) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=STROKE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(stroke_rows(review))
    return out.getvalue()


def report_json(review: Review, **about: Any) -> str:
    """The review as JSON, with `about` (video name, frames...) under "source"."""
    return json.dumps({"source": about, **review.to_dict()}, indent=1) + "\n"
