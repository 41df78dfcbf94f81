"""A school's identity provider (OpenID Connect) as a way to log in, configured as for
Streamlit's `st.login`, in `.streamlit/secrets.toml`:

    [auth]
    redirect_uri = "https://trainer.school.example:8501/oauth2callback"
    cookie_secret = "a long random string"
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://login.school.example/.well-known/openid-configuration"

or, for several providers, the last three keys in an `[auth.NAME]` section each.

The flow is the authorization code flow with PKCE and a nonce (Authlib); its state waits in
Streamlit's signed session cookie (signed with `cookie_secret`) between leaving for the
provider and coming back. What comes back is the ID token's e-mail, once Authlib has checked
the token's signature against the provider's keys, its issuer, audience, expiry and nonce. The
login itself is then the store's, exactly as after a password (login_routes.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx2
import joserfc.errors
import streamlit as st
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from starlette.requests import Request
from starlette.responses import Response

from trainer.core.base.errors import AccountError

# Where the provider sends the browser back: the path Streamlit's st.login also expects, so a
# school's existing secrets.toml works unchanged.
CALLBACK = "/oauth2callback"
CLIENT_KEYS = ("client_id", "client_secret", "server_metadata_url")
DEFAULT = "default"
UNREACHABLE = "the identity provider cannot be reached: try again later"
UNCHECKED = "the identity provider's answer could not be checked: log in again"
NO_EMAIL = "your identity provider gave no verified e-mail address: ask an admin"
# Authlib logs the PKCE verifier at debug level; no token or secret is ever logged.
logging.getLogger("authlib").setLevel(logging.INFO)


@dataclass(frozen=True)
class Provider:
    """A configured identity provider: its key in secrets.toml and the name the form shows."""

    key: str
    label: str


def _auth_section() -> dict[str, Any]:
    """secrets.toml's [auth], or nothing when there is no such file or section."""
    if not st.secrets.load_if_toml_exists():
        return {}
    section = st.secrets.get("auth")
    return section.to_dict() if section is not None else {}


@cache
def _settings() -> tuple[str | None, dict[str, dict[str, Any]]]:
    """The redirect address and each provider's client settings, read once per server."""
    auth = _auth_section()
    sections = {key: value for key, value in auth.items() if isinstance(value, dict)}
    sections[DEFAULT] = auth
    # Only the client's keys: st.login's other settings (client_kwargs…) are not the trainer's.
    found = {
        key: {k: section[k] for k in CLIENT_KEYS}
        for key, section in sections.items()
        if all(k in section for k in CLIENT_KEYS)
    }
    return auth.get("redirect_uri"), found


def providers() -> list[Provider]:
    """The providers the login form offers: none unless secrets.toml configures one."""
    redirect_uri, found = _settings()
    if not redirect_uri:
        return []
    return [Provider(key, _label(key, conf)) for key, conf in sorted(found.items())]


def _label(key: str, conf: dict[str, Any]) -> str:
    """An [auth.NAME] section is shown by its name; a lone provider by its host."""
    if key != DEFAULT:
        return key.capitalize()
    return urlsplit(conf["server_metadata_url"]).hostname or "your school"


@cache
def _oauth() -> OAuth:
    oauth = OAuth()
    for key, conf in _settings()[1].items():
        oauth.register(
            key,
            **conf,
            client_kwargs={"scope": "openid email", "code_challenge_method": "S256"},
        )
    return oauth


def _client(key: str) -> StarletteOAuth2App:
    if key not in {p.key for p in providers()}:
        raise AccountError("this identity provider is not configured here")
    return _oauth().create_client(key)


async def leave_for(key: str, request: Request) -> Response:
    """The redirect to the provider's login, the flow's state kept in the session."""
    client = _client(key)
    try:
        return await client.authorize_redirect(request, _settings()[0])
    except (AuthlibBaseError, httpx2.HTTPError, ValueError) as exc:
        raise AccountError(UNREACHABLE) from exc


async def verified_email(key: str, request: Request) -> str:
    """The e-mail address of the ID token the provider answered with, once checked."""
    client = _client(key)
    try:
        token = await client.authorize_access_token(request)
    except (AuthlibBaseError, joserfc.errors.JoseError, httpx2.HTTPError, ValueError) as exc:
        raise AccountError(UNCHECKED) from exc
    claims = token.get("userinfo") or {}  # the checked ID token's claims, nothing else
    email = claims.get("email")
    if not isinstance(email, str) or _unverified(claims.get("email_verified")):
        raise AccountError(NO_EMAIL)
    return email


def _unverified(flag: object) -> bool:
    """A provider may let people type any address: one it says it has not checked names
    nobody. Some providers send the flag as text."""
    return flag is False or (isinstance(flag, str) and flag.strip().lower() == "false")
