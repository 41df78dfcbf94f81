"""Following the body part under the path (capture/body.py) on pictures moved by known
similarities, with a moving hand over them; then on the rendered samples against their truth."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from trainer.capture.body import BodyFollower, follow_video, hand_mask
from trainer.core.path.pathmotion import apply
from trainer.synth.truth import GroundTruth

W, H = 640, 480
PATH = np.array([[150.0, 250.0], [320.0, 220.0], [490.0, 250.0]])
SAMPLES = Path(__file__).resolve().parent.parent / "sample_videos"


def skin(seed: int = 0) -> np.ndarray:
    """A still picture with detail everywhere: blotches, freckles and creases on a tone."""
    rng = np.random.default_rng(seed)
    base = cv2.GaussianBlur(rng.normal(0, 1, (H, W)).astype(np.float32), (0, 0), 6)
    img = 150 + 25 * base / base.std()
    for _ in range(400):
        x, y = rng.integers(0, [W, H])
        cv2.circle(img, (int(x), int(y)), int(rng.integers(2, 5)), float(rng.uniform(60, 110)), -1)
    rgb = np.clip(np.stack([img, img * 0.8, img * 0.7], axis=-1), 0, 255)
    return rgb.astype(np.uint8)


def similarity(angle_deg: float, dx: float, dy: float, centre=(320.0, 240.0)) -> np.ndarray:
    a = np.radians(angle_deg)
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return np.hstack([r, (np.asarray(centre) - r @ centre + [dx, dy])[:, None]])


def moved(picture: np.ndarray, m: np.ndarray) -> np.ndarray:
    return cv2.warpAffine(picture, m, (W, H), borderMode=cv2.BORDER_REFLECT)


def path_error(a: np.ndarray, b: np.ndarray) -> float:
    """Largest distance between the path moved by a and by b, in pixels."""
    return float(np.abs(apply(a, PATH) - apply(b, PATH)).max())


def hand_at(centre: np.ndarray) -> np.ndarray:
    """(1, 21, 2) landmarks of a 'hand' spread over a 120 x 120 box around centre."""
    ring = np.linspace(0, 2 * np.pi, 21, endpoint=False)
    pts = centre + 60 * np.stack([np.cos(ring), np.sin(ring)], axis=1)
    pts[0], pts[9] = centre + np.array([0, 60]), centre + np.array([0, -20])  # wrist, palm
    return pts[None]


def test_the_hand_mask_covers_the_hull_grown_and_skips_missing_hands():
    hands = np.concatenate([hand_at(np.array([200.0, 200.0])), np.full((1, 21, 2), np.nan)])
    mask = hand_mask((H, W), hands)
    assert mask[200, 200] == 255 and mask[200, 262] == 255  # inside, and just past the edge
    assert mask[200, 300] == 0 and mask[40, 600] == 0
    assert mask[270, 200] == 255  # the forearm's start, below the wrist


def test_a_shifting_turning_body_part_is_followed_with_a_hand_moving_over_it():
    picture, patch = skin(0), skin(1)
    follower = BodyFollower(PATH)
    worst = 0.0
    for i in range(120):
        k = min(i / 60, 1.0)  # 12% of the width and 6 degrees over 60 frames, then held
        truth = similarity(6.0 * k, 0.12 * W * k, -20.0 * k)
        frame = moved(picture, truth)
        # A textured hand strokes along the path, moving on its own.
        centre = np.array([170.0 + 3 * i, 200.0])
        x, y = centre.astype(int)
        frame[y - 55 : y + 55, x - 55 : x + 55] = patch[100:210, 100:210]
        pose = follower.update(frame, hand_at(centre))
        assert not pose.lost
        worst = max(worst, path_error(pose.matrix, truth))
    assert worst < 1.5


def test_away_and_back_again_ends_where_it_started():
    picture = skin(2)
    follower = BodyFollower(PATH)
    for i in range(200):
        k = np.sin(np.pi * i / 199)  # out and back
        pose = follower.update(
            moved(picture, similarity(5.0 * k, 50 * k, 30 * k)), np.zeros((0, 21, 2))
        )
    assert path_error(pose.matrix, similarity(0, 0, 0)) < 0.5  # no drift


def test_a_plain_picture_is_lost_and_the_path_holds_still():
    follower = BodyFollower(PATH)
    grey = np.full((H, W, 3), 128, np.uint8)
    poses = [follower.update(grey, np.zeros((0, 21, 2))) for _ in range(5)]
    assert all(p.lost for p in poses)
    np.testing.assert_allclose(poses[-1].matrix, similarity(0, 0, 0))


def test_when_the_body_part_is_covered_the_path_holds_where_it_was():
    picture = skin(3)
    follower = BodyFollower(PATH)
    shift = similarity(0, 20, 0)
    for k in np.linspace(0, 1, 10):  # given on the first frame, then moved
        follower.update(moved(picture, similarity(0, 20 * k, 0)), np.zeros((0, 21, 2)))
    covered = np.full((H, W, 3), 90, np.uint8)
    pose = follower.update(covered, np.zeros((0, 21, 2)))
    assert pose.lost and path_error(pose.matrix, shift) < 0.5
    pose = follower.update(moved(picture, shift), np.zeros((0, 21, 2)))
    assert not pose.lost and path_error(pose.matrix, shift) < 0.5


def test_large_frames_are_followed_in_their_own_pixels():
    picture = cv2.resize(skin(4), (2 * W, 2 * H))
    follower = BodyFollower(PATH * 2)
    truth = np.array([[1.0, 0.0, 40.0], [0.0, 1.0, -24.0]])
    frame = cv2.warpAffine(picture, truth, (2 * W, 2 * H), borderMode=cv2.BORDER_REFLECT)
    follower.update(picture, np.zeros((0, 21, 2)))
    pose = follower.update(frame, np.zeros((0, 21, 2)))
    np.testing.assert_allclose(pose.matrix[:, :2], truth[:, :2], atol=0.005)
    np.testing.assert_allclose(pose.matrix[:, 2], truth[:, 2], atol=1.0)


MOVING = ["foot-spine-line_moving", "neck-back-stroke_moving"]


@pytest.mark.parametrize("name", MOVING)
def test_the_path_follows_the_moving_samples(name, model_path):
    from trainer.analysis.video import hands_px
    from trainer.capture.video_tracking import track_video

    video = SAMPLES / f"{name}.mp4"
    truth = GroundTruth.load(video.with_suffix(".json"))
    track = track_video(video, model_path=model_path)
    points = np.array(truth.calibration["points"]) * track.size
    motion = follow_video(video, points, hands_px(track))
    errors = [
        np.abs(apply(m, points) - apply(t, points)).max()
        for m, t in zip(motion.matrices, truth.transforms, strict=True)
    ]
    moved_px = np.abs(apply(truth.transforms[-1], points) - points).max()
    assert moved_px > 40  # the body part really moved
    assert np.median(errors) < 2.0 and np.percentile(errors, 95) < 8.0
    assert not motion.lost.any()
