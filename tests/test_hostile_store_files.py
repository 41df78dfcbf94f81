"""Files the store owns (issue 13): kept videos named by the store, found only in its videos
folder; a path read from a row is never trusted; only videos are kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from hostile import tiny_video
from test_hostile_input import refused, review_json, track_json, write

from trainer.cli import main
from trainer.core.base.errors import StoreError
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.store.db.engine import make_engine
from trainer.store.store import Store

CALIBRATION = Calibration.from_dict({"points": [[0.22, 0.6], [0.78, 0.58]]})


def keep_one(store: Store, video) -> int:
    return store.save_attempt(
        person="Ann",
        technique="foot-spine-line",
        kind="practice",
        track=Track.from_dict(track_json()),
        calibration=CALIBRATION,
        video=video,
        keep_video=True,
    )


def point_row_at(store: Store, attempt_id: int, path) -> None:
    """What anyone who can write to a shared database could do."""
    engine = make_engine(store.url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE attempts SET video_path = :p WHERE id = :id"),
            {"p": str(path), "id": attempt_id},
        )
    engine.dispose()


def test_a_row_naming_a_file_outside_the_videos_folder_is_not_trusted(tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    with Store(f"sqlite:///{tmp_path / 't.db'}", video_dir=tmp_path / "videos") as store:
        for bad in (victim, "../precious.txt", tmp_path / "videos" / ".." / "precious.txt"):
            aid = keep_one(store, tiny_video(tmp_path / "clip.mp4"))
            point_row_at(store, aid, bad)
            attempt = store.load_attempt(aid)
            assert attempt.video is None and store.kept_video(attempt) is None  # never served
            store.delete_attempt(aid)
            assert victim.read_text() == "keep me"


def test_kept_videos_are_found_from_any_folder_with_a_relative_data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    store = Store(f"sqlite:///{tmp_path / 't.db'}", video_dir=Path("data/videos"))
    aid = keep_one(store, tiny_video(tmp_path / "clip.mp4"))
    kept = list((tmp_path / "data" / "videos").iterdir())
    assert len(kept) == 1
    monkeypatch.chdir(tmp_path / "elsewhere")
    with store.kept_video_file(store.load_attempt(aid)) as found:
        assert found == kept[0]
    store.delete_attempt(aid)
    assert not kept[0].exists()
    store.close()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path / "data"


def test_only_videos_are_kept_under_a_name_the_store_makes(tmp_path, capsys, data_dir):
    review = write(tmp_path, "r.json", review_json())
    fake = tmp_path / "clip.mp4"
    fake.write_text("root:x:0:0:root:/root:/bin/bash\n")
    sneaky = tmp_path / "clip.mp4;rm -rf x"
    shutil.copy(tiny_video(tmp_path / "real.mp4"), sneaky)
    for video, words in [
        ("/etc/passwd", "only videos are kept"),
        (fake, "not a video file"),
        (sneaky, "only videos are kept"),
    ]:
        refused(
            capsys, ["save", review, "--person", "Ann", "--video", video, "--keep-video"], words
        )
    assert not (data_dir / "videos").exists() or not list((data_dir / "videos").iterdir())
    assert main(["save", review, "--person", "Ann", "--video", str(tmp_path / "real.mp4"),
                 "--keep-video"]) == 0  # fmt: skip
    (kept,) = (data_dir / "videos").iterdir()
    assert len(kept.stem) == 32 and kept.suffix == ".mp4"


def test_a_save_that_fails_at_the_reference_step_keeps_no_copy(tmp_path, capsys, data_dir):
    still = review_json()
    still["track"] = Track.from_points([0.0, 0.1], [None, None], 640, 480).to_dict()
    still |= {"strokes": [], "others": []}
    review = write(tmp_path, "still.json", json.loads(json.dumps(still)))
    video = tiny_video(tmp_path / "demo.mp4")
    argv = ["save", review, "--person", "Dee", "--kind", "reference", "--video", video]
    refused(capsys, [*argv, "--keep-video"], "no strokes")
    assert not (data_dir / "videos").exists() or not list((data_dir / "videos").iterdir())


def test_a_stored_track_beyond_the_frame_limit_is_not_unpacked(tmp_path, monkeypatch):
    """A row's track blob (anyone with write access to a shared database can craft one)."""
    with Store(f"sqlite:///{tmp_path / 't.db'}") as store:
        aid = store.save_attempt(
            person="Ann",
            technique="foot-spine-line",
            kind="practice",
            track=Track.from_dict(track_json(n=3000)),
            calibration=CALIBRATION,
        )
        monkeypatch.setenv("TRAINER_MAX_FRAMES", "1000")
        with pytest.raises(StoreError, match=f"attempt {aid} has an unreadable track"):
            store.load_attempt(aid)
