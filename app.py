"""The trainer's web app: `streamlit run app.py` (or `make run`)."""

import streamlit as st

from trainer.ui import practice, review, sample

st.set_page_config(page_title="Massage trainer", page_icon=":material/back_hand:", layout="wide")
st.navigation(
    [
        st.Page(
            practice.page,
            title="Practice",
            icon=":material/videocam:",
            url_path="practice",
            default=True,
        ),
        st.Page(review.page, title="Review a video", icon=":material/upload:", url_path="review"),
        st.Page(sample.page, title="Try a sample", icon=":material/movie:", url_path="sample"),
    ]
).run()
