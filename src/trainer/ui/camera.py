"""The live view: the camera's stream and, beside it, the side panel."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit_webrtc import WebRtcMode, WebRtcStreamerContext, webrtc_streamer

from trainer.ui.common import ice_servers

CONSTRAINTS = {"video": {"width": {"ideal": 640}, "height": {"ideal": 480}}, "audio": False}


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
