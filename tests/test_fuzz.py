"""Fuzzing every reader with hostile files (issue 13): JSON for tracks, reviews and
calibrations, TOML for techniques and routines, and mutated videos (truncated, bit-flipped,
retimed).

The property, for every file: exit code 0 or 2, at most one line on stderr, no traceback;
in a process of its own, peak memory under a limit and time under a limit. `make test` runs
a fixed budget of examples; `make fuzz` (TRAINER_FUZZ=long) forty times as many.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
import os
import tempfile
import tracemalloc
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hostile import SAMPLE, run_trainer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_hostile_input import motion, review_json, track_json, truth_json, two_hands_json

import trainer.analysis.material
import trainer.analysis.video
import trainer.overlay.plots
from trainer.cli import main
from trainer.core.base.errors import RoutineError, TechniqueError
from trainer.core.routine import load_routine, load_routine_file
from trainer.core.technique import load_technique, load_technique_file

pytestmark = pytest.mark.fuzz

LONG = os.environ.get("TRAINER_FUZZ") == "long"
MAX_TRACED_MB = 256  # Python and numpy memory of one in-process run
MAX_RSS_MB = 1500  # a whole process, MediaPipe included (about 300 MB at rest)
MAX_SECONDS = 120
# Imported here, so memory measured in a run is the run's own, not the first import's.
IMPORTED = (trainer.overlay.plots, trainer.analysis.video, trainer.analysis.material)


def budget(examples: int) -> settings:
    return settings(
        max_examples=examples * (40 if LONG else 1),
        deadline=timedelta(seconds=MAX_SECONDS),
        suppress_health_check=list(HealthCheck),
        database=None,
    )


# --- strategies -----------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 1, 2**31, 2**63, 10**400, -(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e400, -1e400, 1e-320, 1e308]),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=20))
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=10), inner, max_size=6)
    ),
    max_leaves=30,
)


def _paths(value, prefix=()):
    """Paths to every node of a JSON value (the first three items of each list)."""
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value[:3]):
            yield from _paths(inner, (*prefix, index))


@st.composite
def mutated(draw, document: dict):
    """The document with one node replaced, removed or wrapped, or its text cut or nested."""
    doc = json.loads(json.dumps(document))
    how = draw(st.sampled_from(["replace", "replace", "remove", "wrap", "text"]))
    if how == "text":
        text = json.dumps(doc)
        cut = draw(st.integers(0, len(text)))
        tail = draw(st.sampled_from(["", "[" * 5000, "]", '"', "\x00", "\ud800", "NaN"]))
        return text[:cut] + tail
    path = draw(st.sampled_from(list(_paths(doc))[1:]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if how == "remove":
        del parent[path[-1]]
    elif how == "wrap":
        parent[path[-1]] = [parent[path[-1]]]
    else:
        parent[path[-1]] = draw(JSON_VALUES)
    return json.dumps(doc)  # writes NaN, Infinity and 400-digit numbers as they come


def _documents():
    track = track_json(n=90)
    review = review_json()
    calibration = {"technique": "foot-spine-line", "points": [[0.2, 0.6], [0.5, 0.5], [0.8, 0.6]]}
    return track, review, calibration


def _more_documents():
    """Two hands in a track and in a truth file; a review whose path followed the body."""
    truth = truth_json(lambda i: [[140.0 + 3 * i, 290, 120, 330], [500, 100, 520, 160]])
    moving = {**review_json(), "path_motion": motion(150), "body_lost": [[1.0, 2.0]]}
    return two_hands_json(n=90), truth, json.loads(json.dumps(moving))


TRACK, REVIEW, CALIBRATION = _documents()
HANDS, TRUTH, MOVING = _more_documents()


# --- the property ---------------------------------------------------------------------------


def run_in_process(argv: list[str]) -> None:
    """Run the command; exit 0 or 2, one line at most on stderr, bounded Python memory."""
    err = io.StringIO()
    tracemalloc.start()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(argv)
            except SystemExit as exit_:
                code = exit_.code
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    text = err.getvalue()
    assert code in (0, 2), (code, text)
    assert len(text.splitlines()) <= 1 and "Traceback" not in text, text
    assert peak < MAX_TRACED_MB * 2**20, f"{peak / 2**20:.0f} MB for {argv}"


def check_process(*args: object) -> None:
    """Run the command in a process of its own: the property plus its peak memory and time."""
    run = run_trainer(*args, timeout=MAX_SECONDS)
    assert run.code is not None, f"still running after {MAX_SECONDS} s: {args}"
    assert run.clean(), run
    assert run.peak_mb < MAX_RSS_MB, f"{run.peak_mb:.0f} MB: {args}"


@contextlib.contextmanager
def workspace():
    """A folder with a good track, a good review and its own data directory."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "track.json").write_text(json.dumps(TRACK))
        (folder / "review.json").write_text(json.dumps(REVIEW))
        old = os.environ.get("TRAINER_DATA_DIR")
        os.environ["TRAINER_DATA_DIR"] = str(folder / "data")
        try:
            yield folder
        finally:
            if old is None:
                del os.environ["TRAINER_DATA_DIR"]
            else:
                os.environ["TRAINER_DATA_DIR"] = old


def commands(folder: Path, hostile: Path) -> list[list[str]]:
    """Every command that reads a JSON file, given the hostile one."""
    good_track, good_review = str(folder / "track.json"), str(folder / "review.json")
    technique = ["--technique", "foot-spine-line"]
    return [
        ["review", str(hostile), *technique, "--json"],
        ["review", good_track, *technique, "--calibration", str(hostile)],
        ["save", str(hostile), "--person", "Ann"],
        ["compare", str(hostile), good_review],
    ]


# --- JSON -----------------------------------------------------------------------------------


@budget(30)
@given(
    st.one_of(
        mutated(TRACK),
        mutated(REVIEW),
        mutated(CALIBRATION),
        mutated(HANDS),
        mutated(TRUTH),
        mutated(MOVING),
        JSON_VALUES.map(json.dumps),
    )
)
def test_every_json_reader_takes_any_file(text):
    with workspace() as folder:
        hostile = folder / "hostile.json"
        hostile.write_text(text, encoding="utf-8", errors="surrogatepass")
        for argv in commands(folder, hostile):
            run_in_process(argv)


@budget(3)
@given(st.one_of(mutated(TRACK), mutated(REVIEW)))
def test_a_process_reading_a_hostile_json_stays_bounded(text):
    with workspace() as folder:
        hostile = folder / "hostile.json"
        hostile.write_text(text, encoding="utf-8", errors="surrogatepass")
        check_process("review", hostile, "--technique", "foot-spine-line")


# --- techniques and routines (TOML) ---------------------------------------------------------

TECHNIQUE_TEXT = Path(load_technique("foot-spine-line").path).read_text(encoding="utf-8")


@budget(60)
@given(
    st.integers(0, len(TECHNIQUE_TEXT)),
    st.integers(0, 40),
    st.text(max_size=40),
)
def test_a_technique_file_is_read_or_refused_never_crashes(at, cut, insert):
    text = TECHNIQUE_TEXT[:at] + insert + TECHNIQUE_TEXT[at + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "foot-spine-line.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        with contextlib.suppress(TechniqueError):
            load_technique_file(path)


ROUTINE_TEXT = Path(load_routine("neck-and-back").path).read_text(encoding="utf-8")
# What a hand-edited routine gets wrong: numbers TOML reads as inf or nan, a lone surrogate
# (not UTF-8 once written), brackets and tables out of place.
ROUTINE_PIECES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["inf", "-inf", "nan", "-0.0", "1e400", "\ud800", "[[", "]]", "[exercises]"]),
)


@budget(60)
@given(st.integers(0, len(ROUTINE_TEXT)), st.integers(0, 40), ROUTINE_PIECES)
def test_a_routine_file_is_read_or_refused_never_crashes(at, cut, insert):
    text = ROUTINE_TEXT[:at] + insert + ROUTINE_TEXT[at + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "neck-and-back.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        run_in_process(["routines", str(path)])
        with contextlib.suppress(RoutineError):
            routine = load_routine_file(path)
            for exercise in routine.exercises:  # what a read routine promises its users
                assert all(map(math.isfinite, exercise.seconds))
                assert 0 < exercise.minutes[0] <= exercise.minutes[1]
            assert math.isfinite(routine.first_session_max_s) and routine.first_session_max_s > 0


# --- videos ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> bytes:
    """Two seconds of the sample (a real stroke), small: the video the mutations start from."""
    from trainer.capture.video import VideoWriter, read_frames

    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    with VideoWriter(path, 25, 320, 180) as writer:
        for frame in itertools.islice(read_frames(SAMPLE), 50):
            writer.write(np.ascontiguousarray(frame.rgb[::2, ::2]), frame.t)
    return path.read_bytes()


# Steps between frames, seconds; at least 2 ms, which Matroska's millisecond clock can hold
# (closer frames are what a bit flip in a time stamp gives, and "flip" makes those).
STEPS = st.one_of(
    st.floats(2e-3, 2.0),
    st.sampled_from([2e-3, 1 / 30, 59.0, 61.0, 1e4, 1e7, 1e9]),
)


@st.composite
def broken_video(draw, original: bytes):
    """(suffix, bytes): the clip truncated, bit-flipped, overwritten, or retimed (times)."""
    how = draw(st.sampled_from(["truncate", "flip", "overwrite", "retime"]))
    data = bytearray(original)
    if how == "truncate":
        return ".mp4", bytes(data[: draw(st.integers(0, len(data) - 1))])
    if how == "flip":
        for _ in range(draw(st.integers(1, 64))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 7))
        return ".mp4", bytes(data)
    if how == "overwrite":
        at = draw(st.integers(0, len(data) - 1))
        junk = draw(st.binary(min_size=1, max_size=512))
        data[at : at + len(junk)] = junk
        return ".mp4", bytes(data)
    return ".mkv", draw(st.lists(STEPS, min_size=1, max_size=49))


def materialize(kind: tuple[str, object], original: bytes, folder: Path) -> Path:
    """Write the broken video; a retimed one is re-encoded with the drawn frame steps."""
    suffix, content = kind
    path = folder / f"broken{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
        return path
    from trainer.capture.video import VideoWriter, read_frames

    source = folder / "clip.mp4"
    source.write_bytes(original)
    times = np.concatenate([[0.0], np.cumsum(content)])
    try:
        with VideoWriter(path, 25, 320, 180) as writer:
            for frame, t in zip(read_frames(source), times, strict=False):
                writer.write(frame.rgb, float(t))
    except Exception:  # the encoder refuses some time stamps outright: not our input then
        assume(False)
    return path


@budget(8)
@given(data=st.data())
def test_a_broken_video_is_reviewed_or_refused(clip, model_path, data):
    with tempfile.TemporaryDirectory() as tmp:
        video = materialize(data.draw(broken_video(clip)), clip, Path(tmp))
        run_in_process(["review", str(video), "--technique", "foot-spine-line"])


@budget(3)
@given(data=st.data())
def test_a_process_reviewing_a_broken_video_stays_bounded(clip, model_path, data):
    with tempfile.TemporaryDirectory() as tmp:
        video = materialize(data.draw(broken_video(clip)), clip, Path(tmp))
        check_process("review", video, "--technique", "foot-spine-line")
