"""The app as `make run` serves it (serve.py: the pages with their login routes), started on a
free loopback port for the browser tests, and a login through its form."""

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
