"""Only video containers (issue 19): FFmpeg picks its demuxer from a file's content, so a
`.mp4` holding a concat list, an HLS playlist or an image sequence pattern would read other
files; each is refused with one line and exit code 2, and real videos still open."""

from __future__ import annotations

import av
import numpy as np
import pytest
from PIL import Image

from job_helpers import handless_video
from trainer.capture.video import VideoWriter, probe
from trainer.cli import main
from trainer.core.base.errors import VideoError


@pytest.fixture
def neighbour(tmp_path):
    """A real video beside the hostile file: what a concat list or playlist would play."""
    return handless_video(tmp_path / "ana_clip.mp4")


def hostile(tmp_path, neighbour) -> dict[str, bytes]:
    return {
        "concat.mp4": f"ffconcat version 1.0\nfile {neighbour.name}\n".encode(),
        "playlist.mp4": (
            f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{neighbour.name}\n#EXT-X-ENDLIST\n"
        ).encode(),
    }


def test_a_file_that_points_at_other_files_is_not_a_video(tmp_path, neighbour, capsys):
    probe(neighbour)  # the file a concat list would play is a real video
    for name, data in hostile(tmp_path, neighbour).items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(VideoError, match="not a video file"):
            probe(path)
        assert main(["review", str(path), "--technique", "foot-spine-line"]) == 2
        err = capsys.readouterr().err.strip()
        assert name in err and "not a video file" in err and len(err.splitlines()) == 1


def test_an_image_sequence_is_not_a_video(tmp_path):

    for k in range(3):
        Image.fromarray(np.full((32, 32, 3), 80 * k, np.uint8)).save(tmp_path / f"f{k}.png")
    pattern = tmp_path / "f%d.png"  # FFmpeg reads f0.png, f1.png... for this name
    pattern.write_bytes((tmp_path / "f0.png").read_bytes())
    for path in (pattern, tmp_path / "f1.png"):
        with pytest.raises(VideoError, match="not a video file"):
            probe(path)


def _webm(path) -> None:
    """A VP9 .webm (WebM holds VP8/VP9, not the H.264 the project's writer makes), as a
    browser records one."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libvpx-vp9", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for _ in range(5):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 120, np.uint8), "rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())


@pytest.mark.parametrize("suffix", [".mp4", ".mkv", ".avi", ".webm", ".mov", ".gif"])
def test_the_video_containers_still_open(tmp_path, suffix):
    path = tmp_path / f"clip{suffix}"
    if suffix == ".webm":
        _webm(path)
    elif suffix == ".gif":
        Image.fromarray(np.full((48, 64, 3), 120, np.uint8)).save(path)
    else:
        with VideoWriter(path, 10, 64, 48) as w:
            for _ in range(5):
                w.write(np.full((48, 64, 3), 120, np.uint8))
    info = probe(path)
    assert (info.width, info.height) == (64, 48)
