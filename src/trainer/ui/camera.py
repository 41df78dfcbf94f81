"""The live view: the camera's stream and, beside it, the side panel."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from aiortc import codecs as aiortc_codecs
from streamlit_webrtc import WebRtcMode, WebRtcStreamerContext, webrtc_streamer

from trainer.ui.common import ice_servers

CONSTRAINTS = {"video": {"width": {"ideal": 640}, "height": {"ideal": 480}}, "audio": False}
# What the browser is asked to spend on the camera's picture (kbit/s, Chromium's own fmtp
# keys, which it reads from our answer). Left to itself, Chromium started from ~300 kbit/s and,
# after a still first picture, was still sending 216 kbit/s when the strokes began: a dim
# picture so compressed that the thumb wobbled. With these floors: 1.3 Mbit/s (measured).
BITRATE_KBPS = {
    "x-google-min-bitrate": 1500,
    "x-google-start-bitrate": 2000,
    "x-google-max-bitrate": 4000,
}


def ask_for_quality() -> None:
    """Have aiortc's answers ask the browser for a well-sampled picture (VP8, the first
    codec both offer). aiortc copies its own codec's parameters into every answer."""
    for codec in aiortc_codecs.CODECS["video"]:
        if codec.mimeType == "video/VP8":
            codec.parameters.update(BITRATE_KBPS)


def live_columns() -> tuple:
    """The camera's column and the side panel's: side by side, stacked in large print.

    Large print restyles these same columns rather than choosing other containers, so
    toggling it while the camera runs doesn't move the camera's iframe and restart it.
    """
    with st.container(key="live-view"):
        return tuple(st.columns([3, 2], gap="medium"))


def camera(
    key: str,
    on_frames: Callable,
    on_ended: Callable[[], None],
    playing: bool | None = None,
) -> WebRtcStreamerContext:
    """The webcam's stream, each batch of frames handed to `on_frames` on a worker thread.

    playing: the state the page wants (None: the START and STOP buttons decide).
    """
    # Both ends get the same explicit list (empty unless deployed with one), so neither the
    # browser nor aiortc falls back to a public STUN server.
    rtc = {"iceServers": ice_servers()}
    ask_for_quality()
    return webrtc_streamer(
        key=key,
        mode=WebRtcMode.SENDRECV,
        frontend_rtc_configuration=rtc,
        server_rtc_configuration=rtc,
        media_stream_constraints=CONSTRAINTS,
        desired_playing_state=playing,
        queued_video_frames_callback=on_frames,
        on_video_ended=on_ended,
        async_processing=True,
    )
