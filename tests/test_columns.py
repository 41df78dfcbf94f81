"""Per-frame results in blocks of columns (issue 13): rows come back as added, and the
video tracker's slot swaps, sightings and stitching work across block boundaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainer.capture.columns import FrameColumns
from trainer.capture.tracker import FrameResult
from trainer.capture.video import VideoInfo
from trainer.capture.video_tracking import _ROW, _Rows, _stitch
from trainer.core.track import LEFT, NO_HAND, RIGHT

SLOTS = 2


def result(k: int, seen: tuple[int, ...] = (0, 1)) -> FrameResult:
    """Frame k: slot s of `seen` holds a hand whose landmarks are all 100 * s + k."""
    thumbs, hands = np.full((SLOTS, 2), np.nan), np.full((SLOTS, 21, 3), np.nan)
    scores, labels = np.full(SLOTS, np.nan), np.full(SLOTS, NO_HAND, np.int8)
    for s in seen:
        hands[s] = 100 * s + k
        thumbs[s] = hands[s, 4, :2]
        scores[s], labels[s] = 0.5 + s / 4, (LEFT, RIGHT)[s]
    return FrameResult(thumbs, hands, scores, labels, seen[0] if seen else -1)


def rows(frames: range, block: int, seen: tuple[int, ...] = (0, 1)) -> _Rows:
    out = _Rows(frames=FrameColumns(_ROW, block=block))
    for k in frames:
        out.add(k / 25, result(k, seen))
    return out


def expected(frames: range, seen: tuple[int, ...] = (0, 1)) -> dict[str, np.ndarray]:
    results = [result(k, seen) for k in frames]
    return {
        "t": np.array([k / 25 for k in frames]),
        "hands": np.array([r.hands for r in results]),
        "scores": np.array([r.scores for r in results]),
        "labels": np.array([r.labels for r in results], dtype=np.int8),
    }


def same(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert got.keys() == want.keys()
    for name, column in want.items():
        assert got[name].dtype == column.dtype, name
        np.testing.assert_array_equal(got[name], column, err_msg=name)


@pytest.mark.parametrize("n", [0, 1, 3, 4, 10, 12])
def test_rows_across_blocks_come_back_as_added(n):
    part = rows(range(n), block=4)
    assert len(part.frames) == n
    views = list(part.frames.blocks())
    assert [len(b["t"]) for b in views] == [4] * (n // 4) + ([n % 4] if n % 4 else [])
    got = part.frames.take()
    assert len(part.frames) == 0 and list(part.frames.blocks()) == []
    if n:
        same(got, expected(range(n)))
    else:
        assert all(len(column) == 0 for column in got.values())


def test_a_swap_renumbers_every_row_across_blocks():
    part = rows(range(10), block=3)
    part.swap([1, 0])
    want = expected(range(10))
    for name in ("hands", "scores", "labels"):
        want[name] = want[name][:, [1, 0]]
    same(part.frames.take(), want)


def test_a_hand_is_known_by_its_first_and_last_sighting_in_other_blocks():
    part = rows(range(2), block=3, seen=(1,))  # slot 0 first seen in frame 4, the 2nd block
    for k in range(2, 9):
        part.add(k / 25, result(k, (0, 1) if k in (4, 5) else (1,)))
    first, last = part.known(first=True), part.known(first=False)
    np.testing.assert_array_equal(first[0], np.full((21, 3), 4.0))
    np.testing.assert_array_equal(first[1], np.full((21, 3), 100.0))
    np.testing.assert_array_equal(last[0], np.full((21, 3), 5.0))
    np.testing.assert_array_equal(last[1], np.full((21, 3), 108.0))
    none = rows(range(5), block=2, seen=())
    assert none.known(first=True) == [None, None]
    assert rows(range(0), block=2).known(first=False) == []


def test_stitching_continues_each_hand_across_parts_and_blocks():
    info = VideoInfo(Path("v.mp4"), 640, 480, 25.0, 14, 0.56, 0, "h264")
    before = rows(range(7), block=3)
    after = rows(range(7, 14), block=3)
    after.swap([1, 0])  # the second part found the hands the other way round
    before.rechecks, after.rechecks = 1, 2
    stitched = _stitch([before, after], info)
    assert stitched.rechecks == 3 and len(stitched.frames) == 14
    assert len(before.frames) == len(after.frames) == 0  # their blocks taken over
    same(stitched.frames.take(), expected(range(14)))


def test_a_row_of_another_shape_is_refused():
    columns = FrameColumns({"hands": np.float64}, block=4)
    columns.add(hands=np.zeros((2, 21, 3)))
    with pytest.raises(ValueError, match="hands"):
        columns.add(hands=np.zeros((1, 21, 3)))  # would broadcast into both slots
