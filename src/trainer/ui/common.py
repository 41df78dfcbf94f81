"""What every page shares: errors as messages, cached resources, settings, pickers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from trainer.capture.hand_model import verify
from trainer.core.base.errors import CalibrationError, TrainerError
from trainer.core.base.inputfile import parse_json
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration, calibration_for
from trainer.core.technique import Technique, load_technique, technique_names
from trainer.practice.pool import TrackerPool

CORE = ("foot-spine-line", "neck-back-stroke")
# What may start Markdown inside a line: code, emphasis, links and images, HTML and entities,
# $maths$, bare links (`http://`, `www.`) and Streamlit's `:icon:` directives; a backslash
# before each makes it plain text (`_` inside a word emphasises nothing). Other punctuation is
# left as typed: harmless on its own.
MARKUP = re.compile(
    r"[\\`*~\[\]<>&$]|(?<![^\W_])_|_(?![^\W_])|:(?=//|[\w/-]+:)|(?<=www)\.", re.IGNORECASE
)
# ...and what starts a block at the beginning of a text: heading, quote, list item.
LEADING = re.compile(r"^(?:\d+)?[-+=>#.)]")


# What a table shows for a value it does not have (a score not yet given, a zone never reached):
# Streamlit's own word for it is "None", which means nothing to a person.
MISSING = "-"


def table(data: Any, **options: Any) -> None:
    """A table for people: no row numbers, and "-" for a missing value, never "None"."""
    st.dataframe(data, hide_index=True, placeholder=MISSING, **options)


@contextmanager
def user_errors() -> Iterator[None]:
    """The one place where errors become messages on the page, never tracebacks."""
    try:
        yield
    except TrainerError as e:
        st.error(md(str(e)), icon=":material/error:")


def md(text: object) -> str:
    """Text from a row, a file name or an error, shown as itself wherever Markdown is drawn:
    a name like `![x](http://host/p.png)` is those characters, never an image or a link."""
    flat = MARKUP.sub(r"\\\g<0>", " ".join(str(text).split()))
    return LEADING.sub(lambda m: f"{m[0][:-1]}\\{m[0][-1]}", flat)


def max_upload_mb() -> int:
    """TRAINER_MAX_UPLOAD_MB (default 200): the largest video the app takes."""
    return Settings.from_env().max_upload_mb


def samples_dir() -> Path:
    """TRAINER_SAMPLES_DIR, default `sample_videos` in the folder the app runs from."""
    return Settings.from_env().samples_dir


def ice_servers() -> list[dict]:
    """TRAINER_ICE_SERVERS as a list for streamlit-webrtc (see Settings.ice_servers)."""
    return list(Settings.from_env().ice_servers)


@st.cache_resource
def techniques() -> dict[str, Technique]:
    """Every built-in technique, the two core ones first."""
    names = [*CORE, *(n for n in technique_names() if n not in CORE)]
    return {name: load_technique(name) for name in names}


@st.cache_resource
def tracker_pool() -> TrackerPool:
    """Hand trackers for webcam streams, kept warm; the model file is checked once.

    They brighten dark frames for the model unless TRAINER_EXPOSURE is off.
    """
    settings = Settings.from_env()
    verify(settings.model_path)
    return TrackerPool(model_path=settings.model_path, exposure=settings.exposure)


def technique_picker(key: str) -> Technique:
    """A select box of techniques by title, with the chosen one's instructions."""
    all_ = techniques()
    name = st.selectbox(
        "Technique", list(all_), format_func=lambda n: all_[n].title, key=f"{key}-technique"
    )
    technique = all_[name]
    with st.expander("How to do it", expanded=False):
        st.markdown(technique.description.strip())
        st.markdown("\n".join(f"1. {step}" for step in technique.instructions))
    return technique


def calibration_upload(
    technique: Technique, key: str, label: str = "Calibration file (JSON)"
) -> Calibration | None:
    """A calibration JSON chosen by the user, or None before one is."""
    upload = st.file_uploader(label, type=["json"], key=f"{key}-calibration")
    if upload is None:
        return None
    depth = Settings.from_env().max_json_depth
    data = parse_json(upload.getvalue(), upload.name, CalibrationError, depth)
    try:
        return calibration_for(technique, Calibration.from_dict(data))
    except CalibrationError as e:
        raise CalibrationError(f"{upload.name}: {e}") from None
