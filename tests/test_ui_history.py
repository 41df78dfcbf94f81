"""Saving attempts, the History page and the Compare page through AppTest, on a real SQLite
store in a temporary TRAINER_DATA_DIR filled with the sample videos' judged ground truths."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from streamlit.testing.v1 import AppTest

from attempt_data import fill, judged, sample_video
from trainer.core.base.settings import Settings
from trainer.store.store import Store

TIMEOUT = 60  # seconds: the first run imports the whole package; the machine is shared
# What a person reads for each technique, as src/trainer/core/techniques/*.toml spell it.
TITLES = {
    "foot-spine-line": "Foot reflex massage: the spine line",
    "neck-back-stroke": "Back of the neck: stroking from the hairline down",
}

SAVE = """
import streamlit as st
from trainer.ui.save import save_form
s = st.session_state
save_form(s["track"], s["review"], "t", video=s.get("video"))
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture
def store(data_dir):
    with Store.open(Settings.from_env()) as s:
        yield s


@pytest.fixture
def filled(store):
    return fill(store)


def save_app(name: str, video=None) -> AppTest:
    at = AppTest.from_string(SAVE, default_timeout=TIMEOUT)
    at.session_state["track"], at.session_state["review"] = judged(name)
    if video is not None:
        at.session_state["video"] = video
    return at.run()


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


def test_a_student_saves_the_track_not_the_video_for_themselves_and_only_once(store, log_in):
    log_in("Ann")
    at = save_app("foot-spine-line_off_line", video=sample_video("foot-spine-line_off_line"))
    assert not at.exception
    assert at.checkbox[0].label == "Keep the video" and at.checkbox[0].value is False
    (kind,) = at.selectbox  # no person to choose: a student saves for themselves
    assert kind.value == "video" and kind.options == ["video", "practice"]
    assert not at.radio and not at.text_input  # no role, no new name
    assert "Saved for Ann" in texts(at.text)
    at.button[0].click().run()
    assert not at.exception and not at.error
    (saved,) = store.list_attempts()
    assert texts(at.success) == (
        f"Saved as attempt {saved.id} for Ann: find it on the History page."
    )
    assert (saved.person, saved.role, saved.kind) == ("Ann", "student", "video")
    assert saved.technique == "foot-spine-line" and not saved.video_kept
    assert saved.score == pytest.approx(at.session_state["review"].score, abs=0.05)
    assert store.load_attempt(saved.id).track.detected.sum() > 300
    at.run()  # any later rerun: the same result is not saved twice
    assert len(store.list_attempts()) == 1 and not at.button


def test_an_instructor_saves_a_reference_with_its_video(store, data_dir, log_in):
    log_in("Dee", "instructor")
    at = save_app("foot-spine-line_correct", video=sample_video("foot-spine-line_correct"))
    assert at.selectbox(key="t-person").options == ["Dee"]  # no student in a class of hers yet
    at.selectbox(key="t-kind").set_value("reference")
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.error
    (saved,) = store.list_attempts()
    assert (saved.role, saved.kind, saved.video_kept) == ("instructor", "reference", True)
    assert store.reference("foot-spine-line").attempt_id == saved.id
    assert len(list((data_dir / "videos").glob("*.mp4"))) == 1


def test_an_admin_saves_for_anyone_known_and_sets_no_role(store, filled, log_in):
    log_in("Ida", "admin")
    at = save_app("foot-spine-line_correct")
    person = at.selectbox(key="t-person")
    assert person.options == ["Ann", "Bo", "Dee", "Ida"] and person.value == "Ida"
    assert not at.radio and not at.text_input  # roles change on the Accounts page only
    assert at.checkbox[0].disabled  # no video to keep


def history_page() -> AppTest:
    return AppTest.from_string(
        "from trainer.ui import history\nhistory.page()", default_timeout=TIMEOUT
    ).run()


def test_history_of_an_empty_store_says_how_to_fill_it(data_dir, log_in):
    log_in("Ann")
    at = history_page()
    assert not at.exception
    assert "Save this attempt" in at.info[0].value


def test_history_of_a_person_and_of_a_technique(filled, log_in):
    log_in("Ida", "admin")  # sees everyone
    at = history_page()
    assert not at.exception
    person = at.selectbox(key="history-person")
    assert person.options == ["Ann (student)", "Bo (student)", "Dee (instructor)"]
    person.set_value("Bo").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Attempts"] == "2" and metrics["Techniques"] == "2"
    assert len(at.get("image")) == 2  # one progress chart per technique
    table = at.dataframe[0].value
    assert table["attempt"].tolist() == [filled["bo_neck"], filled["bo_fast"]]  # newest first
    assert not at.button  # a student makes no reference
    technique = at.selectbox(key="history-technique")
    assert technique.options == [TITLES["foot-spine-line"], TITLES["neck-back-stroke"]]
    standing = at.dataframe[1].value
    assert standing["person"].tolist() == ["Ann", "Bo"]  # by best score; references apart
    assert standing["best"].iloc[0] > standing["best"].iloc[1]
    assert standing["attempts"].tolist() == [2, 1]
    assert f"Reference: attempt {filled['demo']} by Dee" in texts(at.caption)


def shown_text(at: AppTest, figures: list[Figure]) -> str:
    """Every word the page shows: its texts, choices, table cells and its charts' texts."""
    kinds = ("title", "caption", "markdown", "text", "info", "success", "warning", "metric")
    words = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    words += [e.label for e in at.metric]
    words += [option for box in at.selectbox for option in box.options]
    words += [str(cell) for d in at.dataframe for cell in d.value.to_numpy().ravel()]
    words += [str(column) for d in at.dataframe for column in d.value.columns]
    words += [t.get_text() for fig in figures for t in fig.findobj(Text)]
    return "\n".join(words)


def test_history_names_each_technique_by_its_title_never_its_code_name(filled, log_in, monkeypatch):
    from trainer.ui import history as history_module

    figures: list[Figure] = []
    real = history_module.progress_figure
    monkeypatch.setattr(
        history_module,
        "progress_figure",
        lambda *args, **kwargs: figures.append(real(*args, **kwargs)) or figures[-1],
    )
    log_in("Ida", "admin")
    at = history_page()
    at.selectbox(key="history-person").set_value("Bo").run()  # one attempt on each technique
    assert not at.exception
    assert len(figures) >= 2 and len(at.get("image")) == 2
    drawn = figures[-2:]  # this run's charts, one per technique
    titles = sorted(fig.get_suptitle() for fig in drawn)
    assert titles == [
        f"{TITLES['neck-back-stroke']} (1 attempt)",
        f"{TITLES['foot-spine-line']} (1 attempt)",
    ]
    legends = [[t.get_text() for t in fig.axes[0].get_legend().get_texts()] for fig in drawn]
    assert sorted(legends) == [[TITLES["neck-back-stroke"]], [TITLES["foot-spine-line"]]]
    attempts = at.dataframe[0].value
    assert sorted(attempts["technique"]) == sorted(TITLES.values())
    page = shown_text(at, drawn)
    for name, title in TITLES.items():
        assert title in page and name not in page


def test_an_instructor_whose_only_attempt_is_a_reference_has_a_best_score(filled, store, log_in):
    log_in("Dee", "instructor")
    at = history_page()
    at.selectbox(key="history-person").set_value("Dee").run()
    metrics = {m.label: m.value for m in at.metric}
    [demo] = [a for a in store.list_attempts() if a.id == filled["demo"]]
    assert metrics["Attempts"] == "1" and demo.score == 100
    assert (metrics["Best score"], metrics["Latest score"]) == ("100", "100")


def test_an_instructor_makes_a_review_the_reference(filled, store, log_in):
    store.set_role("Ann", "instructor")  # Ann qualified since
    log_in("Ann")
    at = history_page()
    at.selectbox(key="history-person").set_value("Ann").run()
    choice = at.selectbox(key="history-reference")
    assert choice.value.id == filled["ann_good"]  # best first
    at.button(key="history-make-ref").click().run()
    assert not at.exception and not at.error
    ref = store.reference("foot-spine-line")
    assert ref.attempt_id not in filled.values()  # a copy, so the review stays in the history
    assert store.load_attempt(ref.attempt_id).person == "Ann"
    assert f"Attempt {ref.attempt_id} is now the reference for {TITLES['foot-spine-line']}" in (
        texts(at.success)
    )


def compare_page() -> AppTest:
    return AppTest.from_string(
        "from trainer.ui import compare\ncompare.page()", default_timeout=TIMEOUT
    ).run()


def summary(store, attempt_id):
    """The attempt as the pages' select boxes hold it."""
    return next(a for a in store.list_attempts() if a.id == attempt_id)


def test_compare_an_off_line_review_with_the_reference(filled, store, log_in):
    log_in("Ida", "admin")
    at = compare_page()
    assert at.selectbox(key="compare-a").value.id == filled["bo_neck"]  # newest first
    at.selectbox(key="compare-a").set_value(summary(store, filled["ann_off"])).run()
    assert not at.exception
    b = at.selectbox(key=f"compare-b-{filled['ann_off']}")
    assert b.value == "reference"
    assert b.options[0].startswith(f"The reference for {TITLES['foot-spine-line']}")
    zones = at.dataframe[0].value
    assert zones["zone"].tolist() == ["sacrum", "lumbar", "thoracic", "cervical"]
    # The sample strokes a quarter of the path's length off, to the left (sample_videos/README).
    assert zones["offset"].tolist() == ["-25%"] * 4
    assert {m.label: m.value for m in at.metric}["Mean gap"] == "25%"
    demo = f"attempt {filled['demo']} (Dee)"
    assert f"25% of the path's length to the left of {demo}" in texts(at.markdown)
    assert f"attempt {filled['ann_off']} (Ann) was not kept" in at.info[0].value
    assert len(at.get("image")) == 3  # both paths on one plot, then each thumb track
    assert not at.get("video")


def test_compare_names_each_line_and_finding_by_its_attempt(filled, store, log_in, monkeypatch):
    # The instructor's demonstration as A, a student's off-line attempt as B: the plot's
    # legend and the findings must not call A "student" nor say the instructor was off.
    from trainer.ui import compare as compare_module

    named = []
    real = compare_module.comparison_figure
    monkeypatch.setattr(
        compare_module,
        "comparison_figure",
        lambda c, a, b="the reference", title=None: named.append((a, b)) or real(c, a, b, title),
    )
    log_in("Ida", "admin")
    at = compare_page()
    at.selectbox(key="compare-a").set_value(summary(store, filled["demo"])).run()
    b = at.selectbox(key=f"compare-b-{filled['demo']}")
    b.set_value(summary(store, filled["ann_off"])).run()
    assert not at.exception
    demo, off = f"attempt {filled['demo']} (Dee)", f"attempt {filled['ann_off']} (Ann)"
    assert named[-1] == (demo, off)
    findings = [line for line in texts(at.markdown).split("\n") if line.startswith("- ")]
    assert findings and all(f"to the right of {off}" in line for line in findings)


def test_compare_two_kept_videos_side_by_side(filled, store, log_in):
    log_in("Ida", "admin")
    at = compare_page()
    at.selectbox(key="compare-a").set_value(summary(store, filled["ann_good"])).run()
    b = at.selectbox(key=f"compare-b-{filled['ann_good']}")
    b.set_value(summary(store, filled["demo"])).run()
    assert not at.exception
    assert len(at.get("video")) == 2
    assert "closely in every zone" in texts(at.success)


def test_the_stroke_table_is_in_words_and_units_people_know():
    at = AppTest.from_string(
        "import streamlit as st\nfrom trainer.ui import results\n"
        "results.strokes(st.session_state['review'])",
        default_timeout=TIMEOUT,
    )
    at.session_state["review"] = judged("foot-spine-line_off_line")[1]
    table = at.run().dataframe[0].value
    assert list(table.columns) == [
        "stroke",
        "starts at (s)",
        "takes (s)",
        "direction",
        "off the line (% of the path)",
        "path covered (%)",
        "verdict",
    ]
    # The sample strokes 0.25 path lengths below the line, the whole line each time.
    assert list(table["off the line (% of the path)"]) == [25, 25, 25]
    assert all(95 <= c <= 100 for c in table["path covered (%)"])
    assert set(table["direction"]) == {"the right way"}
    assert all(v.startswith("Stay on the line: you drifted") for v in table["verdict"])
    assert all(t == round(t, 1) for t in table["starts at (s)"])
