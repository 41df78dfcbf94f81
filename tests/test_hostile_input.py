"""Hostile input (issue 13): timestamps, unbounded reads, values out of range, wrong shapes,
ids. Each case ends in exit code 2 and one line naming the file and the field, with bounded
memory; each failed before the fix (a traceback, a hang or a memory blow-up)."""

from __future__ import annotations

import itertools
import json
import os
import tracemalloc

import numpy as np
import pytest
from hostile import SAMPLE, run_trainer, tiny_video

from trainer.cli import main
from trainer.core.hands import HandTracks
from trainer.core.judging.streaming import judge_track
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.documents.decoding import review_from_json, track_from_json

TECHNIQUE = ["--technique", "foot-spine-line"]


def track_json(n: int = 120, **change) -> dict:
    """A track of a thumb sliding steadily along the foot's guide, as `Track.to_dict()`."""
    t = np.arange(n) / 30.0
    xy = [[140.0 + 3 * i, 290.0] for i in range(n)]
    return {**Track.from_points(t, xy, 640, 480, 30.0).to_dict(), **change}


def refused(capsys, argv: list, *words: str) -> str:
    """Run the command in-process: exit 2 and one line on stderr holding words."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exit_:  # argparse's refusals
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


# --- timestamps -----------------------------------------------------------------------------


def test_a_gap_inside_a_stroke_costs_no_memory_for_the_missing_time():
    """A stroke across a 3000 s jump of the clock: the old resampling filled the jump with
    150,000 samples a second's worth of arrays (about 100 MB); gaps are gaps now."""
    t = np.arange(120) / 30.0
    t[60:] += 3000.0
    track = Track.from_points(t, [[140.0 + 3 * i, 290.0] for i in range(120)], 640, 480, 30.0)
    technique = load_technique("foot-spine-line")
    tracemalloc.start()
    try:
        result = judge_track(track, technique)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.strokes) + len(result.others) >= 1  # the stroke spans the gap
    assert peak < 8e6, f"{peak / 1e6:.0f} MB for a review of 120 frames"


def test_a_track_with_a_huge_gap_is_refused_naming_the_field(tmp_path, capsys):
    data = track_json()
    data["t"] = data["t"][:60] + [x + 1e9 for x in data["t"][60:]]
    refused(capsys, ["review", write(tmp_path, "gap.json", data), *TECHNIQUE], '"t"', "gap")


def test_a_video_with_a_huge_gap_is_refused_in_bounded_memory(tmp_path):
    """A clip whose timestamps jump by 1e7 s mid-stroke: the old review asked for 3.7 GiB."""
    from trainer.capture.video import VideoWriter, read_frames

    video = tmp_path / "gap.mkv"
    with VideoWriter(video, 25, 640, 360) as writer:
        for frame in itertools.islice(read_frames(SAMPLE), 120):
            writer.write(frame.rgb, frame.t + (1e7 if frame.index >= 60 else 0.0))
    run = run_trainer("review", video, *TECHNIQUE)
    assert run.clean() and run.code == 2, run
    assert "TRAINER_MAX_VIDEO_S" in run.err and str(video) in run.err
    assert run.peak_mb < 800


# --- unbounded reads ------------------------------------------------------------------------


def test_dev_zero_and_a_folder_are_refused_before_reading(tmp_path, capsys):
    track = write(tmp_path, "t.json", track_json())
    for where in ("/dev/zero", str(tmp_path)):
        refused(capsys, ["review", track, *TECHNIQUE, "--calibration", where], where)


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "track.json"
    os.mkfifo(fifo)
    run = run_trainer("review", fifo, *TECHNIQUE, timeout=60)
    assert run.code == 2 and run.clean(), run
    assert "not a regular file" in run.err


def test_deep_nesting_and_files_over_the_size_cap_are_refused(tmp_path, capsys, monkeypatch):
    deep = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    refused(capsys, ["review", deep, *TECHNIQUE], "deep.json", "nested deeper than 32")
    monkeypatch.setenv("TRAINER_MAX_JSON_MB", "0.5")
    big = write(tmp_path, "big.json", track_json(n=2000))
    refused(
        capsys, ["review", big, *TECHNIQUE], "big.json", "larger than 0.5 MB (TRAINER_MAX_JSON_MB)"
    )


# --- values out of range --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"handedness": [1000] * 120}, '"handedness"'),
        ({"width": "1e400"}, '"width"'),
        ({"width": "9" * 400}, '"width"'),
        ({"t": [None] + [i / 30 for i in range(1, 120)]}, '"t"'),
        ({"t": [str(i / 30) for i in range(120)]}, '"t"'),
        ({"confidence": [2.5] * 120}, '"confidence"'),
        ({"thumb_px": [[1e300, 1.0]] * 120}, '"thumb_px"'),
    ],
)
def test_out_of_range_track_values_are_refused_naming_the_field(tmp_path, capsys, change, field):
    raw = {k: v for k, v in change.items() if isinstance(v, str) and k == "width"}
    text = json.dumps(track_json(**{k: v for k, v in change.items() if k not in raw}))
    for key, literal in raw.items():  # numbers json.dumps cannot write: 1e400, 400 digits
        text = text.replace(f'"{key}": 640', f'"{key}": {literal}')
    refused(capsys, ["review", write(tmp_path, "t.json", text), *TECHNIQUE], field, "t.json")


# --- wrong shapes in review JSON ------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path / "data"


def review_json() -> dict:
    track = Track.from_dict(track_json(n=150))
    return {
        **judge_track(track, load_technique("foot-spine-line")).to_dict(),
        "track": track.to_dict(),
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.update(strokes=["a stroke"]), 'field "strokes[0]" must be an object'),
        (lambda r: r["strokes"][0].pop("start_index"), '"strokes[0].start_index"'),
        (lambda r: r.update(score=[90]), 'field "score" must be a finite number'),
        (lambda r: r.update(score="90"), 'field "score" must be a finite number'),
        (lambda r: r["strokes"][0].update(end_index=10**6), '"strokes[0].end_index"'),
    ],
)
def test_a_garbage_review_is_neither_saved_nor_compared(tmp_path, capsys, data_dir, change, field):
    good = review_json()
    assert good["strokes"], "the review must hold a stroke to break"
    bad = json.loads(json.dumps(good))
    change(bad)
    path = write(tmp_path, "bad.json", bad)
    refused(capsys, ["save", path, "--person", "Ann"], field, "bad.json")
    other = write(tmp_path, "good.json", good)
    refused(capsys, ["compare", path, other], field)
    assert main(["history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


# --- attempt ids ----------------------------------------------------------------------------


def test_attempt_ids_are_plain_ascii_integers_in_range(tmp_path, capsys, data_dir):
    path = write(tmp_path, "r.json", review_json())
    assert main(["save", path, "--person", "Ann"]) == 0
    assert "saved attempt 1" in capsys.readouterr().out
    refused(capsys, ["compare", "\uff11", path], "\uff11")  # fullwidth 1 is not attempt 1
    refused(capsys, ["compare", "\u00b2", path], "\u00b2")
    refused(capsys, ["compare", "9" * 30, path], "no attempt with id")
    refused(capsys, ["forget", "99999999999999999999"], "not an attempt id")
    refused(capsys, ["forget", "\u00b2"], "not an attempt id")


def test_control_characters_in_keys_and_names_stay_on_one_line(tmp_path, capsys, data_dir):
    bad = review_json()
    bad["strokes"][0]["metrics"]["zone_coverage"] = {"line\nbreak\x1e": None}
    path = write(tmp_path, "bad\nname.json", bad)
    refused(capsys, ["save", path, "--person", "Ann"], "zone_coverage", "\\n")


def test_projecting_a_long_track_on_a_many_point_path_stays_small():
    """A calibration of 64 points and a track of 100,000 frames: projecting all at once made
    (frames x segments) temporaries, about 250 MB; in blocks they stay a few MB."""
    from trainer.core.path.calibration import Calibration

    rng = np.random.default_rng(0)
    points = np.column_stack([np.linspace(0.05, 0.95, 64), 0.5 + 0.1 * rng.uniform(-1, 1, 64)])
    path = Calibration(points).in_pixels(640, 480)
    xy = rng.uniform(0, 640, (100_000, 2))
    tracemalloc.start()
    try:
        s, d = path.project(xy)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert s.shape == d.shape == (100_000,) and np.isfinite(s).all()
    assert peak < 40e6, f"{peak / 1e6:.0f} MB"


# --- several hands, truth files with every hand, the path following the body ----------------


def two_hands_json(n: int = 120, **change) -> dict:
    """A track of two hands, the left one sliding along the guide, the right one resting."""
    t = np.arange(n) / 30.0
    thumbs = np.stack([[[140.0 + 3 * i, 290.0], [500.0, 100.0]] for i in range(n)])
    landmarks = np.random.default_rng(0).uniform(0.1, 0.9, (n, 2, 21, 3))
    hands = HandTracks(
        thumbs,
        landmarks,
        np.full((n, 2), 0.9),
        np.tile(np.array([0, 1], np.int8), (n, 1)),
        np.zeros(n, np.int8),
    )
    d = Track.from_hands(t, hands, 640, 480, 30.0).to_dict()
    d["hands"].update(change)
    return d


def test_a_two_hand_track_reads_back_whole():
    track = track_from_json(two_hands_json(), "t.json")
    assert track.hands is not None and track.hands.count == 2
    assert track.hands.thumb_px[5, 1].tolist() == [500.0, 100.0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"judged": [2] * 120}, '"hands.judged"'),
        ({"judged": [0.5] * 120}, '"hands.judged"'),
        ({"confidence": [[0.9, 0.9, 0.9]] * 120}, '"hands.'),
        ({"confidence": [[0.9] * 9] * 120}, '"hands.confidence" must hold 1 to 8 hands'),
        ({"thumb_px": [[[1.0, 2.0]]] * 120}, '"hands.thumb_px"'),
        ({"thumb_px": [[[1e300, 2.0], [1.0, 2.0]]] * 120}, '"hands.thumb_px"'),
        ({"handedness": [[5, 1]] * 120}, '"hands.handedness"'),
        ({"landmarks": "many"}, '"hands.landmarks"'),
    ],
)
def test_bad_hand_arrays_in_a_track_are_refused_naming_the_field(tmp_path, capsys, change, field):
    path = write(tmp_path, "t.json", two_hands_json(**change))
    refused(capsys, ["review", path, *TECHNIQUE], field, "t.json")


def truth_json(hands_px) -> dict:
    frames = [
        {"t": i / 30.0, "thumb_px": [140.0 + 3 * i, 290.0], "hands_px": hands_px(i)}
        for i in range(120)
    ]
    return {"width": 640, "height": 480, "fps": 30.0, "frames": frames}


def test_a_truth_file_with_every_hand_reads_both_hands():
    track = track_from_json(truth_json(lambda i: [[140.0 + 3 * i, 290, 120, 330], None]), "x")
    assert track.hands is None  # the second hand never shows: a one-hand track
    both = track_from_json(truth_json(lambda i: [[140.0 + 3 * i, 290, 120, 330]] * 2), "x")
    assert both.hands.count == 2 and both.hands.thumb_px[3, 1].tolist() == [149.0, 290.0]


@pytest.mark.parametrize(
    "hands_px",
    [
        lambda i: "two hands",
        lambda i: [[1.0, 2.0, float("nan"), 3.0]],
        lambda i: [[1.0, 2.0, 3.0]],
        lambda i: [[1.0, 2.0, 3.0, 4.0]] * (1 + i % 2),  # a hand more in every other frame
        lambda i: [],
    ],
)
def test_bad_hands_in_a_truth_file_are_refused(tmp_path, capsys, hands_px):
    path = write(tmp_path, "truth.json", truth_json(hands_px))
    refused(capsys, ["review", path, *TECHNIQUE], '"frames[].hands_px"', "truth.json")


def motion(n: int, **change) -> dict:
    return {"transforms": [[[1.0, 0.0, 3.0], [0.0, 1.0, 0.0]]] * n, "lost": [4, 5], **change}


def test_a_review_with_path_transforms_reads_back():
    good = json.loads(json.dumps(review_json()))
    back = review_from_json({**good, "path_motion": motion(150), "body_lost": [[1.0, 2.0]]})
    assert len(back.path_motion) == 150 and back.path_motion.lost[[3, 4, 5, 6]].tolist() == [
        False,
        True,
        True,
        False,
    ]
    assert back.body_lost == ((1.0, 2.0),)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.update(path_motion=motion(149)), "one transform per frame"),
        (lambda r: r.update(path_motion=motion(150, lost=[150])), '"path_motion.lost"'),
        (lambda r: r.update(path_motion=motion(150, lost=[1.5])), '"path_motion.lost"'),
        (
            lambda r: r.update(path_motion={"transforms": [[[0, 0, 1], [0, 0, 1]]] * 150}),
            "invertible",
        ),
        (
            lambda r: r.update(path_motion={"transforms": [[[1, 0, 1], [0, 1]]] * 150}),
            '"path_motion.transforms"',
        ),
        (lambda r: r.update(path_motion={"transforms": "x"}), '"path_motion.transforms"'),
        (lambda r: r.update(body_lost=[[2.0, 1.0]]), '"body_lost"'),
        (lambda r: r.update(body_lost=[[1.0, None]]), '"body_lost"'),
        (lambda r: r["strokes"][0].update(hand="both"), '"strokes[0].hand"'),
    ],
)
def test_bad_path_motion_in_a_review_is_refused(tmp_path, capsys, data_dir, change, field):
    bad = review_json()
    change(bad)
    path = write(tmp_path, "bad.json", bad)
    refused(capsys, ["save", path, "--person", "Ann"], field, "bad.json")


def test_a_video_whose_header_tags_are_not_text_is_read(tmp_path, capsys):
    """A flipped bit in the MP4 brand: PyAV's tag decoding raised UnicodeDecodeError."""
    data = bytearray(tiny_video(tmp_path / "clip.mp4").read_bytes())
    assert data[4:8] == b"ftyp"
    data[8] = 0x80
    (tmp_path / "flipped.mp4").write_bytes(bytes(data))
    assert main(["track", str(tmp_path / "flipped.mp4")]) == 0
    assert "3 frames" in capsys.readouterr().out
