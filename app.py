"""The trainer's web app: `streamlit run app.py` (or `make run`)."""

from pathlib import Path

import streamlit as st

from trainer.ui import (
    accounts_page,
    class_page,
    class_review,
    compare,
    guided,
    history,
    practice,
    review,
    sample,
)
from trainer.ui.login import account_bar

# A file served by the app itself: a :material: icon as the tab's icon is fetched from a font
# service by every browser.
ICON = Path(__file__).parent / "src" / "trainer" / "ui" / "icon.png"
st.set_page_config(page_title="Massage trainer", page_icon=str(ICON), layout="wide")
# Before any page: without a live login this shows the way to log in and stops.
account = account_bar()
# Pages by role: a student meets only what a student can do (the store refuses the rest
# anyway); an instructor also reviews a class and sees their class, an admin the accounts.
teaching = account.role in ("instructor", "admin")
pages = [
    st.Page(
        practice.page,
        title="Practice",
        icon=":material/videocam:",
        url_path="practice",
        default=True,
    ),
    st.Page(
        guided.page,
        title="Guided session",
        icon=":material/self_improvement:",
        url_path="guided",
    ),
    st.Page(review.page, title="Review a video", icon=":material/upload:", url_path="review"),
]
if teaching:
    pages.append(
        st.Page(
            class_review.page, title="Review a class", icon=":material/groups:", url_path="class"
        )
    )
pages += [
    st.Page(sample.page, title="Try a sample", icon=":material/movie:", url_path="sample"),
    st.Page(history.page, title="History", icon=":material/history:", url_path="history"),
    st.Page(compare.page, title="Compare", icon=":material/compare_arrows:", url_path="compare"),
]
if teaching:
    pages.append(
        st.Page(class_page.page, title="My class", icon=":material/school:", url_path="myclass")
    )
if account.is_admin:
    pages.append(
        st.Page(
            accounts_page.page,
            title="Accounts",
            icon=":material/manage_accounts:",
            url_path="accounts",
        )
    )
st.navigation(pages).run()
