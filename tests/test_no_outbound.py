"""No call but to its users (issue 19): the app as `make run` serves it, every page opened in
Chromium after a login, Practice run with Chromium's fake camera until a stroke is counted,
and a cross-origin websocket request, with every name looked up and
every connection made by the server process (an audit hook) and every request of the browser
recorded: none leaves loopback."""

from __future__ import annotations

import os
import re
import socket

from app_server import camera_file, chromium, log_in, serve
from conftest import ROOT, require
from trainer.core.base.settings import Settings
from trainer.store.accounts.accounts import Accounts
from trainer.store.store import Store

PAGES = ["", "guided", "review", "class", "sample", "history", "compare", "myclass"]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
HOOK = """
import os, socket, sys
_log = os.environ["TRAINER_TEST_NET_LOG"]
def _hook(event, args):
    # A UDP socket's connect sends nothing (Streamlit's way to learn its own LAN address).
    udp = event == "socket.connect" and args[0].type == socket.SOCK_DGRAM
    if event in ("socket.connect", "socket.getaddrinfo") and not udp:
        target = args[1] if event == "socket.connect" else args[0]
        with open(_log, "a") as f:
            f.write(f"{event} {target!r}\\n")
sys.addaudithook(_hook)
with open(_log, "a") as f:
    f.write(f"hook in {os.getpid()}\\n")
"""


def outside(line: str) -> bool:
    return not any(host in line for host in LOOPBACK) and "'/" not in line  # unix sockets


def cross_origin_websocket(url: str) -> None:
    """The handshake a page elsewhere could make: Streamlit judges its origin."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(
            (
                "GET /_stcore/stream HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                "Origin: http://203.0.113.9\r\n\r\n"
            ).encode()
        )
        s.recv(1024)


def practise(page, url: str) -> None:
    """Practice with the camera (WebRTC both ways) until the first stroke is counted."""
    from playwright.sync_api import expect

    page.goto(url)  # Practice is the first page
    webrtc = page.frame_locator("iframe[title*='webrtc']").first
    webrtc.get_by_role("button", name="START").click()
    strokes = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Strokes"))
    expect(strokes).to_have_text(re.compile(r"^Strokes\s*[1-9]"), timeout=90_000)
    webrtc.get_by_role("button", name="STOP").click()
    expect(page.get_by_role("heading", name="Your last session")).to_be_visible(timeout=90_000)


def test_the_app_calls_no_one_but_its_users(tmp_path):
    sample = require(ROOT / "sample_videos" / "foot-spine-line_correct.mp4", "sample videos")
    camera = camera_file(sample, tmp_path / "camera.y4m")

    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(HOOK)
    net_log = tmp_path / "net.log"
    data = tmp_path / "data"
    with Store.open(Settings.from_env({"TRAINER_DATA_DIR": str(data)})) as store:
        Accounts(store).add("Ann", "instructor", password="a-long-password-1")
    env = {
        "TRAINER_DATA_DIR": str(data),
        "TRAINER_TEST_NET_LOG": str(net_log),
        "PYTHONPATH": os.pathsep.join([str(tmp_path / "hook"), str(ROOT / "src")]),
    }
    requests: list[str] = []
    with serve(env, tmp_path / "streamlit.log") as url, chromium(camera) as browser:
        cross_origin_websocket(url)
        page = browser.new_page()
        page.set_default_timeout(90_000)
        page.on("request", lambda r: requests.append(r.url))
        log_in(page, url, "Ann", "a-long-password-1")
        for path in PAGES:
            page.goto(f"{url}/{path}")
            page.wait_for_load_state("networkidle")
        practise(page, url)
    lines = net_log.read_text().splitlines()
    assert any(line.startswith("hook in") for line in lines)  # the server was watched
    calls = [line for line in lines if line.startswith("socket.") and outside(line)]
    assert calls == []
    away = [r for r in requests if not r.startswith((url, "data:", "blob:"))]
    assert away == []
