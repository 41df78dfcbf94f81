"""Every page of the app, through AppTest, as the account it is for: what it is for, said in
one line under its title."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Caption, Title

TIMEOUT = 120

# Each page, the role it is meant for (the others are told it is not theirs) and its address's
# query: a job's or a class's page is the same page showing one.
PAGES = (
    ("practice", "student", {}),
    ("guided", "student", {}),
    ("review", "student", {}),
    ("review", "student", {"job": "1"}),
    ("class_review", "instructor", {}),
    ("class_review", "instructor", {"batch": "0123456789ab"}),
    ("sample", "student", {}),
    ("history", "student", {}),
    ("compare", "student", {}),
    ("class_page", "instructor", {}),
    ("accounts_page", "admin", {}),
)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_DATABASE_URL", raising=False)
    return tmp_path / "data"


@pytest.mark.parametrize(("name", "role", "query"), PAGES)
def test_each_page_says_in_one_line_what_it_is_for(name, role, query, data_dir, log_in):
    log_in(f"A {role}", role)
    at = AppTest.from_string(
        f"from trainer.ui import {name}\n{name}.page()", default_timeout=TIMEOUT
    )
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    # Practice's and Guided session's camera needs WebRTC's runtime, which AppTest lacks: what
    # comes before it is drawn all the same.
    shown = [e for e in at.main if not isinstance(e, Block)]  # in the order they are drawn
    assert isinstance(shown[0], Title)
    assert isinstance(shown[1], Caption), f"{name}: nothing under the title says what it is for"
    line = shown[1].value
    assert "\n" not in line and len(line) <= 160, line
