"""Save this attempt: the small form under a review and under a finished practice session.

Only the thumb track, the calibration and the review are stored unless the user ticks
"Keep the video": they are enough for every report, history and comparison.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from trainer.analysis.material import Material, reference_of, save_material
from trainer.core.judging.verdict import Review
from trainer.core.technique import technique_title
from trainer.core.track import Track
from trainer.store.access.scope import Scope
from trainer.store.db.schema import KINDS, PRACTICE_KINDS
from trainer.ui.common import md, user_errors
from trainer.ui.login import scope

Video = Path | UploadedFile


def save_form(
    track: Track | None,
    review: Review,
    key: str,
    *,
    kind: str = "video",
    video: Video | None = None,
) -> None:
    """Offer to save a reviewed attempt (once); video: the file the user may choose to keep."""
    if track is not None:
        _form(track, review, key, kind, video)


@st.fragment
def _form(track: Track, review: Review, key: str, kind: str, video: Video | None) -> None:
    """A fragment, so choosing a name or a kind reruns the form, not the whole review."""
    with st.container(border=True, key=f"{key}-save-form"):
        st.markdown("##### :material/save: Save this attempt")
        with user_errors():
            saved = st.session_state.get(f"{key}-saved")
            if saved is None or saved[0] is not review:
                form = st.empty()
                with form.container():
                    fields = _fields(review, key, kind, video)
                if fields is None:
                    return
                attempt_id = save(scope(), track, review, *fields)
                saved = (review, attempt_id, fields[0].strip())
                st.session_state[f"{key}-saved"] = saved
                st.session_state["save-last-person"] = saved[2]
                form.empty()
            st.success(
                f"Saved as attempt {saved[1]} for {md(saved[2])}: find it on the History page.",
                icon=":material/check_circle:",
            )


def _fields(
    review: Review, key: str, kind: str, video: Video | None
) -> tuple[str, str, Video | None] | None:
    """Person, kind and the video to keep (or None) once Save is pressed; else None.

    A student saves for themselves; an instructor for themselves or one of their students.
    Nobody's role is chosen here (only an admin changes roles).
    """
    seen = scope()
    who, kind_col = st.columns([2, 1])
    name = seen.actor.name
    if seen.teaches:
        people = sorted(seen.people())
        name = who.selectbox("Person", people, index=people.index(name), key=f"{key}-person")
    else:
        who.text(f"Saved for {name}")  # text: a name is never markup
    kinds = KINDS if seen.teaches else PRACTICE_KINDS
    chosen = kind_col.selectbox(
        "Kind", kinds, index=kinds.index(kind) if kind in kinds else 0, key=f"{key}-kind"
    )
    keep = st.checkbox(
        "Keep the video",
        value=False,
        disabled=video is None,
        key=f"{key}-keep",
        help="Off: only the thumb track and the scores are saved, which is enough for "
        "the history and every comparison."
        if video is not None
        else "The webcam stream is not recorded: the thumb track is saved.",
    )
    st.caption(f"Technique: {technique_title(review.technique)} · score {review.score:.0f}/100")
    if not st.button("Save", type="primary", icon=":material/save:", key=f"{key}-save"):
        return None
    return name, chosen, video if keep else None


def save(
    store: Scope,
    track: Track,
    review: Review,
    name: str,
    kind: str,
    video: Video | None = None,
) -> int:
    """Save one attempt for name, as the logged-in account may; keep the video only when one
    is given. Checked before anything is written, so a refused attempt changes nothing."""
    material = Material.from_review(name, track, review)
    store.check_new(name, kind)
    if kind == "reference":
        reference_of(material)  # raises when there is no forward stroke to learn from
    with _video_file(video) as path:
        return save_material(store, material, name, kind, path, keep_video=path is not None)


@contextmanager
def _video_file(video: Video | None) -> Iterator[Path | None]:
    """The video as a file on disk: an upload is written to a temporary folder first."""
    if video is None or isinstance(video, Path):
        yield video
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{Path(video.name).suffix.lower()}"
        path.write_bytes(video.getbuffer())
        yield path
