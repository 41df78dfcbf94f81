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
from trainer.core.base.errors import TrainerError
from trainer.core.judging.verdict import Review
from trainer.core.track import Track
from trainer.store.db.schema import KINDS, ROLES
from trainer.store.store import Store
from trainer.ui.common import person_choice, user_errors
from trainer.ui.stored import open_store

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
    """A fragment, so choosing a name or a role reruns the form, not the whole review."""
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
                attempt_id = save(open_store(), track, review, *fields)
                saved = (review, attempt_id, fields[0].strip())
                st.session_state[f"{key}-saved"] = saved
                st.session_state["save-last-person"] = saved[2]
                form.empty()
            st.success(
                f"Saved as attempt {saved[1]} for {saved[2]}: find it on the History page.",
                icon=":material/check_circle:",
            )


def _fields(
    review: Review, key: str, kind: str, video: Video | None
) -> tuple[str, str, str, Video | None] | None:
    """Person, role, kind and the video to keep (or None) once Save is pressed; else None."""
    known = dict(open_store().list_people())
    who, role_col, kind_col = st.columns([2, 1.3, 1])
    with who:
        last = st.session_state.get("save-last-person")
        name = person_choice(known, key, "Person", last, new_first=True)
    role = role_col.radio(
        "Role",
        ROLES,
        index=ROLES.index(known.get(name, "student")),
        horizontal=True,
        key=f"{key}-role-{name}",
    )
    chosen = kind_col.selectbox("Kind", KINDS, index=KINDS.index(kind), key=f"{key}-kind")
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
    st.caption(f"Technique: {review.technique} · score {review.score:.0f}/100")
    if not st.button("Save", type="primary", icon=":material/save:", key=f"{key}-save"):
        return None
    return name, role, chosen, video if keep else None


def save(
    store: Store,
    track: Track,
    review: Review,
    name: str,
    role: str,
    kind: str,
    video: Video | None = None,
) -> int:
    """Save one attempt for name with that role; keep the video only when one is given.

    Checked before anything is written, so a refused attempt leaves the store as it was.
    """
    name = name.strip()
    if not name:
        raise TrainerError("Type the person's name first.")
    material = Material.from_review(name, track, review)
    if kind == "reference":
        if role != "instructor":
            raise TrainerError("A reference demonstration is an instructor's: choose instructor.")
        reference_of(material)  # raises when there is no forward stroke to learn from
    if store.add_person(name, role) != role:
        store.set_role(name, role)  # the form showed their role: another one is the user's choice
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
