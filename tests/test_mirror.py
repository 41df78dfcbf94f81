"""The mirrored preview: frames tracked and judged as filmed and shown flipped, left and right
in the cues as seen; and the settings that choose it and scale the guided clock."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import ROOT, require
from trainer.capture.video import read_frames
from trainer.core.base.errors import TrainerError
from trainer.core.base.settings import Settings
from trainer.core.technique import load_technique
from trainer.practice.live import LivePractice
from trainer.practice.pool import TrackerPool

OFF_LINE = ROOT / "sample_videos" / "neck-back-stroke_off_line.mp4"


def run(video, mirror: bool, pool: TrackerPool):
    """Every frame through a live session; the cues said and the session's review and track."""
    neck = load_technique("neck-back-stroke")
    # The path stays fixed: this is about left and right, not about following the body part.
    session = LivePractice(neck, None, pool, follow=False, mirror=mirror)
    cues, shown = set(), None
    for f in read_frames(video):
        shown = session.process(f.rgb, f.t)
        cues.add(session.snapshot().state.cue)
    return cues, session.finish(), session.track(), shown


@pytest.fixture(scope="module")
def both(model_path):
    # The sample's thumb runs 0.25 path lengths right of the line in the video as recorded.
    video = require(OFF_LINE, "sample videos")
    pool = TrackerPool(model_path=model_path)
    yield run(video, False, pool), run(video, True, pool)
    pool.close()


def test_left_and_right_follow_the_picture_the_user_sees(both):
    (raw_cues, raw_review, _, _), (cues, review, _, _) = both
    assert "Stay on the line: you are drifting toward the right of the picture." in raw_cues
    assert "Stay on the line: you are drifting toward the left of the picture." in cues
    assert not any("right of the picture" in c for c in cues)
    assert raw_review.strokes[0].feedback[0].endswith("toward the right of the picture.")
    assert review.strokes[0].feedback[0].endswith("toward the left of the picture.")
    assert len(review.strokes) == len(raw_review.strokes) == 3


def test_the_mirrored_session_tracks_the_frames_as_filmed_and_shows_them_flipped(both):
    (_, _, raw_track, raw_shown), (_, _, track, shown) = both
    assert {k: track.meta[k] for k in ("source", "mirrored")} == {
        "source": "webcam",
        "mirrored": True,
    }
    # The same points whatever the mirror: the track is of the picture as filmed (within the
    # tracker's jitter from one run to the next; flipped, they would be 100s of px apart).
    seen = ~np.isnan(raw_track.thumb_px[:, 0]) & ~np.isnan(track.thumb_px[:, 0])
    assert seen.mean() > 0.9
    gap = np.hypot(*(track.thumb_px[seen] - raw_track.thumb_px[seen]).T)
    assert np.median(gap) < 2.0
    assert shown.flags.c_contiguous and shown.shape == (track.height, track.width, 3)
    # What is shown is the other's picture flipped (the drawing's text aside: compare the
    # bottom-left quarter, the camera's own pixels under no HUD in either).
    h, w = shown.shape[:2]
    flipped = raw_shown[:, ::-1]
    quarter = (slice(h // 2, h), slice(0, w // 4))
    assert np.mean(np.abs(shown[quarter].astype(int) - flipped[quarter].astype(int)) < 8) > 0.9


def test_settings_mirror_by_default_and_read_the_clock_scale():
    s = Settings.from_env({"TRAINER_DATA_DIR": "/tmp/x"})
    assert s.mirror is True and s.clock_scale == 1.0
    s = Settings.from_env({"TRAINER_MIRROR": "off", "TRAINER_CLOCK_SCALE": "30"})
    assert s.mirror is False and s.clock_scale == 30.0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRAINER_CLOCK_SCALE": "fast"}, "TRAINER_CLOCK_SCALE must be a number, got 'fast'"),
        ({"TRAINER_CLOCK_SCALE": "-2"}, "TRAINER_CLOCK_SCALE must be positive, got -2"),
        ({"TRAINER_CLOCK_SCALE": "nan"}, "TRAINER_CLOCK_SCALE must be positive, got nan"),
        ({"TRAINER_MIRROR": "maybe"}, "TRAINER_MIRROR must be 1 or 0 (on or off), got 'maybe'"),
    ],
)
def test_bad_settings_are_one_line(env, message):
    with pytest.raises(TrainerError) as err:
        Settings.from_env(env)
    assert str(err.value) == message or str(err.value).startswith(message)
