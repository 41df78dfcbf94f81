"""A long live session keeps flat memory (issue 13): every frame is kept for saving, on disk,
and what stays in memory per frame is a few packed numbers."""

from __future__ import annotations

import tracemalloc

import numpy as np

from trainer.capture.exposure import Exposure
from trainer.capture.tracker import FrameResult
from trainer.core.technique import load_technique
from trainer.core.track import NO_HAND, RIGHT
from trainer.practice.live import LivePractice

W, H, FPS = 160, 120, 30.0


def result(k: int) -> FrameResult:
    """Frame k of a thumb sweeping the frame (2.5 s each way) in the first of two hand slots,
    no hand every 400th frame."""
    thumbs, hands = np.full((2, 2), np.nan), np.full((2, 21, 3), np.nan)
    scores, labels = np.full(2, np.nan), np.full(2, NO_HAND, np.int8)
    if k % 400 == 399:
        return FrameResult(thumbs, hands, scores, labels, -1)
    phase = (k % 150) / 75.0
    thumbs[0] = 30 + 100 * (phase if phase <= 1 else 2 - phase), 70.0
    hands[0] = np.random.default_rng(k).uniform(0, 1, (21, 3))
    scores[0], labels[0] = 0.9, RIGHT
    return FrameResult(thumbs, hands, scores, labels, 0)


class StubTracker:
    """What FrameTracker.update gives, without the model: the frame's planned hand."""

    hand = "auto"

    def __init__(self) -> None:
        self.k = 0
        self.light = Exposure(enabled=False)  # a still, lit scene: never dim

    def update(self, rgb, t):
        self.k += 1
        return result(self.k - 1)


class StubPool:
    exposure = False

    def acquire(self):
        return StubTracker(), 0.0

    def release(self, tracker, last_t):
        pass


def test_the_spool_gives_every_frame_back_exactly():
    from trainer.practice.spool import BLOCK, FrameSpool

    spool = FrameSpool(2)
    n = 2 * BLOCK + 37
    for k in range(n):
        r = result(k)
        spool.append(k / FPS, r, r.primary)
    track = spool.track(W, H, {"source": "webcam"})
    assert len(track) == n and track.meta == {"source": "webcam"}
    for k in (0, BLOCK - 1, BLOCK, 2 * BLOCK + 36, 399):
        r = result(k)
        assert track.t[k] == k / FPS
        np.testing.assert_array_equal(track.thumb_px[k], r.thumb_px)
        np.testing.assert_array_equal(track.landmarks[k], r.landmarks)
        assert track.handedness[k] == r.handedness
    assert track.fps == FPS * (n - 1) / (n - 1)
    spool.close()


def test_a_long_live_session_holds_little_memory_per_frame():
    """The old session kept each frame's result as Python objects, 1.3 kB a frame (140 MB
    an hour at 30 frames/s); now the frames go to disk and about 140 bytes stay in memory."""
    session = LivePractice(load_technique("foot-spine-line"), None, StubPool())
    frame = np.zeros((H, W, 3), np.uint8)
    for k in range(1000):
        session.process(frame.copy(), k / FPS)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for k in range(1000, 4000):
            session.process(frame.copy(), k / FPS)
            if k % 5 == 0:
                session.snapshot()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    review = session.finish()
    assert len(review.strokes) > 10  # the sweeps were judged as strokes all along
    assert len(session.track()) == 4000
    assert grown / 3000 < 250, f"{grown / 3000:.0f} bytes a frame"
