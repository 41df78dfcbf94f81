"""Report files: the strokes table as CSV, the whole review as JSON."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from clips import thumb_plan
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.overlay.report import STROKE_COLUMNS, report_json, stroke_rows, strokes_csv


@pytest.fixture(scope="module")
def judged():
    tech = load_technique("neck-back-stroke")
    path = np.array(tech.guide) * [640, 480]
    plan = np.concatenate([thumb_plan(path, 25, 2), thumb_plan(path, 25, 1, pass_s=8.0)])
    track = Track.from_points(np.arange(len(plan)) / 25, plan.tolist(), 640, 480, 25)
    return judge_track(track, tech, Calibration.from_technique(tech))


def test_rows_number_the_passes_and_name_their_faults(judged):
    rows = stroke_rows(judged)
    assert [r["stroke"] for r in rows] == [1, 2, 3]
    assert [r["good"] for r in rows] == [True, True, False]
    assert "too_slow" in rows[2]["faults"].split()
    assert rows[2]["feedback"]
    assert rows[0]["duration_s"] == pytest.approx(3.0, abs=0.6)


def test_csv_has_a_header_and_a_row_per_pass(judged):
    table = list(csv.DictReader(io.StringIO(strokes_csv(judged))))
    assert tuple(table[0].keys()) == STROKE_COLUMNS
    assert len(table) == 3
    assert table[2]["good"] == "False"


def test_json_is_the_review_with_its_source(judged):
    data = json.loads(report_json(judged, video="clip.mp4", frames=10))
    assert data["source"] == {"video": "clip.mp4", "frames": 10}
    assert data["score"] == round(judged.score, 1)
    assert data["stroke_count"] == 3
    assert len(data["strokes"]) == 3
