"""The command line: output shapes, and bad input as one clear line with exit code 2."""

import json
import subprocess
import sys

import numpy as np
import pytest

from trainer.capture.video import VideoWriter
from trainer.cli import main


def test_track_json_has_the_promised_fields(footage, model_path, capsys):
    clip = footage / "videos" / "open_hand_reach.mp4"
    assert main(["track", str(clip), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["video"]["frames"] == 202
    assert (out["video"]["width"], out["video"]["height"]) == (640, 360)
    assert out["video"]["fps"] == pytest.approx(25)
    assert out["video"]["duration_s"] == pytest.approx(8.08, abs=0.05)
    assert out["detected_fraction"] == 1.0  # the footage README: found in 100% of frames
    assert len(out["frames"]) == 202
    first = out["frames"][0]
    assert first["t"] == 0 and 0 <= first["thumb"][0] <= 1 and 0 <= first["thumb"][1] <= 1


def test_track_writes_a_file_and_prints_a_summary(footage, model_path, tmp_path, capsys):
    clip = footage / "videos" / "dim_hand_in_out.mp4"
    out_file = tmp_path / "track.json"
    # As the footage README measured it: without brightening dark frames for the model.
    assert main(["track", str(clip), "-o", str(out_file), "--no-exposure"]) == 0
    summary, found, _speed, written = capsys.readouterr().out.strip().split("; ")
    # The footage README: 227 frames of 858x480, the hand found in 45% of them.
    assert summary.startswith("dim_hand_in_out.mp4: 227 frames, 858x480, ")
    assert (found, written) == ("hand found in 45% of frames", f"written to {out_file}")
    data = json.loads(out_file.read_text())
    assert sum(f["thumb"] is None for f in data["frames"]) > 50  # the hand is often away


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such file"),
        (b"", "the file is empty (0 bytes)"),
        (b"hello, not a video\n" * 40, "not a video file, or truncated beyond repair"),
    ],
)
def test_bad_video_is_one_line_and_exit_code_2(tmp_path, content, words):
    path = tmp_path / "clip.mp4"
    if content is not None:
        path.write_bytes(content)
    done = _run_cli("track", str(path))
    assert done.returncode == 2
    assert done.stderr == f"trainer: {path}: {words}\n"


def test_models_check_reports_the_build(model_path):
    done = _run_cli("models", "check")
    assert done.returncode == 0
    assert "built from mediapipe==0.10.21" in done.stdout


def test_review_of_a_video_without_a_hand_says_so(tmp_path, model_path):
    video = tmp_path / "wall.mp4"
    with VideoWriter(video, 10, 320, 240) as w:
        for _ in range(20):
            w.write(np.full((240, 320, 3), 120, np.uint8))
    done = _run_cli("review", str(video), "--technique", "foot-spine-line")
    assert done.returncode == 2
    assert done.stderr == (
        "trainer: wall.mp4: no hand found (hand seen in none of 20 frames). Film the hand doing"
        " the stroke, in good light, the whole hand in view.\n"
    )
