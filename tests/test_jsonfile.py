import pytest

from trainer.core.base.errors import CalibrationError, TrainerError
from trainer.documents.files import read_json


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
