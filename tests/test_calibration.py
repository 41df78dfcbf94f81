import itertools
import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trainer.core.base.errors import CalibrationError
from trainer.core.path.calibration import Calibration, PathFrame
from trainer.core.path.polyline import arc_length
from trainer.core.technique import load_technique
from trainer.documents.files import load_calibration, save_calibration


def test_default_is_the_techniques_guide():
    cal = Calibration.from_technique(load_technique("foot-spine-line"))
    np.testing.assert_allclose(cal.points, [[0.22, 0.60], [0.50, 0.53], [0.78, 0.58]])
    assert cal.technique == "foot-spine-line" and cal.source == "guide"


def test_line_parses_start_to_end():
    cal = Calibration.from_line("0.1,0.5,0.9,0.5")
    np.testing.assert_allclose(cal.points, [[0.1, 0.5], [0.9, 0.5]])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.1,0.5,0.9", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("0.1,0.5,1.9,0.5", r"end \(1.9, 0.5\) falls outside the frame"),
        ("0.5,0.5,0.5,0.5", "must not repeat"),
        ("nan,0.5,0.9,0.5", "finite"),
    ],
)
def test_bad_lines_are_rejected(text, message):
    with pytest.raises(CalibrationError, match=message):
        Calibration.from_line(text)


def test_file_round_trip(tmp_path):
    cal = Calibration(np.array([[0.2, 0.6], [0.5, 0.5], [0.8, 0.6]]), "foot-spine-line", "file")
    path = tmp_path / "cal.json"
    save_calibration(cal, path)
    assert json.loads(path.read_text()) == {
        "technique": "foot-spine-line",
        "points": [[0.2, 0.6], [0.5, 0.5], [0.8, 0.6]],
    }
    back = load_calibration(path)
    np.testing.assert_allclose(back.points, cal.points)
    assert back.technique == "foot-spine-line"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"technique": "x"}', '"points"'),
        ('{"points": [[0.1, 0.2]]}', "2 to 64"),
        ('{"points": [["a", 0.2], [0.3, 0.4]]}', "numbers"),
        ('{"points": [[0.1, 0.2, 0.3], [0.3, 0.4, 0.5]]}', "2 x 2 numbers"),
        ('{"technique": 3, "points": [[0.1, 0.2], [0.3, 0.4]]}', "is not a name"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CalibrationError, match=message) as err:
        load_calibration(path)
    assert "bad.json" in str(err.value)


def test_missing_file_and_wrong_technique():
    with pytest.raises(CalibrationError, match="cannot read"):
        load_calibration("/nonexistent/cal.json")
    cal = Calibration.from_technique(load_technique("neck-back-stroke"))
    with pytest.raises(CalibrationError, match="is for 'neck-back-stroke', not 'foot-spine-line'"):
        cal.check_technique(load_technique("foot-spine-line"))


def test_projection_on_a_straight_path():
    path = PathFrame.from_points(np.array([[100.0, 200.0], [300.0, 200.0]]))
    s, d = path.project(np.array([[100, 200], [200, 210], [300, 190], [350, 200], [50, 220]]))
    np.testing.assert_allclose(s, [0.0, 0.5, 1.0, 1.25, -0.25])
    # d > 0 is to the right of travel on screen: for a rightward path, below it.
    np.testing.assert_allclose(d, [0.0, 0.05, -0.05, 0.0, 0.1])


def test_projection_on_a_bent_path_and_missing_points():
    path = PathFrame.from_points(np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 100.0]]))
    assert path.length == 200
    s, d = path.project(np.array([[100, 50], [50, 10], [110, -10], [np.nan, np.nan]]))
    np.testing.assert_allclose(s[:3], [0.75, 0.25, 0.5])
    # Right of a downward segment on screen is toward -x; the outer corner is at the vertex.
    np.testing.assert_allclose(d[:3], [0.0, 0.05, -np.hypot(10, 10) / 200])
    assert np.isnan(s[3]) and np.isnan(d[3])
    np.testing.assert_allclose(path.point_at([0.0, 0.75, 2.0]), [[0, 0], [100, 50], [100, 100]])


def test_arc_length_is_the_length_along_the_polyline_at_each_point():
    # Sides of 3-4-5 and 6-8-10 triangles: 5, then 6 straight down, then 10.
    points = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 10.0], [-3.0, 18.0]])
    np.testing.assert_allclose(arc_length(points), [0.0, 5.0, 11.0, 21.0])
    # Standing still adds nothing; one point or none has length 0.
    np.testing.assert_allclose(arc_length([[1.0, 1.0], [1.0, 1.0], [4.0, 5.0]]), [0, 0, 5])
    np.testing.assert_array_equal(arc_length([[2.0, 3.0]]), [0.0])
    np.testing.assert_array_equal(arc_length(np.zeros((0, 2))), [0.0])


def test_the_path_frame_measures_along_its_bends():
    path = PathFrame.from_points(np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 10.0], [-3.0, 18.0]]))
    assert path.length == 21
    np.testing.assert_allclose(path.cum, [0, 5, 11, 21])
    np.testing.assert_allclose(path.point_at([5 / 21, 8 / 21]), [[3, 4], [3, 7]])


coords = st.floats(0.05, 0.95)


def _segment_distance(q: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    along = np.clip(np.dot(q - a, b - a) / np.dot(b - a, b - a), 0, 1)
    return float(np.hypot(*(q - (a + along * (b - a)))))


def _unambiguous(base: np.ndarray, p: np.ndarray) -> bool:
    """Each probe has one clearly nearest segment (paths folding back make ties)."""
    if np.any(np.hypot(*np.diff(base, axis=0).T) < 5):
        return False
    for q in p:
        dists = sorted(_segment_distance(q, a, b) for a, b in itertools.pairwise(base))
        if len(dists) > 1 and dists[1] - dists[0] < 1e-3:
            return False
    return True


@settings(max_examples=40, deadline=None)
@given(
    pts=st.lists(st.tuples(coords, coords), min_size=2, max_size=4),
    probe=st.lists(st.tuples(coords, coords), min_size=1, max_size=5),
    scale=st.floats(0.3, 3.0),
    shift=st.tuples(st.floats(-200, 200), st.floats(-200, 200)),
)
def test_projection_ignores_moving_and_scaling_everything(pts, probe, scale, shift):
    base, p = np.array(pts) * 500, np.array(probe) * 500
    assume(_unambiguous(base, p))
    s1, d1 = PathFrame.from_points(base).project(p)
    s2, d2 = PathFrame.from_points(base * scale + shift).project(p * scale + shift)
    np.testing.assert_allclose(s1, s2, atol=1e-9)
    np.testing.assert_allclose(d1, d2, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    pts=st.lists(st.tuples(coords, coords), min_size=2, max_size=4),
    probe=st.lists(st.tuples(coords, coords), min_size=1, max_size=5),
)
def test_reversing_the_path_mirrors_progress_and_side(pts, probe):
    base, p = np.array(pts) * 500, np.array(probe) * 500
    assume(_unambiguous(base, p))
    s1, d1 = PathFrame.from_points(base).project(p)
    s2, d2 = PathFrame.from_points(base[::-1]).project(p)
    np.testing.assert_allclose(s1, 1 - s2, atol=1e-9)
    np.testing.assert_allclose(d1, -d2, atol=1e-9)
