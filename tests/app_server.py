"""The app as `make run` serves it (serve.py: the pages with their login routes), started on a
free loopback port for the browser tests; Debian's Chromium to open it (with a fake camera
playing a video, when asked), and a login through its form."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import ROOT
from trainer.capture.video import VideoWriter, probe, read_frames

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
WAIT_MS = 90_000  # generous: the machine is shared; every wait is on text, never on time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(
    env: dict[str, str], log_path: Path, *extra: str, port: int | None = None
) -> Iterator[str]:
    """`streamlit run serve.py` on 127.0.0.1 (on port, or a free one); yields its address once
    it answers."""
    port = port or free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        **env,
    }
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "serve.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]
    scheme = "https" if "--server.sslCertFile" in extra else "http"
    url = f"{scheme}://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(proc, url, log_path)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_until_up(proc: subprocess.Popen, url: str, log_path: Path) -> None:
    import ssl

    unverified = ssl._create_unverified_context()  # a probe of our own server's health only
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(
                f"{url}/_stcore/health", timeout=2, context=unverified
            ) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start; see {log_path}")
        time.sleep(0.3)


def log_in(page, url: str, name: str, password: str) -> None:
    """Through the login form, as a person would; back on the app's page after."""
    from playwright.sync_api import expect

    page.goto(f"{url}/account/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/account/"))


def camera_file(video: Path, out: Path) -> Path:
    """`video` as raw y4m, which Chromium's fake camera plays in a loop."""
    info = probe(video)
    with VideoWriter(out, info.fps, info.width, info.height) as writer:
        for frame in read_frames(video):
            writer.write(frame.rgb)
    return out


@contextmanager
def chromium(camera: Path | None = None, *extra: str) -> Iterator:
    """Headless Chromium with nothing of its own to fetch, every wait on the page up to
    WAIT_MS; given a y4m `camera`, pages get a fake camera playing it without asking."""
    import pytest
    from playwright.sync_api import expect, sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run `make browser` (apt-get install chromium)")
    args = [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        *extra,
    ]
    if camera is not None:
        args += [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera}",
        ]
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str, settled: bool = True) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window grows to fit.

    settled: wait for the script run to finish first (the Practice page's never does).
    """
    from playwright.sync_api import expect

    if settled:
        expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, int(height))})
    page.wait_for_timeout(800)  # let the plots and tables lay out again
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
