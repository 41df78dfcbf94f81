"""The login in a real browser (Debian's chromium through Playwright) against the app as
`make run` serves it: nothing at any page address before a login; a student opening another's
job or attempt address, or History, sees nothing of theirs; a login survives a reload and dies
at Log out, its old cookie refused when replayed; an instructor sees both students."""

from __future__ import annotations

import re

import pytest

from app_server import WAIT_MS, chromium, log_in, screenshot, serve
from attempt_data import CALIBRATION
from attempt_data import session as judged_session
from job_helpers import handless_video
from trainer.core.base.settings import Settings
from trainer.core.path.calibration import Calibration
from trainer.store.accounts.accounts import Accounts
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import JobSpec
from trainer.store.store import Store

pytestmark = pytest.mark.browser

PASSWORD = "a good long password"
PAGES = ("/", "/practice", "/guided", "/review", "/class", "/sample", "/history", "/compare")


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """Ann and Ben, students of Tia's class, each with an attempt and a review job."""
    data = tmp_path_factory.mktemp("data")
    video = handless_video(tmp_path_factory.mktemp("video") / "wall.mp4")
    settings = Settings.from_env({"TRAINER_DATA_DIR": str(data)})
    ids = {}
    with Store.open(settings) as store:
        accounts = Accounts(store)
        accounts.add_class("Monday")
        accounts.add("Tia", "instructor", password=PASSWORD)
        accounts.join("Monday", "Tia")
        # Jobs wait unanswered: the tests look at them, nothing needs to run them.
        jobs = JobStore(store, settings.data_dir / "jobs")
        for seed, name in enumerate(("Ann", "Ben")):
            accounts.add(name, "student", password=PASSWORD)
            accounts.join("Monday", name)
            track, review = judged_session(seed=seed)
            attempt = store.save_attempt(
                person=name,
                technique="foot-spine-line",
                kind="video",
                track=track,
                calibration=Calibration.from_dict(CALIBRATION),
                review=review,
                score=review.score,
            )
            spec = JobSpec(name, "foot-spine-line", CALIBRATION, f"{name}-secret.mp4")
            ids[name] = (attempt, jobs.create(spec, video))
    return data, ids


@pytest.fixture(scope="module")
def app_url(school, tmp_path_factory):
    data, _ = school
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    # No local workers: the jobs stay queued while the pages are looked at.
    with serve({"TRAINER_DATA_DIR": str(data), "TRAINER_JOB_WORKERS": "1"}, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def app_text(page) -> str:
    """What the app's page shows, once it has drawn its title."""
    from playwright.sync_api import expect

    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_timeout(1500)  # the rest of the page's first run
    return page.locator("body").inner_text()


@pytest.mark.parametrize("path", [*PAGES, "/review?job=1", "/compare?a=1", "/history?person=Ben"])
def test_every_page_address_shows_only_the_login_form_before_a_login(app_url, page, path):
    page.goto(f"{app_url}{path}")
    assert page.url.startswith(f"{app_url}/account/login")
    text = page.locator("body").inner_text()
    assert "Log in" in text
    for secret in ("Ann", "Ben", "secret", "Score", "History"):
        assert secret not in text


def test_a_student_sees_nothing_of_another_by_any_address(app_url, page, school):
    from playwright.sync_api import expect

    _, ids = school
    ben_attempt, ben_job = ids["Ben"]
    log_in(page, app_url, "Ann", PASSWORD)
    page.goto(f"{app_url}/review?job={ben_job}")
    expect(page.get_by_text(f"no review job with id {ben_job}")).to_be_visible()
    assert "Ben" not in app_text(page)
    page.goto(f"{app_url}/compare?a={ben_attempt}")
    expect(page.get_by_text(f"Attempt '{ben_attempt}' not found.")).to_be_visible()
    assert "Ben" not in app_text(page)
    page.goto(f"{app_url}/history?person=Ben")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    text = app_text(page)
    assert "Ann" in text and "Ben" not in text
    page.goto(f"{app_url}/review?job={ids['Ann'][1]}")
    expect(page.get_by_text("Ann-secret.mp4")).to_be_visible()  # her own job is there


def test_a_login_survives_a_reload_and_dies_at_log_out(app_url, page):
    from playwright.sync_api import expect

    log_in(page, app_url, "Ann", PASSWORD)
    page.goto(f"{app_url}/history")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    cookies = page.context.cookies()
    (login,) = [c for c in cookies if c["name"] == "trainer_login"]
    assert login["httpOnly"] and login["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("trainer_login") == -1  # scripts cannot read it
    page.reload()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.get_by_text("Ann · student")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to the trainer")).to_be_visible()
    page.context.clear_cookies()
    page.context.add_cookies([login])  # the old cookie, replayed
    page.goto(f"{app_url}/history")
    assert page.url.startswith(f"{app_url}/account/login")


def test_the_instructor_sees_both_students(app_url, page):
    from playwright.sync_api import expect

    log_in(page, app_url, "Tia", PASSWORD)
    page.goto(f"{app_url}/history")
    person = page.get_by_role("combobox", name="Person")
    expect(person).to_be_visible()
    person.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    names = [re.sub(r" \(.*\)$", "", o) for o in options.all_inner_texts()]
    assert names == ["Ann", "Ben"]


def test_a_wrong_password_is_refused_on_the_form(app_url, page):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/account/login")
    page.get_by_label("Name").fill("Ann")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong name or password")
    # No identity provider in this app's secrets.toml: the form offers none.
    expect(page.get_by_role("link", name=re.compile("Log in with"))).to_have_count(0)
    assert not [c for c in page.context.cookies() if c["name"] == "trainer_login"]


def test_the_pictures_of_a_page_are_refused_without_a_live_login(app_url, page, browser, school):
    """A plot of two students' strokes is served to the instructor's login, and its address
    is refused to a browser with no login and, after Log out, to the instructor's own."""
    from playwright.sync_api import expect

    _, ids = school
    log_in(page, app_url, "Tia", PASSWORD)
    page.goto(f"{app_url}/compare?a={ids['Ann'][0]}&b={ids['Ben'][0]}")
    picture = page.locator("img[src*='/media/']").first
    expect(picture).to_be_visible()
    address = picture.get_attribute("src")
    address = address if address.startswith("http") else f"{app_url}{address}"
    assert page.request.get(address).status == 200
    stranger = browser.new_context()
    try:
        assert stranger.request.get(address).status == 403
    finally:
        stranger.close()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to the trainer")).to_be_visible()
    assert page.request.get(address).status == 403


STUDENT_PAGES = {
    "": "Practice",
    "guided": "Guided session",
    "review": "Review a video",
    "sample": "Try a sample",
    "history": "History",
    "compare": "Compare",
}
INSTRUCTOR_PAGES = {**STUDENT_PAGES, "class": "Review a class", "myclass": "My class"}


@pytest.mark.parametrize("who", ["Ann", "Tia"])
def test_a_first_visit_to_every_page_reads_as_words(app_url, page, who):
    """Every page a student (Ann) or an instructor (Tia) has, as they first meet it: its title,
    a line saying what it is for, no error, nothing a person should not read ("None", "nan",
    a traceback, a fault code); a screenshot of each in test-artifacts/."""
    from playwright.sync_api import expect

    log_in(page, app_url, who, PASSWORD)
    pages = INSTRUCTOR_PAGES if who == "Tia" else STUDENT_PAGES
    # The menu lists these pages and no other: none a student may not use.
    menu = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(menu.first).to_be_visible()
    titles = [text.splitlines()[-1] for text in menu.all_inner_texts()]  # after its icon
    assert sorted(titles) == sorted(pages.values())
    for path, title in pages.items():
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(f"{app_url}/{path}")
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        main = page.get_by_test_id("stMain")
        expect(main.get_by_test_id("stCaptionContainer").first).to_be_visible()
        if path:  # Practice's run never ends (its camera component waits)
            expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()
        text = main.inner_text()
        assert not page.get_by_test_id("stException").count(), (path, text)
        for word in ("None", "nan", "Traceback", "off_line", "exercise_short", "direction_ok"):
            assert not re.search(rf"\b{word}\b", text), (who, path, word)
        role = "instructor" if who == "Tia" else "student"
        screenshot(page, f"first-visit-{role}-{path or 'practice'}", settled=bool(path))
