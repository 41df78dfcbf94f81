"""Who may see and do what, driven on the store directly: each role (a student, a student of
another class, an instructor, an admin) against each kind of row (attempts with their videos,
review jobs with theirs, guided sessions, histories, standings, people, accounts). A row the
account may not touch answers exactly as a missing one. On SQLite and on real PostgreSQL."""

from __future__ import annotations

import pytest

from attempt_data import CALIBRATION
from attempt_data import session as judged_session
from helpers import FakeClock
from helpers import session as guide_track
from job_helpers import handless_video
from trainer.core.base.errors import AccountError, JobError, StoreError
from trainer.core.guided.session import GuidedSession
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.routine import load_routine
from trainer.core.technique import load_technique
from trainer.store.access.jobs import ScopedJobs
from trainer.store.access.scope import Scope
from trainer.store.accounts.accounts import Accounts
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import JobSpec
from trainer.store.sessions.guided import save_session
from trainer.store.store import Store

STUDENTS = ("Ann", "Ben", "Cy")
# Written out, not derived: whose rows each account sees. Ann and Ben are in Ty's class
# Monday, Cy in Tuesday (Ty does not teach it); Ida is the admin.
SEES = {
    "Ann": {"Ann"},
    "Cy": {"Cy"},
    "Ty": {"Ty", "Ann", "Ben"},
    "Ida": {"Ann", "Ben", "Cy", "Ty", "Ida"},
}
FOOT = load_technique("foot-spine-line")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def school(request, tmp_path_factory):
    """The accounts, classes and everyone's rows: per student a kept-video attempt, a review
    job and a guided session; Ty's reference."""
    tmp = tmp_path_factory.mktemp("school")
    url = (
        f"sqlite:///{tmp / 'trainer.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres")()
    )
    video = handless_video(tmp / "wall.mp4")
    with Store(url, video_dir=tmp / "videos") as store:
        accounts = Accounts(store)
        for name in STUDENTS:
            accounts.add(name, "student")
        accounts.add("Ty", "instructor")
        accounts.add("Ida", "admin")
        for class_name, members in (("Monday", ("Ann", "Ben", "Ty")), ("Tuesday", ("Cy",))):
            accounts.add_class(class_name)
            for name in members:
                accounts.join(class_name, name)
        jobs = JobStore(store, tmp / "jobs")
        rows = {"attempt": {}, "job": {}, "session": {}}
        for name in STUDENTS:
            track, review = judged_session(seed=len(rows["attempt"]))
            rows["attempt"][name] = store.save_attempt(
                person=name,
                technique="foot-spine-line",
                kind="video",
                track=track,
                calibration=Calibration.from_dict(CALIBRATION),
                review=review,
                score=review.score,
                video=video,
                keep_video=True,
            )
            rows["job"][name] = jobs.create(job_spec(name, "video"), video)
            rows["session"][name] = save_session(store, guided(), name)
        track, review = judged_session(seed=9)
        rows["reference"] = store.save_attempt(
            person="Ty",
            technique="foot-spine-line",
            kind="reference",
            track=track,
            calibration=Calibration.from_dict(CALIBRATION),
            review=review,
        )
        store.set_reference(rows["reference"], {"made": "by Ty"})
        yield store, jobs, rows, video


def job_spec(person: str, kind: str) -> JobSpec:
    return JobSpec(person, "foot-spine-line", CALIBRATION, "wall.mp4", kind=kind)


def guided() -> GuidedSession:
    guide = GuidedSession(load_routine("foot-spine"), first=True, clock=FakeClock())
    guide.start()
    track = guide_track([list(p) for p in FOOT.guide], passes=2)
    guide.add_part(0, judge_track(track, FOOT), track)
    guide.stop()
    return guide


def scope(school, name: str) -> tuple[Scope, ScopedJobs]:
    store, jobs, _, _ = school
    seen = Scope(store, Accounts(store).get(name))
    return seen, ScopedJobs(jobs, seen)


@pytest.mark.parametrize("actor", sorted(SEES))
def test_each_account_sees_exactly_its_own_rows_and_its_students(school, actor):
    _, _, rows, _ = school
    seen, jobs = scope(school, actor)
    expected = SEES[actor]
    assert set(seen.people()) == expected
    assert {a.person for a in seen.list_attempts()} == expected & {*STUDENTS, "Ty"}
    assert {j.person for j in jobs.list()} == expected & set(STUDENTS)
    assert {s.person for s in seen.list_sessions()} == expected & set(STUDENTS)
    assert {r.person for r in seen.technique_table("foot-spine-line")} == expected & set(STUDENTS)
    for name in STUDENTS:
        attempt_id, job_id = rows["attempt"][name], rows["job"][name]
        if name in expected:
            attempt = seen.load_attempt(attempt_id)
            assert attempt.person == name and seen.kept_video(attempt) is not None
            assert jobs.get(job_id).person == name and jobs.video(jobs.get(job_id)) is not None
            assert seen.history(name).person == name
            assert seen.list_attempts(person=name)
        else:
            assert_missing(lambda a=attempt_id: seen.load_attempt(a), absent_attempt(attempt_id))
            assert_missing(lambda j=job_id: jobs.get(j), f"no review job with id {job_id}")
            assert_missing(lambda n=name: seen.history(n), f"no person named {name!r}")
            assert seen.list_attempts(person=name) == []
            assert jobs.list(person=name) == []


def assert_missing(call, message: str) -> None:
    """The refusal reads word for word as the store's own for a row that does not exist."""
    with pytest.raises((StoreError, JobError)) as refused:
        call()
    assert str(refused.value) == message


def test_a_refused_row_reads_as_a_missing_one(school):
    store, jobs, _, _ = school
    missing_attempt, missing_job = 10**6, 10**6
    with pytest.raises(StoreError) as absent:
        store.load_attempt(missing_attempt)
    assert str(absent.value) == f"no attempt with id {missing_attempt}"
    with pytest.raises(JobError) as absent:
        jobs.get(missing_job)
    assert str(absent.value) == f"no review job with id {missing_job}"
    seen, _ = scope(school, "Ann")
    assert_missing(lambda: seen.load_attempt(missing_attempt), absent_attempt(missing_attempt))


def absent_attempt(attempt_id: int) -> str:
    return f"no attempt with id {attempt_id}"


@pytest.mark.parametrize("actor", sorted(SEES))
def test_everyone_reads_the_current_reference(school, actor):
    _, _, rows, _ = school
    seen, _ = scope(school, actor)
    assert seen.reference("foot-spine-line").profile == {"made": "by Ty"}
    assert seen.load_attempt(rows["reference"]).person == "Ty"


def test_a_student_cannot_change_anything_of_anothers(school):
    store, _, rows, _ = school
    seen, jobs = scope(school, "Ann")
    ben_attempt, ben_job = rows["attempt"]["Ben"], rows["job"]["Ben"]
    assert_missing(lambda: seen.delete_attempt(ben_attempt), absent_attempt(ben_attempt))
    assert_missing(lambda: jobs.cancel(ben_job), f"no review job with id {ben_job}")
    assert_missing(
        lambda: jobs.retry(ben_job, store_retry(school)), f"no review job with id {ben_job}"
    )
    with pytest.raises(JobError, match="no person named 'Ben'"):
        jobs.create(job_spec("Ben", "video"), lambda spec: pytest.fail("made"))
    track, review = judged_session(seed=3)
    with pytest.raises(StoreError, match="no person named 'Ben'"):
        seen.save_attempt(
            person="Ben",
            technique="foot-spine-line",
            kind="practice",
            track=track,
            calibration=Calibration.from_dict(CALIBRATION),
            review=review,
        )
    assert store.load_attempt(ben_attempt).person == "Ben"
    assert school[1].get(ben_job).state == "queued"


def store_retry(school):
    return lambda job_id: pytest.fail(f"job {job_id} retried")


def test_a_student_makes_no_reference_and_manages_no_account(school):
    _, _, rows, _ = school
    seen, jobs = scope(school, "Ann")
    with pytest.raises(JobError, match="only an instructor"):
        jobs.create(job_spec("Ann", "reference"), lambda spec: pytest.fail("made"))
    with pytest.raises(StoreError, match="only an instructor"):
        seen.set_reference(rows["attempt"]["Ann"], {"made": "by Ann"})
    with pytest.raises(AccountError, match="only an admin"):
        seen.accounts()
    assert seen.reference("foot-spine-line").profile == {"made": "by Ty"}


def test_an_instructor_acts_for_their_students_only(school):
    _, _, rows, _ = school
    seen, jobs = scope(school, "Ty")
    made = []
    assert jobs.create(job_spec("Ann", "video"), lambda spec: made.append(spec) or 1) == 1
    assert [m.person for m in made] == ["Ann"]
    with pytest.raises(JobError, match="no person named 'Cy'"):
        jobs.create(job_spec("Cy", "video"), lambda spec: pytest.fail("made"))
    cy_job = rows["job"]["Cy"]
    assert_missing(lambda: jobs.cancel(cy_job), f"no review job with id {cy_job}")
    with pytest.raises(AccountError, match="only an admin"):
        seen.accounts()


def test_a_student_saves_their_own_session_and_attempts(school):
    store, _, _, _ = school
    seen, _ = scope(school, "Cy")
    session_id = seen.save_session(guided())
    assert session_id in {s.id for s in seen.list_sessions()}
    assert all(s.person == "Cy" for s in seen.list_sessions())
    track, review = judged_session(seed=4)
    attempt_id = seen.save_attempt(
        technique="foot-spine-line",
        kind="practice",
        track=track,
        calibration=Calibration.from_dict(CALIBRATION),
        review=review,
    )
    assert store.load_attempt(attempt_id).person == "Cy"
    seen.delete_attempt(attempt_id)
    with pytest.raises(StoreError):
        store.load_attempt(attempt_id)


def test_an_admin_manages_accounts(school):
    seen, _ = scope(school, "Ida")
    assert [a.name for a in seen.accounts().members("Tuesday")] == ["Cy"]
