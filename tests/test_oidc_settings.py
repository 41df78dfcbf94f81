"""Which identity providers the login form offers, read from secrets.toml as `st.login` reads
it: a lone provider in [auth], or one per [auth.NAME] section; nothing without a redirect
address; only the client's own keys handed to Authlib."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit import config

from trainer.ui import oidc

ISSUER = "https://login.school.example/.well-known/openid-configuration"
CLIENT = f'client_id = "trainer"\nclient_secret = "s3cret"\nserver_metadata_url = "{ISSUER}"\n'


@pytest.fixture
def secrets_file(tmp_path):
    """Streamlit reads this file as the app's secrets.toml; forgotten after the test."""
    path = tmp_path / "secrets.toml"
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    yield path
    config.set_option("secrets.files", before)
    _forget()


def _forget() -> None:
    """Secrets and providers are read once per server: a test's file is read anew."""
    st.secrets._reset()
    oidc._settings.cache_clear()
    oidc._oauth.cache_clear()


def offered(path, text: str) -> list[tuple[str, str]]:
    path.write_text(text)
    _forget()
    return [(p.key, p.label) for p in oidc.providers()]


def test_a_lone_provider_is_shown_by_its_host(secrets_file):
    text = f'[auth]\nredirect_uri = "https://t.example/oauth2callback"\n{CLIENT}'
    assert offered(secrets_file, text) == [("default", "login.school.example")]


def test_named_providers_by_name_and_an_incomplete_one_not_at_all(secrets_file):
    text = (
        '[auth]\nredirect_uri = "https://t.example/oauth2callback"\ncookie_secret = "x"\n'
        f'[auth.google]\n{CLIENT}client_kwargs = {{prompt = "login"}}\n'
        '[auth.microsoft]\nclient_id = "only this"\n'
    )
    assert offered(secrets_file, text) == [("google", "Google")]
    assert oidc._settings()[1]["google"] == {
        "client_id": "trainer",
        "client_secret": "s3cret",
        "server_metadata_url": ISSUER,
    }


def test_no_redirect_address_no_provider(secrets_file):
    assert offered(secrets_file, f"[auth]\n{CLIENT}") == []
    assert offered(secrets_file, '[other]\nkey = "value"\n') == []
