"""The app served with its login routes: `streamlit run serve.py` (what `make run` does).

app.py draws the pages; this wraps it in `st.App` so the server also answers the login's plain
HTTP routes (which set the HttpOnly cookie) and sends page addresses to the login form until
there is a login (src/trainer/ui/login_routes.py). At start it prints the first admin's
one-time link while there is no admin.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware
from streamlit import net_util

from trainer.ui.login_routes import ROUTES, LoginGate
from trainer.ui.serving import announce


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    announce()
    yield


# Streamlit also looks up the machine's external address (a public service) to judge a
# cross-origin request's origin; the app answers its own users only, so it never asks.
net_util.get_external_ip = lambda: None

app = st.App("app.py", routes=ROUTES, middleware=[Middleware(LoginGate)], lifespan=lifespan)
