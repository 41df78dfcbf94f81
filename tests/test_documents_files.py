"""The files users hand in, read by trainer.documents.files: JSON within its bounds, naming
the file and the problem, and a track in each form it is saved in."""

import json

import numpy as np
import pytest

from trainer.core.base.errors import CalibrationError, TrainerError
from trainer.core.track import Track
from trainer.documents.files import load_track, read_json

TRACK = Track.from_points([0.0, 0.1, 0.2], [[10, 20], None, [30, 40]], 64, 48, fps=10)


@pytest.mark.parametrize(
    "content",
    [
        {"video": {"path": "x.mp4"}, "track": TRACK.to_dict()},  # trainer track --json
        TRACK.to_dict(),  # a bare track
        {  # a sample video's ground truth
            "technique": "foot-spine-line", "case": "correct", "fps": 10, "width": 64,
            "height": 48, "frames": [
                {"t": 0.0, "thumb_px": [10, 20]}, {"t": 0.1, "thumb_px": None},
                {"t": 0.2, "thumb_px": [30, 40]},
            ],
        },
    ],
)  # fmt: skip
def test_each_saved_form_reads_back_as_the_same_track(tmp_path, content):
    path = tmp_path / "t.json"
    path.write_text(json.dumps(content))
    track = load_track(path)
    assert (track.width, track.height, len(track)) == (64, 48, 3)
    np.testing.assert_allclose(track.thumb_px[[0, 2]], [[10, 20], [30, 40]])
    assert track.detected.tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ("[1, 2]", "not a track"),
        ('{"track": {"t": [0.0]}}', "not a usable track"),
    ],
)
def test_broken_files_name_the_problem(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(TrainerError, match=message):
        load_track(path)
    with pytest.raises(TrainerError, match="cannot read"):
        load_track(tmp_path / "missing.json")


def test_reads_json(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"points": [[0, 0], [1, 1]]}')
    assert read_json(path, "calibration") == {"points": [[0, 0], [1, 1]]}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "cannot read calibration (No such file or directory)"),
        (b"{", "not valid JSON (Expecting property name enclosed in double quotes, line 1)"),
        (b"\x89PNG\xff\x00", "not valid JSON (not text: byte 0)"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path, content, words):
    path = tmp_path / "cal.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CalibrationError) as err:
        read_json(path, "calibration", CalibrationError)
    assert str(err.value) == f"{path}: {words}"
    assert isinstance(err.value, TrainerError)
