"""`make run-lan`'s serving on loopback: a self-signed certificate made once, the app over
HTTPS with it, and the login cookie Secure there; Chromium, told to trust that one key (not to
ignore certificate errors), logs in through it and runs Practice with its fake camera playing
the sample of correct foot strokes."""

from __future__ import annotations

import base64
import hashlib
import re
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app_server import WAIT_MS, camera_file, chromium, log_in, serve
from conftest import ROOT, require
from trainer.core.base.settings import Settings
from trainer.store.accounts.accounts import Accounts
from trainer.store.store import Store
from trainer.ui.serving import lan_address, make_certificate, reached_at

PASSWORD = "a good long password"


def test_the_certificate_is_made_once_for_the_addresses_given(tmp_path):
    cert, key = make_certificate(tmp_path / "tls", ["127.0.0.1", "trainer.local"])
    made = x509.load_pem_x509_certificate(cert.read_bytes())
    names = made.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(a) for a in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert names.get_values_for_type(x509.DNSName) == ["trainer.local"]
    assert key.stat().st_mode & 0o077 == 0  # the key is its owner's only
    before = cert.read_bytes()
    make_certificate(tmp_path / "tls", ["127.0.0.1"])
    assert cert.read_bytes() == before  # kept: a phone that trusted it still does


STARTUP = """
import sys
from streamlit import net_util
from streamlit.web import bootstrap
net_util.get_external_ip = lambda: sys.exit("asked a public service for this machine's address")
listen, shown = sys.argv[1:]
flags = {"server_address": listen, "server_headless": True, "server_sslCertFile": "cert.pem"}
bootstrap.load_config_options({**flags, "browser_serverAddress": shown or None})
bootstrap._print_url(False)
"""


def streamlit_prints(listen: str, shown: str) -> str:
    """What Streamlit prints at start in this folder (its .streamlit/config.toml), given
    server.address listen and, unless empty, browser.serverAddress shown."""
    run = [sys.executable, "-c", STARTUP, listen, shown]
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_run_lan_has_streamlit_print_where_the_app_is_reached():
    """Not config.toml's localhost: the address make run-lan gives (this machine's LAN address
    when listening on all of them), with no public service asked for it."""
    makefile = (ROOT / "Makefile").read_text()
    assert '--server.address "$$listen" --browser.serverAddress "$$shown"' in makefile
    assert "https://localhost:" in streamlit_prints("0.0.0.0", "")  # what it printed before
    for listen, shown in (("0.0.0.0", lan_address()), ("192.0.2.7", "192.0.2.7")):
        assert reached_at(listen) == shown
        printed = streamlit_prints(listen, reached_at(listen))
        assert re.findall(r"https://[^\s:]+", printed) == [f"https://{shown}"], printed


@pytest.fixture(scope="module")
def https_app(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    with Store.open(Settings.from_env({"TRAINER_DATA_DIR": str(data)})) as store:
        Accounts(store).add("Ann", "student", password=PASSWORD)
    cert, key = make_certificate(tmp_path_factory.mktemp("tls"), ["127.0.0.1"])
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    tls = ("--server.sslCertFile", str(cert), "--server.sslKeyFile", str(key))
    with serve({"TRAINER_DATA_DIR": str(data)}, log, *tls) as url:
        yield url, cert


def test_the_app_answers_over_https_with_its_certificate(https_app):
    url, cert = https_app
    assert url.startswith("https://127.0.0.1:")
    trusting = ssl.create_default_context(cafile=str(cert))
    with urllib.request.urlopen(f"{url}/account/login", context=trusting, timeout=10) as r:
        assert r.status == 200 and b"Log in" in r.read()
    with pytest.raises(urllib.error.URLError):  # an untrusted client refuses it
        urllib.request.urlopen(f"{url}/account/login", timeout=10)


@pytest.fixture(scope="module")
def camera(tmp_path_factory) -> Path:
    """The bundled sample of correct foot strokes (Practice's default technique), as the
    fake camera plays it."""
    sample = require(ROOT / "sample_videos" / "foot-spine-line_correct.mp4", "sample videos")
    return camera_file(sample, tmp_path_factory.mktemp("camera") / "camera.y4m")


def spki_pin(cert: Path) -> str:
    """The base64 SHA-256 of the certificate's public key, as Chromium's
    --ignore-certificate-errors-spki-list takes it: trust for this one key only."""
    key = x509.load_pem_x509_certificate(cert.read_bytes()).public_key()
    der = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@pytest.fixture(scope="module")
def browser(https_app, camera, model_path):
    _, cert = https_app
    # Trusts this certificate's key alone, as a phone told to trust it would.
    with chromium(camera, f"--ignore-certificate-errors-spki-list={spki_pin(cert)}") as b:
        yield b


@pytest.fixture
def page(browser, https_app):
    """A new browser context, logged in as Ann over HTTPS."""
    url, _ = https_app
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    log_in(page, url, "Ann", PASSWORD)
    yield page
    context.close()


@pytest.mark.browser
def test_chromium_trusting_the_key_logs_in_over_https_with_a_secure_cookie(page):
    from playwright.sync_api import expect

    (cookie,) = [c for c in page.context.cookies() if c["name"] == "trainer_login"]
    assert cookie["secure"] and cookie["httpOnly"]
    assert page.url.startswith("https://")
    expect(page.get_by_text("Ann · student")).to_be_visible()


@pytest.mark.browser
def test_practice_counts_strokes_from_the_fake_camera_over_https(page, https_app):
    """The camera is given only to a secure page: over HTTPS the webrtc component gets it,
    streams it to the server and the stroke count rises."""
    from playwright.sync_api import expect

    url, _ = https_app
    page.goto(url)
    expect(page.get_by_role("heading", name="Practice")).to_be_visible()
    assert page.evaluate("window.isSecureContext") and page.url.startswith("https://")
    # The sample is filmed, not a selfie: shown as filmed (test_app_browser does the same).
    page.get_by_text("Mirror the picture").click()
    expect(page.get_by_role("switch", name="Mirror the picture")).not_to_be_checked()
    webrtc = page.frame_locator("iframe[title*='webrtc']").first
    webrtc.get_by_role("button", name="START").click()
    strokes = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Strokes"))
    assert _count_when_above(strokes, 0) > 0
    webrtc.get_by_role("button", name="STOP").click()
    expect(page.get_by_role("heading", name="Your last session")).to_be_visible()


def _count_when_above(metric, above: int) -> int:
    """The metric's number once it exceeds above (a wait on the page's text)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        found = re.search(r"(\d+)\s*$", metric.inner_text())
        if found and int(found.group(1)) > above:
            return int(found.group(1))
        time.sleep(0.2)
    pytest.fail(f"{metric.inner_text()!r} did not rise above {above}")
