"""The login through a school's identity provider, in a real browser (Debian's chromium through
Playwright): an OpenID provider on loopback (oidc-provider-mock, reached as `localhost`, so it is
another site than the app on 127.0.0.1, as a real provider is), the app as `make run` serves it
with the provider in its secrets.toml. A person whose e-mail is an account's logs in as that
account; an unknown e-mail is refused and makes no account; a disabled account is refused and its
open login ends."""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app_server import WAIT_MS, chromium, free_port, serve
from trainer.core.base.settings import Settings
from trainer.store.accounts.accounts import Accounts
from trainer.store.store import Store

pytestmark = [
    pytest.mark.browser,
    # The provider's own code uses a call Authlib has deprecated.
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]

LOOPBACK = ("127.0.0.1", "localhost")
# Who the provider knows, by their subject there, and the e-mail it vouches for. The subjects
# differ from the accounts' names: the account is found by the e-mail alone.
PROVIDER_PEOPLE = {
    "person-17": ("Tia.Teach@School.example", True),  # Tia's account has it in lower case
    "person-18": ("dee@school.example", True),
    "person-19": ("nobody@school.example", True),  # no account has it
    "person-20": ("dee@school.example", False),  # Dee's, but the provider has not checked it
    "person-21": ("dee@school.example", "false"),  # the same, as some providers write it
}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """An OpenID provider on loopback; its address."""
    from oidc_provider_mock import User, app
    from werkzeug.serving import make_server

    people = [
        User(sub=sub, claims={"email": email, "email_verified": verified})
        for sub, (email, verified) in PROVIDER_PEOPLE.items()
    ]
    server = make_server("127.0.0.1", 0, app(user_claims=people, require_nonce=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """Tia, an instructor, and Dee, a student, with the e-mails the provider gives them."""
    folder = tmp_path_factory.mktemp("data")
    with Store.open(Settings.from_env({"TRAINER_DATA_DIR": str(folder)})) as store:
        accounts = Accounts(store)
        accounts.add("Tia", "instructor", email="tia.teach@school.example")
        accounts.add("Dee", "student", email="dee@school.example")
    return folder


@contextmanager
def accounts_of(data: Path) -> Iterator[Accounts]:
    """The app's accounts, as an admin's command changes them while it runs."""
    with Store.open(Settings.from_env({"TRAINER_DATA_DIR": str(data)})) as store:
        yield Accounts(store)


@pytest.fixture(scope="module")
def app_url(provider, data, tmp_path_factory) -> Iterator[str]:
    """The app, with the provider in its secrets.toml as `st.login` would have it."""
    port = free_port()
    folder = tmp_path_factory.mktemp("secrets")
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "trainer"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    log = folder / "streamlit.log"
    with serve(
        {"TRAINER_DATA_DIR": str(data)}, log, "--secrets.files", str(secrets_file), port=port
    ) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    # The provider's pages ask a CDN for a style sheet: nothing leaves loopback.
    context.route(re.compile(r"^https?://"), _loopback_only)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def _loopback_only(route) -> None:
    if urlsplit(route.request.url).hostname in LOOPBACK:
        route.continue_()
    else:
        route.abort()


def through_provider(page, app_url: str, subject: str) -> None:
    """From the app's login form to the provider, logging in there as subject."""
    page.goto(f"{app_url}/history")
    assert page.url.startswith(f"{app_url}/account/login")
    page.get_by_role("link", name="Log in with localhost").click()
    page.get_by_role("button", name=subject).click()


def sidebar(page):
    """Where every page shows the account's name and role."""
    return page.get_by_test_id("stSidebar")


def login_cookies(page) -> list[dict]:
    return [c for c in page.context.cookies() if c["name"] == "trainer_login"]


def test_an_instructors_e_mail_logs_in_as_that_instructor(app_url, page):
    from playwright.sync_api import expect

    through_provider(page, app_url, "person-17")
    expect(page.get_by_role("heading", name="History")).to_be_visible()  # where they set out to
    expect(sidebar(page).get_by_text("Tia · instructor")).to_be_visible()
    (cookie,) = login_cookies(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.reload()
    expect(sidebar(page).get_by_text("Tia · instructor")).to_be_visible()


def test_an_unknown_e_mail_is_refused_and_makes_no_account(app_url, page, data):
    from playwright.sync_api import expect

    through_provider(page, app_url, "person-19")
    expect(page.get_by_role("alert")).to_have_text(
        "no account here has the e-mail address your provider gave: ask an admin to add it"
    )
    assert not login_cookies(page)
    with accounts_of(data) as accounts:
        assert [a.name for a in accounts.list()] == ["Dee", "Tia"]
    page.goto(f"{app_url}/history")
    assert page.url.startswith(f"{app_url}/account/login")


def test_a_disabled_account_is_refused_and_its_open_login_ends(app_url, page, data):
    from playwright.sync_api import expect

    through_provider(page, app_url, "person-18")
    expect(sidebar(page).get_by_text("Dee · student")).to_be_visible()
    with accounts_of(data) as accounts:
        accounts.set_disabled("Dee", True)
    try:
        # The open page's next click reruns it: the login it had is over.
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Compare").click()
        expect(page.get_by_role("heading", name="Log in to the trainer")).to_be_visible()
        through_provider(page, app_url, "person-18")
        expect(page.get_by_role("alert")).to_have_text("this account is disabled: ask an admin")
        page.goto(f"{app_url}/history")
        assert page.url.startswith(f"{app_url}/account/login")
    finally:
        with accounts_of(data) as accounts:
            accounts.set_disabled("Dee", False)


@pytest.mark.parametrize("subject", ["person-20", "person-21"])
def test_an_e_mail_the_provider_has_not_verified_is_refused(app_url, page, subject):
    from playwright.sync_api import expect

    through_provider(page, app_url, subject)
    expect(page.get_by_role("alert")).to_have_text(
        "your identity provider gave no verified e-mail address: ask an admin"
    )
    assert not login_cookies(page)


def test_a_replayed_answer_from_the_provider_logs_nobody_in(app_url, page, data):
    """The provider's answer, opened again (from the history, or by someone it was copied to),
    finds no flow waiting for it."""
    from playwright.sync_api import expect

    answers = []
    page.on("request", lambda r: answers.append(r.url) if "/oauth2callback" in r.url else None)
    through_provider(page, app_url, "person-17")
    expect(sidebar(page).get_by_text("Tia · instructor")).to_be_visible()
    page.context.clear_cookies(name="trainer_login")  # the same browser, logged out
    page.goto(answers[0])
    expect(page.get_by_role("alert")).to_have_text(
        "the identity provider's answer could not be checked: log in again"
    )
    assert not login_cookies(page)
