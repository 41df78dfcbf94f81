"""Guided sessions in the store: saved with their exercises' attempts, listed for History."""

from __future__ import annotations

import pytest

from helpers import FakeClock, session
from trainer.core.base.errors import StoreError
from trainer.core.guided.session import GuidedSession
from trainer.core.judging.streaming import judge_track
from trainer.core.routine import load_routine
from trainer.core.technique import load_technique
from trainer.store.sessions import guided as sessions_module
from trainer.store.sessions.guided import has_sessions, list_sessions, save_session
from trainer.store.store import Store

FOOT = load_technique("foot-spine-line")


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "postgresql"])
def store(request, tmp_path):
    url = {
        "sqlite-file": f"sqlite:///{tmp_path / 'trainer.db'}",
        "sqlite-memory": "sqlite://",
    }.get(request.param) or request.getfixturevalue("postgres")()
    with Store(url, video_dir=tmp_path / "videos") as s:
        yield s


def stopped_session() -> GuidedSession:
    """foot-spine, a first session: two stretches of the first foot, stopped on the second."""
    clock = FakeClock()
    guide = GuidedSession(load_routine("foot-spine"), first=True, clock=clock)
    guide.start()
    for passes, offset in ((3, 0.0), (2, 0.25)):
        track = session([list(p) for p in FOOT.guide], passes=passes, offset=offset)
        guide.add_part(0, judge_track(track, FOOT), track)
    clock.advance(200)
    guide.next()
    clock.advance(30)
    guide.stop()
    return guide


def test_a_session_is_saved_with_its_attempts_and_listed(store):
    guide = stopped_session()
    store.add_person("Ann", "student")
    session_id = save_session(store, guide, "Ann")
    attempts = store.list_attempts(person="Ann")
    assert [(a.kind, a.technique, a.n_strokes) for a in attempts] == [
        ("practice", "foot-spine-line", 3),
        ("practice", "foot-spine-line", 2),
    ]
    assert [a.score for a in attempts] == pytest.approx(
        [r.score for r, _ in guide.records[0].parts]
    )
    [saved] = list_sessions(store, "Ann")
    assert (saved.id, saved.person, saved.routine) == (session_id, "Ann", "foot-spine")
    # Stopped in the optional second exercise: the first foot was done, so it is complete.
    assert saved.first and saved.complete and saved.seconds == pytest.approx(230)
    assert saved.attempts == ((0, attempts[0].id), (0, attempts[1].id))
    first, second = saved.summary["exercises"]
    assert (first["strokes"], first["ended_by"], first["seconds"]) == (5, "next", 200)
    assert first["score"] == pytest.approx(guide.records[0].score, abs=0.05)
    assert (second["strokes"], second["score"], second["ended_by"]) == (0, None, "stop")
    assert has_sessions(store, "Ann", "foot-spine")
    assert not has_sessions(store, "Ann", "neck-and-back")
    assert not has_sessions(store, "Bo", "foot-spine")
    assert list_sessions(store, "Bo") == []


def test_forgetting_an_attempt_unlinks_it_from_its_session(store):
    store.add_person("Ann", "student")
    save_session(store, stopped_session(), "Ann")
    first, second = store.list_attempts()
    store.delete_attempt(first.id)
    [saved] = list_sessions(store)
    assert saved.attempts == ((0, second.id),)


def test_an_incomplete_session_without_camera_work_is_saved_too(store):
    guide = GuidedSession(load_routine("neck-and-back"), first=False, clock=FakeClock())
    guide.start()
    guide.stop()
    store.add_person("Bo", "instructor")
    save_session(store, guide, "Bo")
    [saved] = list_sessions(store)
    assert not saved.complete and not saved.first and saved.attempts == ()
    assert [e["ended_by"] for e in saved.summary["exercises"]] == ["stop"] + [None] * 4


def test_a_session_for_someone_unknown_is_refused_and_writes_nothing(store):
    with pytest.raises(StoreError, match="no person named 'Cy'"):
        save_session(store, stopped_session(), "Cy")
    assert store.list_people() == [] and store.list_attempts() == []


def test_a_session_whose_row_fails_leaves_no_attempt_behind(store, monkeypatch):
    """The attempts and the session row are one transaction: when the database refuses the
    row, and every write after it (it went read-only), no attempt was ever written."""
    guide = stopped_session()
    store.add_person("Ann", "student")

    class Refused:
        """The sessions table, as the database refuses it."""

        @staticmethod
        def insert() -> None:
            store.read_only = True
            raise StoreError("the database went read-only")

    with monkeypatch.context() as patch:
        patch.setattr(sessions_module, "sessions", Refused)
        with pytest.raises(StoreError) as refused:
            save_session(store, guide, "Ann")
    assert store.list_attempts() == [] and list_sessions(store) == []
    assert "went read-only" in str(refused.value)  # the error that stopped it, not a later one
