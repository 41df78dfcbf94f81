"""The annotated review video: H.264, every frame, the live view drawn on each."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clips import make_stroke_clip
from trainer.capture.video import probe, read_frames
from trainer.core.errors import VideoError
from trainer.core.track import Track
from trainer.overlay.annotated_video import render_annotated
from trainer.synth.catalog import load_sample


@pytest.fixture(scope="module")
def clip(footage, tmp_path_factory):
    return make_stroke_clip(footage, tmp_path_factory.mktemp("a") / "clip.mp4", passes=1)


def truth_track(clip) -> Track:
    truth = json.loads(clip.with_suffix(".json").read_text())
    frames = truth["frames"]
    return Track.from_points(
        [f["t"] for f in frames],
        [f["thumb_px"] for f in frames],
        truth["width"],
        truth["height"],
        truth["fps"],
    )


def test_annotated_video_is_h264_with_every_frame_drawn_on(clip, tmp_path):
    sample = load_sample(clip)
    track = truth_track(clip)
    calls = []
    out = render_annotated(
        clip,
        track,
        sample.load_technique(),
        sample.calibration,
        tmp_path / "out.mp4",
        progress=lambda d, t: calls.append(d),
    )
    info, src = probe(out), probe(clip)
    assert info.codec == "h264"
    assert (info.width, info.height, info.frames) == (src.width, src.height, src.frames)
    assert calls[-1] == len(track)
    for a, b in zip(read_frames(clip), read_frames(out), strict=True):
        if a.index in (0, len(track) // 2, len(track) - 1):
            changed = np.abs(a.rgb.astype(int) - b.rgb).max(axis=2) > 40
            assert changed[:60, :150].mean() > 0.2  # the HUD, top left
            assert changed[-30:].mean() > 0.3  # the cue band, bottom


def test_a_track_of_another_video_fails_clearly(clip, tmp_path):
    sample = load_sample(clip)
    empty = Track.empty(640, 480, 25)
    with pytest.raises(VideoError, match="no frames to annotate"):
        render_annotated(clip, empty, sample.load_technique(), None, tmp_path / "o.mp4")
