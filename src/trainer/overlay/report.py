"""A review as downloadable files: the whole report as JSON, the strokes as CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from trainer.core.judging.feedback import stroke_verdict
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


def stroke_table(review: Review) -> list[dict[str, Any]]:
    """One row per pass for people to read: times in seconds, distances as a share of the
    path in %, the verdict as a sentence (the codes are in the CSV and the JSON)."""
    return [
        {
            "stroke": n,
            "starts at (s)": round(s.metrics.start_t, 1),
            "takes (s)": round(s.metrics.duration_s, 1),
            "direction": "the right way" if s.direction_ok else "backwards",
            "off the line (% of the path)": round(100 * s.metrics.mean_offset),
            "path covered (%)": round(100 * s.metrics.coverage),
            "verdict": stroke_verdict(s.feedback),
        }
        for n, s in enumerate(review.strokes, start=1)
    ]


def strokes_csv(review: Review) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=STROKE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(stroke_rows(review))
    return out.getvalue()


def report_json(review: Review, **about: Any) -> str:
    """The review as JSON, with `about` (video name, frames...) under "source"."""
    return json.dumps({"source": about, **review.to_dict()}, indent=1) + "\n"
