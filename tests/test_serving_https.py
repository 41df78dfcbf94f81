"""`make run-lan`'s serving on loopback: a self-signed certificate made once, the app over
HTTPS with it, and the login cookie Secure there; Chromium, told to trust that one key, logs in
through it."""

from __future__ import annotations

import base64
import hashlib
import ssl
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app_server import log_in, serve
from trainer.core.base.settings import Settings
from trainer.store.accounts.accounts import Accounts
from trainer.store.store import Store
from trainer.ui.serving import make_certificate

PASSWORD = "a good long password"
CHROMIUM = Path("/usr/bin/chromium")


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


@pytest.mark.browser
def test_chromium_trusting_the_key_logs_in_over_https_with_a_secure_cookie(https_app):
    from playwright.sync_api import expect, sync_playwright

    url, cert = https_app
    spki = x509.load_pem_x509_certificate(cert.read_bytes()).public_key()
    pin = base64.b64encode(
        hashlib.sha256(spki.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).digest()
    ).decode()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", f"--ignore-certificate-errors-spki-list={pin}"],
        )
        page = browser.new_page()
        page.set_default_timeout(90_000)
        log_in(page, url, "Ann", PASSWORD)
        (cookie,) = [c for c in page.context.cookies() if c["name"] == "trainer_login"]
        assert cookie["secure"] and cookie["httpOnly"]
        expect(page.get_by_text("Ann · student")).to_be_visible(timeout=90_000)
        browser.close()
