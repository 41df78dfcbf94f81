import zipfile

import numpy as np
import pytest

from clips import photo
from conftest import SHARED, require
from trainer.capture.hand_model import NETWORKS, OFFICIAL_SHA256, fetch, verify
from trainer.capture.landmarker import Landmarker
from trainer.core.base.errors import ModelError


def test_the_set_up_built_the_model_from_the_wheel(model_path):
    check = verify(model_path)
    assert check.origin.startswith("built from mediapipe==0.10.21")
    with zipfile.ZipFile(model_path) as bundle:
        assert sorted(bundle.namelist()) == sorted(NETWORKS)
        # every network starts on a 16-byte boundary so TFLite can map it in place
        for info in bundle.infolist():
            data_start = info.header_offset + 30 + len(info.filename) + len(info.extra)
            assert data_start % 16 == 0


def test_build_is_reproducible(tmp_path):
    a = fetch(tmp_path / "a.task")
    b = fetch(tmp_path / "b.task")
    assert a.sha256 == b.sha256
    assert a.origin == b.origin


def test_a_broken_model_is_refused(tmp_path):
    bad = tmp_path / "hand_landmarker.task"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a hand model"):
        verify(bad)
    with pytest.raises(ModelError, match="cannot be loaded"):
        Landmarker(bad)


def test_a_missing_model_says_what_to_run(tmp_path):
    with pytest.raises(ModelError, match="trainer models fetch"):
        Landmarker(tmp_path / "none.task")


def test_fetch_from_a_missing_path_fails_clearly_and_keeps_the_old_model(tmp_path, model_path):
    dest = tmp_path / "hand_landmarker.task"
    dest.write_bytes(model_path.read_bytes())
    with pytest.raises(ModelError, match="no such model file"):
        fetch(dest, source=str(tmp_path / "missing.task"))
    assert verify(dest).origin.startswith("built from")


def test_fetch_from_the_official_file(tmp_path):
    official = require(SHARED / "models" / "hand_landmarker.task", "reference model")
    check = fetch(tmp_path / "m.task", source=str(official))
    assert check.sha256 == OFFICIAL_SHA256
    assert check.origin == "official bundle"


def _thumb(lm: Landmarker, rgb: np.ndarray) -> np.ndarray | None:
    hands = lm.detect(rgb)
    if not len(hands):
        return None
    h, w = rgb.shape[:2]
    return hands.landmarks[0, 4, :2] * [w, h]


def test_built_model_matches_the_official_one_on_every_photo(footage, model_path):
    official = require(SHARED / "models" / "hand_landmarker.task", "reference model")
    photos = sorted((footage / "photos").iterdir())
    assert len(photos) == 20  # as ../shared/footage/README.md lists them
    missed = []
    with Landmarker(model_path, video=False) as ours, Landmarker(official, video=False) as ref:
        for path in photos:
            rgb = photo(path)
            a, b = _thumb(ours, rgb), _thumb(ref, rgb)
            assert (a is None) == (b is None), path.name
            if a is None:
                missed.append(path.name)
            else:
                assert np.linalg.norm(a - b) <= 1.0, path.name
    # The footage README's two hard cases: a 3000x4000 close-up, and one found only padded.
    assert missed == ["mpgesture_four_07a5a144.jpg", "mpsamples_hand_victory.jpg"]
