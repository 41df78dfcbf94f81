"""The page's camera asks the browser for a well-sampled picture: the answer aiortc makes to a
browser's offer carries Chromium's bitrate floor for VP8 (without it a dim picture arrived
so compressed that the thumb wobbled; see ui/camera.py)."""

from __future__ import annotations

import asyncio
import re

from aiortc import RTCPeerConnection

from trainer.ui.camera import ask_for_quality


async def _answer() -> str:
    browser, server = RTCPeerConnection(), RTCPeerConnection()
    try:
        browser.addTransceiver("video", direction="sendrecv")
        await browser.setLocalDescription(await browser.createOffer())
        await server.setRemoteDescription(browser.localDescription)
        await server.setLocalDescription(await server.createAnswer())
        return server.localDescription.sdp
    finally:
        await browser.close()
        await server.close()


def _vp8_fmtp(sdp: str) -> dict[str, str]:
    vp8 = re.search(r"a=rtpmap:(\d+) VP8/90000", sdp).group(1)
    line = re.search(rf"a=fmtp:{vp8} (.*)", sdp).group(1).strip()
    return dict(part.split("=", 1) for part in line.split(";"))


def test_the_answer_asks_the_browser_for_at_least_a_megabit():
    ask_for_quality()
    fmtp = _vp8_fmtp(asyncio.run(_answer()))
    assert int(fmtp["x-google-min-bitrate"]) >= 1000  # kbit/s: 216 reached a dim picture
    assert int(fmtp["x-google-start-bitrate"]) >= int(fmtp["x-google-min-bitrate"])


def test_asking_twice_changes_nothing():
    ask_for_quality()
    first = _vp8_fmtp(asyncio.run(_answer()))
    ask_for_quality()
    assert _vp8_fmtp(asyncio.run(_answer())) == first
