"""The annotated review video: H.264, every frame, the live view drawn on each."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from clips import make_stroke_clip
from conftest import ROOT, require
from trainer.capture.video import probe, read_frames
from trainer.core.base.errors import VideoError
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.documents.files import load_track
from trainer.overlay.annotated_video import render_annotated
from trainer.synth.catalog import load_sample

SAMPLES = ROOT / "sample_videos"


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


@pytest.mark.parametrize(
    ("video", "other"),
    [
        ("foot-spine-line_correct", "foot-spine-line_partial"),  # the video is the longer
        ("foot-spine-line_partial", "foot-spine-line_correct"),  # the track is the longer
    ],
)
def test_a_track_of_another_video_fails_clearly(video, other, tmp_path):
    """The other sample's true track, named as the tracker names its video."""
    mp4 = require(SAMPLES / f"{video}.mp4", "sample videos (make samples)")
    frames = {
        name: len(json.loads((SAMPLES / f"{name}.json").read_text())["frames"])
        for name in (video, other)
    }
    track = replace(load_track(SAMPLES / f"{other}.json"), meta={"source": f"{other}.mp4"})
    assert len(track) == frames[other] != frames[video]
    counted = f"more than {frames[other]}" if frames[video] > frames[other] else frames[video]
    expected = (
        f"the track of {other}.mp4 ({frames[other]} frames) is not of {video}.mp4 "
        f"({counted} frames)"
    )
    out = tmp_path / "o.mp4"
    with pytest.raises(VideoError) as refused:
        render_annotated(mp4, track, load_technique("foot-spine-line"), None, out)
    assert str(refused.value) == expected
    assert not out.exists()


def test_both_hands_are_drawn_each_on_its_side_line_with_its_trail(tmp_path):
    """The two-hand sample's true track: the review judges each hand on its side line, so
    the video draws both side lines (not the path between them) and each hand's trail."""
    from trainer.core.path.calibration import Calibration
    from trainer.core.strokes.two_hands import side_line

    mp4 = require(SAMPLES / "neck-back-stroke_two_hands.mp4", "sample videos (make samples)")
    known = json.loads(mp4.with_suffix(".json").read_text())
    neck = load_technique("neck-back-stroke")
    calibration = Calibration.from_dict(known["calibration"])
    track = load_track(mp4.with_suffix(".json"))
    w, h = track.width, track.height
    out = render_annotated(mp4, track, neck, calibration, tmp_path / "two.mp4")
    # A frame with both thumbs in the lower half (mid-pass), the upper path free of hands.
    at = next(
        i
        for i, f in enumerate(known["frames"])
        if i > 50 and all(p[1] > 0.65 * h for p in f["hands_px"]) and f["stroke"] is not None
    )
    lines = {
        sign: side_line(calibration, sign * neck.side_offset, w, h).points * [w, h]
        for sign in (-1, 1)
    }
    # Where the lines run at a quarter of the way down, clear of the hands.
    y = float(np.interp(0.25, [0, 1], calibration.points[:, 1] * h))
    centre = float(np.interp(y, calibration.points[:, 1] * h, calibration.points[:, 0] * w))
    src, drawn = (
        next(f.rgb for f in read_frames(v) if f.index == at).astype(int) for v in (mp4, out)
    )
    changed = np.abs(drawn - src).max(axis=2) > 60
    row = changed[round(y) - 2 : round(y) + 3].any(axis=0)
    for sign, points in lines.items():
        x = float(np.interp(y, points[:, 1], points[:, 0]))
        assert row[round(x) - 3 : round(x) + 4].any(), f"side line {sign:+d} not drawn"
    assert not row[round(centre) - 3 : round(centre) + 4].any(), "the path itself is drawn"
    # Each hand's trail runs behind its thumb: where the thumb was 0.5 s before is drawn on.
    before = known["frames"][at - round(0.5 * track.fps)]["hands_px"]
    for x, y_, *_ in before:
        assert changed[round(y_) - 2 : round(y_) + 3, round(x) - 2 : round(x) + 3].any()
