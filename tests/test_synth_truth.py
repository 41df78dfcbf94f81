"""Ground truth files: the brief's JSON format, and a faithful round trip."""

from __future__ import annotations

import json

import numpy as np

from trainer.synth.truth import GroundTruth


def truth() -> GroundTruth:
    return GroundTruth(
        technique="neck-back-stroke",
        case="hand_lost",
        fps=25.0,
        width=640,
        height=360,
        seed=7,
        calibration={"technique": "neck-back-stroke", "points": [[0.5, 0.22], [0.5, 0.8]]},
        expected={"faults": ["hand_lost"], "passes": 3, "direction_ok": True},
        t=np.array([0.0, 0.04, 0.08]),
        thumb_px=np.array([[320.0, 79.2], [np.nan, np.nan], [330.5, 100.25]]),
        stroke=np.array([0, -1, 1]),
    )


def test_json_has_the_briefs_fields(tmp_path):
    path = tmp_path / "x.json"
    truth().save(path)
    d = json.loads(path.read_text())
    assert set(d) == {
        "technique", "case", "fps", "width", "height", "seed", "calibration", "expected", "frames"
    }  # fmt: skip
    assert d["frames"][0] == {
        "t": 0.0, "thumb_px": [320.0, 79.2], "thumb": [0.5, 0.22], "stroke": 0
    }  # fmt: skip
    assert d["frames"][1] == {"t": 0.04, "thumb_px": None, "thumb": None, "stroke": None}
    assert d["expected"] == {"faults": ["hand_lost"], "passes": 3, "direction_ok": True}


def test_round_trip(tmp_path):
    path = tmp_path / "x.json"
    a = truth()
    a.save(path)
    b = GroundTruth.load(path)
    np.testing.assert_array_equal(b.thumb_px, a.thumb_px)
    np.testing.assert_array_equal(b.stroke, a.stroke)
    np.testing.assert_array_equal(b.t, a.t)
    assert b.calibration == a.calibration and b.expected == a.expected
    np.testing.assert_array_equal(b.in_frame, [True, False, True])
    assert b.diagonal == np.hypot(640, 360)
