"""The login's HTTP side, mounted on Streamlit's server through `st.App` (serve.py).

Why here and not in a page: a page's Python runs over a WebSocket and cannot set a cookie the
page's scripts cannot read. These routes answer plain HTTP, so they set the login cookie with
HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it) and Secure on
HTTPS. The cookie holds a random token; the store keeps only its hash (store/accounts).

- GET/POST /account/login: the login form, then the cookie;
- GET/POST /account/setup?t=TOKEN: the first admin, from the one-time link `make run` prints;
- GET/POST /account/reset?t=TOKEN: a new password, from an admin's one-time link;
- GET /account/logout: ends the login in the store and clears the cookie;
- GET /account/oidc?provider=KEY, then GET /oauth2callback: the login through a school's
  identity provider (oidc.py), which ends in the same login row and cookie as a password.
A middleware sends every page address to the login form until there is a live login, and
refuses the pages' media (videos, plots) without one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import cache
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from trainer.core.base.errors import TrainerError
from trainer.core.base.settings import Settings
from trainer.store.accounts.links import FIRST_ADMIN, RESET, Links
from trainer.store.accounts.logins import Logins
from trainer.store.store import Store
from trainer.ui.oidc import CALLBACK, UNCHECKED, leave_for, providers, verified_email

COOKIE = "trainer_login"
# Streamlit's own paths (scripts, styles, its WebSocket): the page gate is elsewhere.
OPEN_PREFIXES = ("/_stcore/", "/static/", "/component/", "/account/", "/favicon", CALLBACK)
# What the pages show of people (kept and annotated videos, plots of their strokes): only to a
# live login. Streamlit names them by a hash, but an address copied, logged or kept in a
# browser's history must not outlive the login.
MEDIA_PREFIX = "/media/"
PAGE_STYLE = (
    "body{font-family:sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}"
    "label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font-size:1rem}"
    "button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.error{color:#b00020}"
)
# The forms' pages run no script and are never framed.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    # Not no-referrer: with it, browsers send "Origin: null" on the form's post.
    "Referrer-Policy": "same-origin",
}


class ServerLogins(Logins):
    """The logins of the store the environment names, and its one-time links."""

    def first_admin_link(self) -> str | None:
        return Links(self).first_admin()


@cache
def logins() -> ServerLogins:
    """One per server process."""
    s = Settings.from_env()
    return ServerLogins(Store.open(s), lifetime=timedelta(hours=s.login_hours))


def _form(
    title: str, action: str, fields: list[tuple[str, str, str]], error: str = "", after: str = ""
) -> str:
    """A form page, then the markup after; every text in it is escaped (names are data, never
    markup)."""
    inputs = "".join(
        f'<label for="{n}">{html.escape(label)}</label>'
        f'<input id="{n}" name="{n}" type="{kind}" required>'
        for n, label, kind in fields
    )
    problem = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)} · Massage trainer</title><style>{PAGE_STYLE}</style>"
        f"</head><body><h1>{html.escape(title)}</h1>{problem}"
        f'<form method="post" action="{html.escape(action)}">{inputs}'
        f"<button type=submit>{html.escape(title)}</button></form>{after}</body></html>"
    )


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _same_site(request: Request) -> bool:
    """A form post from this app's own page: another site's page cannot log anyone in (or
    out) here. Browsers send Origin with every POST."""
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc == request.headers.get("host")


def _logged_in(request: Request, token: str) -> Response:
    """Back to the app, carrying the new login."""
    return _with_login(RedirectResponse(_next(request), status_code=303), request, token)


def _with_login(response: Response, request: Request, token: str) -> Response:
    """The response, setting the login cookie."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(logins().lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


def _next(request: Request) -> str:
    """Where to go after logging in: a path of this app only, never another site."""
    return _local(request.query_params.get("next") or "/")


def _local(path: str) -> str:
    """path if it is one of this app's, else the app's first page: never another site.
    Browsers drop tabs and line breaks from an address and read a backslash as a slash, so a
    slash and a backslash, or a slash, a tab and a slash, would leave for another site as
    "//host" does."""
    cleaned = re.sub(r"[\t\r\n]", "", path).replace("\\", "/")
    return cleaned if cleaned.startswith("/") and not cleaned.startswith("//") else "/"


LOGIN_FIELDS = [("name", "Name", "text"), ("password", "Password", "password")]
NEW_PASSWORD = [("password", "New password (8 characters or more)", "password")]
ADMIN_FIELDS = [("name", "Your name", "text"), ("password", "Password (8 or more)", "password")]


def _login_form(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    """The name and password form and, when secrets.toml configures one, a link per identity
    provider."""
    wanted = quote(_next(request))
    links = "".join(
        f'<p><a href="/account/oidc?provider={quote(p.key)}&amp;next={wanted}">'
        f"Log in with {html.escape(p.label)}</a></p>"
        for p in providers()
    )
    action = f"/account/login?next={wanted}"
    return _page(_form("Log in", action, LOGIN_FIELDS, error, links), status)


async def login(request: Request) -> Response:
    if request.method == "GET":
        return _login_form(request)
    if not _same_site(request):
        return _page("<p>Refused: this form was sent from another site.</p>", 403)
    form = await request.form()
    address = request.client.host if request.client else "unknown"
    try:
        token = await run_in_threadpool(
            logins().with_password,
            str(form.get("name", "")),
            str(form.get("password", "")),
            address,
        )
    except TrainerError as exc:
        return _login_form(request, str(exc), 401)
    return _logged_in(request, token)


# Where the flow through the provider started: the provider and the page to come back to.
PENDING = "trainer_oidc"


async def oidc_start(request: Request) -> Response:
    """Off to the identity provider's login."""
    key = request.query_params.get("provider", "")
    request.session[PENDING] = {"provider": key, "next": _next(request)}
    try:
        return await leave_for(key, request)
    except TrainerError as exc:
        return _login_form(request, str(exc), 400)


async def oidc_callback(request: Request) -> Response:
    """Back from the provider: the account with the e-mail its ID token vouches for, if one
    is enabled here, is logged in; nothing is made for an e-mail nobody has."""
    pending = request.session.pop(PENDING, None)
    if not pending:  # an answer replayed, from the history, or for another browser
        return _login_form(request, UNCHECKED, 403)
    try:
        email = await verified_email(str(pending.get("provider", "")), request)
        token = await run_in_threadpool(logins().with_email, email)
    except TrainerError as exc:
        return _login_form(request, str(exc), 403)
    return _with_login(_moving_on(str(pending.get("next", "/"))), request, token)


def _moving_on(path: str) -> HTMLResponse:
    """A page that moves on to path by itself. Not a redirect: the browser arrived here from
    the provider's site, and a redirect would carry on that cross-site navigation, on which it
    withholds the SameSite=Strict login cookie; a move this page makes is the app's own."""
    target = _local(path)
    body = (
        f'<!doctype html><html lang=en><head><meta charset=utf-8><meta http-equiv="refresh" '
        f'content="0;url={html.escape(target)}"><title>Logged in · Massage trainer</title></head>'
        f'<body><p><a href="{html.escape(target)}">Go on to the trainer</a></p></body></html>'
    )
    return _page(body)


async def link(request: Request) -> Response:
    """The first admin's or a password reset's one-time link."""
    token = request.query_params.get("t", "")
    links = Links(logins())
    found = await run_in_threadpool(links.purpose, token)
    wanted = FIRST_ADMIN if request.url.path.endswith("/setup") else RESET
    if found is None or found[0] != wanted:
        return _page("<p>This link is unknown, used or out of date: ask for a new one.</p>", 404)
    title = "Create the first admin" if wanted == FIRST_ADMIN else f"New password for {found[1]}"
    fields = ADMIN_FIELDS if wanted == FIRST_ADMIN else NEW_PASSWORD
    action = f"{request.url.path}?t={quote(token)}"
    if request.method == "GET":
        return _page(_form(title, action, fields))
    if not _same_site(request):
        return _page("<p>Refused: this form was sent from another site.</p>", 403)
    form = await request.form()
    password = str(form.get("password", ""))
    try:
        if wanted == FIRST_ADMIN:
            name = str(form.get("name", ""))
            login_token = await run_in_threadpool(links.make_first_admin, token, name, password)
        else:
            login_token = await run_in_threadpool(links.reset_password, token, password)
    except TrainerError as exc:
        return _page(_form(title, action, fields, str(exc)), 400)
    return _logged_in(request, login_token)


async def logout(request: Request) -> Response:
    """End the login in the store (a copy of the cookie is refused from now on)."""
    await run_in_threadpool(logins().end, request.cookies.get(COOKIE))
    response = RedirectResponse("/account/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [
    Route("/account/login", login, methods=["GET", "POST"]),
    Route("/account/setup", link, methods=["GET", "POST"]),
    Route("/account/reset", link, methods=["GET", "POST"]),
    Route("/account/logout", logout, methods=["GET"]),
    Route("/account/oidc", oidc_start, methods=["GET"]),
    Route(CALLBACK, oidc_callback, methods=["GET"]),
]


class LoginGate(BaseHTTPMiddleware):
    """No page is served before login: a page address without a live login goes to the form.

    The pages check the login again on every rerun (ui/login.py): this only keeps the app's
    page from loading at all.
    """

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if request.method not in ("GET", "HEAD") or path.startswith(OPEN_PREFIXES):
            return await call_next(request)
        account = await run_in_threadpool(logins().account, request.cookies.get(COOKIE))
        if account is None and path.startswith(MEDIA_PREFIX):
            return Response("Log in to see this.", status_code=403, headers=HEADERS)
        if account is None:
            wanted = path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/account/login?next={quote(wanted)}", status_code=303)
        return await call_next(request)
