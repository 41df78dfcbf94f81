import json

import numpy as np
import pytest

from conftest import ROOT, require
from helpers import pass_frames, session
from job_helpers import handless_video
from trainer.analysis.material import material_from_file
from trainer.capture.video import probe, read_frames
from trainer.cli import main
from trainer.core.track import Track

FOOT_GUIDE = [[0.22, 0.60], [0.50, 0.53], [0.78, 0.58]]


@pytest.fixture
def track_file(tmp_path):
    path = tmp_path / "track.json"
    track = session(FOOT_GUIDE, passes=3, offset=0.25)
    path.write_text(json.dumps({"video": {}, "track": track.to_dict()}))
    return path


def _saved(path, obj):
    path.write_text(json.dumps(obj))
    return path


def test_techniques_lists_one_line_each(capsys):
    assert main(["techniques"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = "foot-spine-line neck-back-stroke neck-circles neck-front-stroke spine-pinch"
    assert [line.split()[0] for line in lines] == names.split()
    # The source in words, not the project's seed numbers.
    assert lines[0].endswith("(from a guide to foot massage for back pain)")
    assert not any("seed" in line or "[" in line for line in lines)


def test_review_of_a_saved_track_as_json(track_file, capsys):
    assert main(["review", str(track_file), "--technique", "foot-spine-line", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["technique"] == "foot-spine-line" and out["score"] < 80
    assert len(Track.from_dict(out["track"])) == len(
        json.loads(track_file.read_text())["track"]["t"]
    )
    material = material_from_file(_saved(track_file.parent / "review.json", out))
    assert material.technique == "foot-spine-line" and len(material.profiles()) == 3
    assert out["faults"] == ["off_line", "exercise_short"]
    assert out["feedback"][0] == "Stay on the line: you drifted toward the sole (3 of 3 strokes)."
    assert len(out["strokes"]) == 3
    for s in out["strokes"]:
        assert s["direction_ok"] is True and s["mean_offset"] == pytest.approx(0.25, abs=0.01)
        assert 0 < s["start_s"] < s["end_s"] and s["start_index"] < s["end_index"]
        assert s["coverage"] > 0.9 and s["feedback"]


def test_readable_report_shows_the_parts_and_what_to_fix(track_file, capsys):
    assert main(["review", str(track_file), "--technique", "foot-spine-line"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("foot-spine-line: 45/100 (3 strokes, 0 good")
    assert "  path           0  x 0.15 =   0.0" in out
    assert "What to work on:\n  1. Stay on the line" in out


def test_a_marked_line_or_calibration_file_moves_the_path(track_file, tmp_path, capsys):
    # The track runs 0.25 path lengths below the guide: mark the line from where its passes
    # start to where they end, and they are on it (the guide's bend is within tolerance).
    first, end = pass_frames(passes=1)[0]
    shifted = session(FOOT_GUIDE, passes=1, offset=0.25).thumb_px[[first, end - 1]] / [640, 480]
    line = ",".join(f"{v:.4f}" for v in shifted.ravel())
    args = ["review", str(track_file), "--technique", "foot-spine-line", "--json"]
    assert main([*args, "--line", line]) == 0
    on_the_line = json.loads(capsys.readouterr().out)
    assert (on_the_line["faults"], on_the_line["stroke_count"]) == (["exercise_short"], 3)
    cal = tmp_path / "cal.json"
    cal.write_text(json.dumps({"technique": "foot-spine-line", "points": FOOT_GUIDE}))
    assert main([*args, "--calibration", str(cal)]) == 0
    assert json.loads(capsys.readouterr().out)["faults"] == ["off_line", "exercise_short"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--technique", "nope"],
            "unknown technique 'nope'; known: foot-spine-line, neck-back-stroke, neck-circles,"
            " neck-front-stroke, spine-pinch",
        ),
        (
            ["--technique", "foot-spine-line", "--line", "1,2"],
            "--line wants x1,y1,x2,y2 as four numbers, got '1,2'",
        ),
        (
            ["--technique", "foot-spine-line", "--calibration", "/no/such.json"],
            "/no/such.json: cannot read calibration (No such file or directory)",
        ),
        (
            ["--technique", "neck-back-stroke", "--calibration", "CAL"],
            "this calibration is for 'foot-spine-line', not 'neck-back-stroke'",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(track_file, tmp_path, capsys, extra, message):
    cal = tmp_path / "cal.json"
    cal.write_text(json.dumps({"technique": "foot-spine-line", "points": FOOT_GUIDE}))
    extra = [str(cal) if e == "CAL" else e for e in extra]
    assert main(["review", str(track_file), *extra]) == 2
    assert capsys.readouterr().err == f"trainer: {message}\n"


def test_broken_track_files_are_refused(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    for content, message in [
        ("{", "not valid JSON (Expecting property name enclosed in double quotes, line 1)"),
        (
            '{"a": 1}',
            "not a track (expected the JSON of `trainer track --json` or a sample's truth)",
        ),
    ]:
        bad.write_text(content)
        assert main(["review", str(bad), "--technique", "foot-spine-line"]) == 2
        assert capsys.readouterr().err == f"trainer: {bad}: {message}\n"


def test_a_samples_ground_truth_reads_as_a_track(tmp_path, capsys):
    track = session(FOOT_GUIDE, passes=2)
    frames = [
        {"t": float(t), "thumb_px": list(map(float, p)), "thumb": None, "stroke": None}
        for t, p in zip(track.t, track.thumb_px, strict=True)
    ]
    truth = {"technique": "foot-spine-line", "case": "correct", "fps": 30}
    truth |= {"width": 640, "height": 480, "frames": frames}
    path = tmp_path / "foot-spine-line_correct.json"
    path.write_text(json.dumps(truth))
    assert main(["review", str(path), "--technique", "foot-spine-line", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == 100  # two passes along the guide


@pytest.mark.footage
def test_review_of_real_footage_end_to_end(footage, model_path, capsys):
    video = footage / "videos" / "finger_press_desk_cam0.mp4"
    assert main(["review", str(video), "--technique", "foot-spine-line", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert 0 <= out["score"] <= 100 and out["feedback"]
    # A finger moving about on a desk is no foot massage: it must not pass as one.
    assert out["score"] < 80
    for s in out["strokes"]:
        assert 0 <= s["start_index"] < s["end_index"] <= 378


def test_a_line_outside_the_frame_is_one_clear_message(track_file, capsys):
    argv = ["review", str(track_file), "--technique", "foot-spine-line", "--line"]
    assert main([*argv, "0.2,0.5,1.4,0.5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "the path's end (1.4, 0.5) falls outside the frame" in err


def test_a_calibration_file_in_pixels_is_one_clear_message(track_file, tmp_path, capsys):
    pixels = _saved(tmp_path / "c.json", {"points": [[140, 290], [500, 280]]})
    argv = ["review", str(track_file), "--technique", "foot-spine-line"]
    assert main([*argv, "--calibration", str(pixels)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the path's start (140, 290) falls outside the frame" in err


SAMPLE = ROOT / "sample_videos" / "foot-spine-line_correct.mp4"


def _truth_calibration(tmp_path):
    truth = json.loads(SAMPLE.with_suffix(".json").read_text())
    return _saved(tmp_path / "calibration.json", truth["calibration"])


def test_review_writes_the_annotated_video_the_review_page_shows(tmp_path, capsys):
    video = require(SAMPLE, "sample videos (make samples)")
    out = tmp_path / "drawn.mp4"
    calibration = _truth_calibration(tmp_path)
    args = ["review", str(video), "--technique", "foot-spine-line", "--json"]
    assert main([*args, "--calibration", str(calibration), "--annotated", str(out)]) == 0
    captured = capsys.readouterr()
    review = json.loads(captured.out)  # stdout stays the review alone
    assert captured.err.strip().endswith(f"wrote {out}")
    assert [s["direction_ok"] for s in review["strokes"]] == [True, True, True]
    info, src = probe(out), probe(video)
    assert info.codec == "h264"
    assert (info.width, info.height, info.frames) == (src.width, src.height, src.frames)
    middle = src.frames // 2
    a = next(f.rgb for f in read_frames(video) if f.index == middle)
    b = next(f.rgb for f in read_frames(out) if f.index == middle)
    changed = np.abs(a.astype(int) - b).max(axis=2) > 40
    assert changed[:60, :150].mean() > 0.2  # the score and count, top left
    assert changed[-30:].mean() > 0.3  # the cue band along the bottom
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calibration.json", "drawn.mp4"]


def test_a_failed_review_leaves_the_annotated_file_as_it_was(tmp_path, capsys):
    video = handless_video(tmp_path / "wall.mp4")
    out = tmp_path / "drawn.mp4"
    out.write_bytes(b"last week's video")
    args = ["review", str(video), "--technique", "foot-spine-line", "--annotated", str(out)]
    assert main(args) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert out.read_bytes() == b"last week's video"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drawn.mp4", "wall.mp4"]


def test_annotated_needs_the_video_and_an_mp4_name(track_file, tmp_path, capsys):
    args = ["review", str(track_file), "--technique", "foot-spine-line"]
    assert main([*args, "--annotated", str(tmp_path / "drawn.mp4")]) == 2
    assert "give the video itself" in capsys.readouterr().err
    video = require(SAMPLE, "sample videos (make samples)")
    args = ["review", str(video), "--technique", "foot-spine-line"]
    assert main([*args, "--annotated", str(tmp_path / "drawn.avi")]) == 2
    assert "unknown extension for the annotated video (use .mp4)" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["track.json"]
