import struct
from pathlib import Path

import av
import numpy as np
import pytest

from trainer.capture.video import VideoWriter, probe, read_frames
from trainer.core.base.errors import VideoError

W, H = 160, 120


def _frames(n: int) -> list[np.ndarray]:
    out = []
    for i in range(n):
        img = np.zeros((H, W, 3), np.uint8)
        img[:, (i * 7) % W :][:, :10] = 255
        out.append(img)
    return out


def _write_with_pyav(path: Path, codec: str, n: int = 12, pix_fmt: str = "yuv420p") -> Path:
    with av.open(str(path), "w") as c:
        s = c.add_stream(codec, rate=10)
        s.width, s.height, s.pix_fmt = W, H, pix_fmt
        for img in _frames(n):
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            for p in s.encode(frame):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


@pytest.mark.parametrize(
    ("name", "codec", "pix_fmt"),
    [
        ("a.mp4", "libx264", "yuv420p"),
        ("a.mov", "libx264", "yuv420p"),
        ("a.mkv", "libx264", "yuv420p"),
        ("a.webm", "libvpx-vp9", "yuv420p"),
        ("a.avi", "mpeg4", "yuv420p"),
        ("a.gif", "gif", "rgb8"),
    ],
)
def test_reads_every_supported_container(tmp_path, name, codec, pix_fmt):
    path = _write_with_pyav(tmp_path / name, codec, pix_fmt=pix_fmt)
    info = probe(path)
    assert (info.width, info.height) == (W, H)
    frames = list(read_frames(path))
    assert len(frames) == 12
    assert all(f.rgb.shape == (H, W, 3) for f in frames)
    np.testing.assert_allclose(frames[1].t - frames[0].t, 0.1, atol=0.011)


def test_writer_round_trip_is_h264(tmp_path):
    path = tmp_path / "out.mp4"
    with VideoWriter(path, 25, W, H) as w:
        for img in _frames(20):
            w.write(img)
    info = probe(path)
    assert info.codec == "h264"
    assert info.frames == 20
    assert info.fps == pytest.approx(25)


def test_variable_frame_rate_times_come_from_the_stream(tmp_path):
    path = tmp_path / "vfr.mkv"
    times = [0.0, 0.05, 0.3, 0.32, 1.0, 1.5]
    with VideoWriter(path, 30, W, H) as w:
        for img, t in zip(_frames(len(times)), times, strict=True):
            w.write(img, t=t)
    got = [f.t for f in read_frames(path)]
    np.testing.assert_allclose(got, times, atol=0.02)


def test_rotation_metadata_is_honoured(tmp_path):
    src = tmp_path / "flat.mp4"
    img = np.zeros((H, W, 3), np.uint8)
    img[:, : W // 4] = 255  # a white band on the left
    with VideoWriter(src, 10, W, H) as w:
        for _ in range(3):
            w.write(img)
    data = bytearray(src.read_bytes())
    identity = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    at = data.index(identity, data.index(b"tkhd"))
    data[at : at + 36] = struct.pack(">9I", 0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)
    rotated = tmp_path / "phone.mp4"
    rotated.write_bytes(bytes(data))

    info = probe(rotated)
    assert (info.rotation, info.width, info.height) == (90, H, W)
    frame = next(read_frames(rotated)).rgb
    assert frame.shape == (W, H, 3)
    assert frame[: W // 4].mean() > 200  # the band is now on top, as a player shows it
    assert frame[-W // 4 :].mean() < 30


def test_seek_keeps_absolute_times(tmp_path):
    path = tmp_path / "long.mp4"
    with VideoWriter(path, 10, W, H) as w:
        for img in _frames(50):
            w.write(img)
    frames = list(read_frames(path, start_s=3.0))
    assert frames[0].t <= 3.0
    assert frames[-1].t == pytest.approx(4.9, abs=0.01)


def _expect_error(path: Path, words: str) -> None:
    with pytest.raises(VideoError) as err:
        list(read_frames(path))
    assert str(path) in str(err.value)
    assert words in str(err.value)
    with pytest.raises(VideoError):
        probe(path)


def test_missing_file(tmp_path):
    _expect_error(tmp_path / "nope.mp4", "no such file")


def test_zero_bytes(tmp_path):
    path = tmp_path / "empty.mp4"
    path.touch()
    _expect_error(path, "empty")


def test_not_a_video(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("these are not the frames you are looking for\n" * 50)
    with pytest.raises(VideoError, match="not a video"):
        probe(path)


def test_truncated_file(tmp_path):
    path = tmp_path / "whole.mkv"
    with VideoWriter(path, 10, W, H) as w:
        for img in _frames(60):
            w.write(img)
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(VideoError, match=r"breaks off|truncated"):
        list(read_frames(cut))


def test_unknown_codec(tmp_path):
    path = _write_with_pyav(tmp_path / "a.mkv", "libx264")
    data = path.read_bytes().replace(b"V_MPEG4/ISO/AVC", b"V_XXXXX/XXX/XXX")
    odd = tmp_path / "odd.mkv"
    odd.write_bytes(data)
    with pytest.raises(VideoError, match="codec"):
        probe(odd)


def test_no_frames(tmp_path):
    path = tmp_path / "none.mkv"
    c = av.open(str(path), "w")
    s = c.add_stream("libx264", rate=10)
    s.width, s.height, s.pix_fmt = W, H, "yuv420p"
    c.start_encoding()
    c.close()
    with pytest.raises(VideoError, match=r"no frames|no video|not a video"):
        list(read_frames(path))
