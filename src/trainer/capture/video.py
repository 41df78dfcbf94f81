"""Reading and writing video files (PyAV): stream timestamps, rotation, H.264 output."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from trainer.capture.closing import Closing
from trainer.core.base.errors import VideoError
from trainer.core.base.outputfile import check_name_length
from trainer.core.base.settings import Settings
from trainer.core.track import MIN_STEP_S

_TIME_BASE = Fraction(1, 90000)  # the MPEG clock: fine enough for any frame time


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds; width and height are after rotation."""

    path: Path
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    rotation: int
    codec: str


@dataclass(frozen=True)
class Frame:
    """One decoded frame: index in the stream, time in seconds, RGB pixels (H, W, 3) uint8."""

    index: int
    t: float
    rgb: np.ndarray


VIDEO_CONTAINERS = {"mov", "mp4", "matroska", "webm", "avi", "gif"}  # FFmpeg's demuxer names


def _open(path: Path) -> av.container.InputContainer:
    check_name_length(path, VideoError)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise VideoError(f"{path}: no such file") from None
    except OSError as exc:
        raise VideoError(f"{path}: cannot be opened ({exc.strerror})") from None
    except ValueError:  # a NUL in the name
        raise VideoError(f"{str(path)!r}: cannot be opened (not a file name)") from None
    if stat.S_ISDIR(info.st_mode):
        raise VideoError(f"{path}: is a folder, not a video file")
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device would be read forever (or block): only files have an end.
        raise VideoError(f"{path}: not a regular file (a device or a pipe?), not a video file")
    if info.st_size == 0:
        raise VideoError(f"{path}: the file is empty (0 bytes)")
    try:
        # Tags in a broken header can be any bytes: decode them leniently, not fail on them.
        container = av.open(str(path), metadata_errors="replace")
    except av.error.EOFError:
        raise VideoError(f"{path}: has no frames (the file ends before the first one)") from None
    except av.error.InvalidDataError:
        raise VideoError(f"{path}: not a video file, or truncated beyond repair") from None
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise VideoError(f"{path}: cannot be opened ({exc})") from None
    formats = set(container.format.name.split(","))
    if not formats & VIDEO_CONTAINERS:
        container.close()
        # FFmpeg picks its reader from the content: a playlist, a concat list or an image
        # sequence would read other files (or addresses) than the one given.
        raise VideoError(
            f"{path}: a {container.format.name} file, not a video file (mp4, mov, mkv, webm, "
            "avi or gif)"
        )
    if not container.streams.video:
        container.close()
        raise VideoError(f"{path}: has no video stream (not a video file?)")
    stream = container.streams.video[0]
    if stream.codec_context is None or stream.codec_context.name is None:
        container.close()
        raise VideoError(f"{path}: unknown video codec")
    return container


def _rotation(stream: av.video.stream.VideoStream, first: av.VideoFrame | None) -> int:
    """Clockwise rotation (0, 90, 180, 270) a player applies to show the video upright."""
    rotation = first.rotation if first is not None else 0
    return int(-rotation) % 360


def _upright(rgb: np.ndarray, rotation: int) -> np.ndarray:
    if rotation == 90:
        return np.ascontiguousarray(np.rot90(rgb, k=-1))
    if rotation == 180:
        return np.ascontiguousarray(rgb[::-1, ::-1])
    if rotation == 270:
        return np.ascontiguousarray(np.rot90(rgb, k=1))
    return rgb


def _declared_duration(container: av.container.InputContainer, stream) -> float:
    """The duration a file's header promises, in seconds (0 when it promises none)."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def probe(path: str | Path) -> VideoInfo:
    """Open a video, decode its first frame and describe it; raises VideoError if it can't."""
    path = Path(path)
    limits = Settings.from_env()
    with _open(path) as container:
        stream = container.streams.video[0]
        _check_size(path, stream.width or 0, stream.height or 0, limits)  # before decoding
        try:
            first = next(container.decode(stream), None)
        except av.error.FFmpegError as exc:
            raise VideoError(f"{path}: the first frame cannot be decoded ({exc})") from None
        if first is None:
            raise VideoError(f"{path}: has no frames")
        rotation = _rotation(stream, first)
        w, h = first.width, first.height
        if rotation in (90, 270):
            w, h = h, w
        _check_size(path, w, h, limits)
        fps = float(stream.average_rate or stream.guessed_rate or 0.0)
        duration = _declared_duration(container, stream)
        if duration > limits.max_video_s:
            raise VideoError(_too_long(path, duration, limits))
        frames = stream.frames or (round(duration * fps) if fps else 0)
        if not duration and fps and frames:
            duration = frames / fps
        return VideoInfo(
            path, w, h, fps, int(frames), duration, rotation, stream.codec_context.name
        )


def _check_size(path: Path, width: int, height: int, limits: Settings) -> None:
    if width * height > limits.max_frame_pixels:
        raise VideoError(
            f"{path}: frames of {width}x{height} are larger than the limit of "
            f"{limits.max_frame_pixels} pixels (TRAINER_MAX_FRAME_PIXELS)"
        )


def _too_long(path: Path, seconds: float, limits: Settings) -> str:
    return (
        f"{path}: runs {seconds:.0f} s, over the limit of {limits.max_video_s:.0f} s"
        " (TRAINER_MAX_VIDEO_S)"
    )


def _check_time(path: Path, index: int, t: float, last_t: float, first_t: float, limits) -> None:
    """Refuse a frame beyond the limits: too many, too late, or after too long a gap."""
    if index >= limits.max_frames:
        raise VideoError(f"{path}: has more than {limits.max_frames} frames (TRAINER_MAX_FRAMES)")
    if t - first_t > limits.max_video_s:
        raise VideoError(_too_long(path, t - first_t, limits))
    if t - last_t > limits.max_gap_s:
        raise VideoError(
            f"{path}: {t - last_t:.0f} s pass between frames {index - 1} and {index}, over the "
            f"limit of {limits.max_gap_s:g} s (TRAINER_MAX_GAP_S): broken timestamps?"
        )


def read_frames(path: str | Path, start_s: float = 0.0) -> Iterator[Frame]:
    """Decode frames in order, upright, with times from the stream's timestamps.

    `start_s` seeks to the keyframe at or before that time; `index` counts from there, times
    stay absolute, so chunks of one video read separately line up by time.
    Raises VideoError on a file that breaks off, or goes beyond the limits of Settings
    (frame size, frames, duration, gap between frames), before decoding pixels it refuses.
    """
    path = Path(path)
    limits = Settings.from_env()
    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        base = stream.start_time if stream.start_time is not None else 0
        tb = stream.time_base or Fraction(1, 1)
        fps = float(stream.average_rate or stream.guessed_rate or 25.0)
        if start_s > 0:
            container.seek(int(start_s / tb) + base, stream=stream, backward=True)
        rotation: int | None = None
        index = -1
        last_t = first_t = -np.inf
        try:
            for frame in container.decode(stream):
                if rotation is None:
                    rotation = _rotation(stream, frame)
                if frame.pts is not None:
                    t = float((frame.pts - base) * tb)
                else:
                    t = last_t + 1.0 / fps if np.isfinite(last_t) else 0.0
                if t < last_t + MIN_STEP_S:  # duplicate or out-of-order: keep time moving on
                    t = last_t + MIN_STEP_S
                index += 1
                if index:
                    _check_time(path, index, t, last_t, first_t, limits)
                else:
                    first_t = t
                last_t = t
                _check_size(path, frame.width, frame.height, limits)
                yield Frame(index, t, _upright(frame.to_ndarray(format="rgb24"), rotation))
        except av.error.FFmpegError as exc:
            raise VideoError(
                f"{path}: the video breaks off after {index + 1} frames ({exc.strerror})"
            ) from None
        if rotation is None:
            raise VideoError(f"{path}: has no frames")
        promised = _declared_duration(container, stream)
        if start_s == 0 and promised > 1.0 and last_t < 0.9 * promised - 2.0 / fps:
            raise VideoError(
                f"{path}: the video breaks off at {last_t:.1f} s of {promised:.1f} s"
                " (truncated file?)"
            )
    finally:
        container.close()


class VideoWriter(Closing):
    """Writes RGB frames to a file browsers play: H.264 (libx264, yuv420p) in mp4.

    Falls back to MPEG-4 Part 2 only where the installed PyAV has no libx264.
    """

    def __init__(self, path: str | Path, fps: float, width: int, height: int) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # yuv420p needs even sides
        self.width, self.height = width - width % 2, height - height % 2
        self._container = av.open(str(self.path), mode="w")
        rate = Fraction(fps).limit_denominator(1001)
        if self.path.suffix == ".y4m":
            self._stream = self._container.add_stream("rawvideo", rate=rate)
        elif "libx264" in av.codecs_available:
            self._stream = self._container.add_stream("libx264", rate=rate)
            self._stream.options = {"crf": "23", "preset": "veryfast", "movflags": "+faststart"}
        else:
            self._stream = self._container.add_stream("mpeg4", rate=rate)
        self._stream.width, self._stream.height = self.width, self.height
        self._stream.pix_fmt = "yuv420p"
        # y4m takes its frame rate from the time base; others get a fine clock for VFR stamps
        self._time_base = 1 / rate if self.path.suffix == ".y4m" else _TIME_BASE
        self._stream.codec_context.time_base = self._time_base
        self._fps = float(fps)
        self._count = 0

    def write(self, rgb: np.ndarray, t: float | None = None) -> None:
        """Add a frame; `t` (seconds) stamps it for variable frame rate, else frames are even."""
        rgb = np.ascontiguousarray(rgb[: self.height, : self.width])
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.time_base = self._time_base
        frame.pts = round((self._count / self._fps if t is None else t) / self._time_base)
        self._count += 1
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()
