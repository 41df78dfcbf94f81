"""The login on the pages: every page's data comes through `scope()`, which checks the login
cookie against the store on every rerun, so a login ended elsewhere (Log out, a password
change, a disabled account) ends here at the next click. Before a login, pages show nothing
but the way to the login form."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from trainer.core.base.settings import Settings
from trainer.store.access.jobs import ScopedJobs
from trainer.store.access.scope import Scope
from trainer.store.accounts.logins import Logins
from trainer.store.accounts.records import Account
from trainer.store.jobs.job_store import JobStore
from trainer.ui.login_routes import COOKIE
from trainer.ui.stored import open_store

LOGIN_LINK = '<a href="/account/login" target="_self">Log in</a>'


def login_token() -> str | None:
    """The login cookie the browser sent with the page's connection (HttpOnly: the page's
    own scripts never see it)."""
    value = st.context.cookies.get(COOKIE)
    # Outside a browser's connection (a bare script run) there are no cookies to read.
    return value if isinstance(value, str) else None


def logins() -> Logins:
    return Logins(open_store(), lifetime=timedelta(hours=Settings.from_env().login_hours))


def account() -> Account | None:
    return logins().account(login_token())


def scope() -> Scope:
    """The store as the logged-in account sees it; without a live login, the login link and
    nothing else (the page stops here)."""
    found = account()
    if found is None:
        st.title("Log in to the trainer")
        st.markdown(LOGIN_LINK, unsafe_allow_html=True)
        st.stop()
    return Scope(open_store(), found)


def scoped_jobs() -> ScopedJobs:
    """The review jobs the logged-in account may see and ask for."""
    return ScopedJobs(JobStore(open_store(), Settings.from_env().data_dir / "jobs"), scope())


def account_bar() -> Account:
    """The account's name and a Log out button, in the sidebar of every page."""
    found = scope().actor
    with st.sidebar:
        st.text(f"{found.name} · {found.role}")  # text: a name is never markup
        if st.button("Log out", key="log-out", icon=":material/logout:"):
            logins().end(login_token())
            st.rerun()
    return found
