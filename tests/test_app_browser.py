"""End to end in a real browser: Debian's chromium, driven by Playwright, against the app as
`make run` serves it (serve.py) on a free loopback port, logged in as a student, with the
bundled sample videos (uploaded, and played by Chromium's fake camera). Screenshots go to
test-artifacts/."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from app_server import WAIT_MS, camera_file, chromium, log_in, screenshot, serve
from conftest import ROOT, require
from trainer.core.base.settings import Settings
from trainer.store.accounts.accounts import Accounts
from trainer.store.store import Store

pytestmark = pytest.mark.browser

SAMPLES = ROOT / "sample_videos"
STUDENT, PASSWORD = "Ann Example", "a good long password"
CLOCK_SCALE = 4  # guided sessions' clocks: a 5-minute exercise takes 75 s (room for a slow camera)

# Records what the page asks the browser to say (and to beep) instead of saying it.
SPEECH_STUB = """
window.__spoken = [];
window.__tones = 0;
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {
    speaking: false, pending: false, paused: false,
    speak(u) { window.__spoken.push({text: u.text, volume: u.volume}); },
    cancel() { window.__spoken.push({cancel: true}); },
    pause() {}, resume() {}, getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  },
});
window.AudioContext = function () {
  const node = () => ({frequency: {}, gain: {}, connect(x) { return x; },
                       start() { window.__tones += 1; }, stop() {}});
  return {currentTime: 0, destination: {}, createOscillator: node, createGain: node};
};
"""


@pytest.fixture(scope="module")
def sample() -> Path:
    """The bundled sample of correct foot strokes (the app's default technique)."""
    return require(SAMPLES / "foot-spine-line_correct.mp4", "sample videos (make samples)")


@pytest.fixture(scope="module")
def camera(sample, tmp_path_factory) -> Path:
    """The sample, for Chromium's fake camera."""
    return camera_file(sample, tmp_path_factory.mktemp("camera") / "camera.y4m")


@pytest.fixture(scope="module")
def app_url(model_path, tmp_path_factory):
    """The app as `make run` serves it, started for these tests and stopped after them, with
    the student whose login every test's page starts with."""
    data = tmp_path_factory.mktemp("data")
    with Store.open(Settings.from_env({"TRAINER_DATA_DIR": str(data)})) as store:
        Accounts(store).add(STUDENT, "student", password=PASSWORD)
    env = {
        "TRAINER_SAMPLES_DIR": str(SAMPLES),
        "TRAINER_DATA_DIR": str(data),
        "TRAINER_CLOCK_SCALE": str(CLOCK_SCALE),
    }
    with serve(env, tmp_path_factory.mktemp("log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(camera):
    with chromium(camera) as b:
        yield b


@pytest.fixture
def page(browser, app_url):
    """A new browser context, logged in as the student."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    log_in(page, app_url, STUDENT, PASSWORD)
    yield page
    context.close()


def _wait_for_count(metric, above: int) -> int:
    """The metric's number once it exceeds `above` (a wait on the page's text)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        found = re.search(r"(\d+)\s*$", metric.inner_text())
        if found and int(found.group(1)) > above:
            return int(found.group(1))
        time.sleep(0.2)
    pytest.fail(f"{metric.inner_text()!r} did not rise above {above}")


def test_practice_live_cues_and_stroke_count(app_url, page):
    from playwright.sync_api import expect

    page.goto(app_url)
    expect(page.get_by_role("heading", name="Practice")).to_be_visible()
    # The fake camera plays a recorded sample, not a selfie: shown unmirrored (it is judged
    # as filmed either way; test_practice_agrees checks both settings).
    page.get_by_text("Mirror the picture").click()
    expect(page.get_by_role("switch", name="Mirror the picture")).not_to_be_checked()
    webrtc = page.frame_locator("iframe[title*='webrtc']").first
    webrtc.get_by_role("button", name="START").click()
    cue = page.get_by_test_id("live-cue")
    # The camera plays the correct sample: its passes are good, and the cue says so.
    expect(cue).to_have_text("Good stroke.")
    strokes = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Strokes"))
    first = _wait_for_count(strokes, above=0)
    _wait_for_count(strokes, above=first)
    screenshot(page, "practice", settled=False)
    webrtc.get_by_role("button", name="STOP").click()
    expect(page.get_by_role("heading", name="Your last session")).to_be_visible()
    expect(page.get_by_role("button", name="Strokes (CSV)")).to_be_visible()
    screenshot(page, "practice_after")


def test_sample_button_runs_the_review(app_url, page):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/sample")
    page.get_by_role("button", name="Review this sample").click()
    score = page.get_by_test_id("stMetric").filter(has_text="Score")
    expect(score).to_contain_text(re.compile(r"\d+ / 100"), timeout=WAIT_MS * 2)
    expect(page.get_by_role("button", name="Strokes (CSV)")).to_be_visible()
    screenshot(page, "sample")


def test_save_a_reviewed_sample_then_find_it_in_the_history(app_url, page):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/sample")
    page.get_by_role("button", name="Review this sample").click()
    score = page.get_by_test_id("stMetric").filter(has_text="Score")
    expect(score).to_contain_text(re.compile(r"\d+ / 100"), timeout=WAIT_MS * 2)
    points = re.search(r"(\d+) / 100", score.inner_text()).group(1)
    form = page.locator(".st-key-sample-save-form")
    expect(form.get_by_role("checkbox", name="Keep the video")).not_to_be_checked()
    expect(form).to_contain_text("Saved for Ann Example")  # a student saves for themselves
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form).to_contain_text("Saved as attempt 1 for Ann Example")
    screenshot(page, "sample_saved")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.get_by_role("combobox", name="Person")).to_have_value("Ann Example (student)")
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Attempts")).to_contain_text("1")
    expect(metrics.filter(has_text="Latest score")).to_contain_text(points)
    expect(page.get_by_test_id("stImage").first).to_be_visible()  # the progress chart
    screenshot(page, "history")


def _picture(image) -> np.ndarray:
    """The element as the browser shows it, RGB."""
    png = np.frombuffer(image.screenshot(), np.uint8)
    return cv2.cvtColor(cv2.imdecode(png, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _upload(page, video) -> None:
    """On the Review page: the video (the logged-in student's own)."""
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Video (")
    uploader.locator("input[type=file]").set_input_files(video)


def test_review_job_survives_a_reload_and_shows_the_score(app_url, sample, page):
    """Near the end of the module: the attempt it saves would come before the ones counted."""
    from playwright.sync_api import expect

    page.goto(f"{app_url}/review")
    expect(page.get_by_role("heading", name="Review a video")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader").filter(has_text="Video (")).to_be_visible()
    _upload(page, sample)
    # The job runs in a worker; the page follows it from the job's row.
    expect(page.get_by_text(re.compile(r"Following the thumb: frame \d+ of 392"))).to_be_visible()
    assert re.search(r"[?&]job=\d+", page.url)
    screenshot(page, "review_progress", settled=False)
    page.reload()  # mid-job: the address names the job, the new session finds it
    score = page.get_by_test_id("stMetric").filter(has_text="Score")
    expect(score).to_contain_text(re.compile(r"\d+ / 100"), timeout=WAIT_MS * 2)
    passes = json.loads(sample.with_suffix(".json").read_text())["expected"]["passes"]
    strokes = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Strokes"))
    expect(strokes).to_have_text(re.compile(rf"Strokes\s*{passes}$"))
    expect(page.locator("video").first).to_be_visible()
    expect(page.get_by_role("button", name="Strokes (CSV)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Saved as attempt \d+ for Ann Example"))).to_be_visible()
    screenshot(page, "review")


def test_review_marks_the_path_by_two_clicks_on_the_first_frame(app_url, sample, page):
    """Last in the module, as it saves an attempt too."""
    from playwright.sync_api import expect

    page.goto(f"{app_url}/review")
    page.get_by_text("Click the path's ends on the first frame").click()
    _upload(page, sample)
    expect(page.get_by_text("on the picture.")).to_be_visible()
    picture = page.frame_locator("iframe[title*='streamlit_image_coordinates']").locator("#image")
    expect(picture).to_be_visible()
    box = picture.bounding_box()
    w, h = box["width"], box["height"]
    start, end = (0.1 * w, 0.8 * h), (0.9 * w, 0.75 * h)
    before = _picture(picture)
    assert before[round(start[1]), round(start[0])].min() < 200  # the towel, not a dot
    picture.click(position={"x": start[0], "y": start[1]})
    expect(page.get_by_text("Start marked.")).to_be_visible()
    picture.click(position={"x": end[0], "y": end[1]})
    expect(
        page.get_by_text(re.compile(r"Path marked from \(0\.10, 0\.80\) to \(0\.90, 0\.7"))
    ).to_be_visible()
    drawn = _picture(picture)
    x, y = round(start[0]), round(start[1])
    assert drawn[y - 1 : y + 2, x - 1 : x + 2].min() > 200  # the start's white dot
    # the path's band runs between the ends: the picture changed along the chord
    for share in (0.3, 0.5, 0.7):
        px = round(start[0] + share * (end[0] - start[0]))
        column = np.abs(drawn[:, px].astype(int) - before[:, px].astype(int)).max(axis=1)
        rows = np.flatnonzero(column > 60)
        assert len(rows) and rows.min() < start[1] + 10 and rows.max() > end[1] - 40
    screenshot(page, "review_marked")
    page.get_by_role("button", name="Review this video").click()  # the marked path's job
    score = page.get_by_test_id("stMetric").filter(has_text="Score")
    expect(score).to_contain_text(re.compile(r"\d+ / 100"), timeout=WAIT_MS * 2)
    expect(page.get_by_text(re.compile(r"Saved as attempt \d+ for Ann Example"))).to_be_visible()


def _spoken(page) -> list[dict]:
    return page.evaluate("window.__spoken")


def _wait_for_speech(page, test, what: str) -> list[dict]:
    """What was said, once `test(said)` holds (a wait on the page's state)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        said = _spoken(page)
        if test(said):
            return said
        time.sleep(0.3)
    pytest.fail(f"never said {what}; said: {_spoken(page)}")


def _wait_until(test, what: str = "the page to change") -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while not test():
        if time.monotonic() > deadline:
            pytest.fail(f"waited in vain for {what}")
        time.sleep(0.3)


def _choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option).click()


def test_practice_speaks_the_cues_and_a_carotid_cue_interrupts(app_url, page):
    from playwright.sync_api import expect

    page.add_init_script(SPEECH_STUB)
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Practice")).to_be_visible()
    expect(page.get_by_role("switch", name="Speak the cues")).to_be_checked()
    # The foot sample's strokes cross the front of the neck's guide: through a carotid zone.
    _choose(page, "Technique", "Front of the neck: light strokes, away from the carotid arteries")
    webrtc = page.frame_locator("iframe[title*='webrtc']").first
    expect(webrtc.get_by_role("button", name="START")).to_be_visible()
    webrtc.get_by_role("button", name="START").click()  # the space bar: the guided test
    expect(webrtc.get_by_role("button", name="STOP")).to_be_visible()
    # Large print, switched on while the camera runs: the camera keeps running, the cue
    # grows to letters over 50 px high and the video to the width of the page's column.
    page.get_by_text("Large print").click()
    expect(page.get_by_role("switch", name="Large print")).to_be_checked()
    over_50px = re.compile(r"^[5-9]\d(\.\d+)?px$")
    expect(page.get_by_test_id("live-cue")).to_have_css("font-size", over_50px)
    column = page.get_by_test_id("stMainBlockContainer").bounding_box()
    video = page.locator("iframe[title*='webrtc']").first
    _wait_until(lambda: video.bounding_box()["width"] > 0.9 * (column["width"] - 2 * 48))
    expect(webrtc.get_by_role("button", name="STOP")).to_be_visible()

    def warned(said) -> bool:
        return any(s.get("text", "").startswith("Careful") for s in said)

    said = _wait_for_speech(page, warned, "a carotid warning")
    careful = next(i for i, s in enumerate(said) if s.get("text", "").startswith("Careful"))
    assert careful > 0 and said[careful - 1] == {"cancel": True}
    assert said[careful]["text"] == (
        "Careful: keep off the side of the neck, the carotid artery runs there."
    )
    # Everything else said is one of the live cues of this technique.
    cues = re.compile(
        r"Stroke along the line between the chin and the collarbones\.|"
        r"Stay on the line: you (are drifting|drifted) toward the (left|right) of the picture\.|"
        r"Show your hand to the camera\.|Good stroke\.|Cover the whole line .*|"
        r"(Slow down|Speed up a little): about .*|Move in one smooth, flowing stroke.*|Careful: .*"
    )
    assert all(cues.fullmatch(s["text"]) for s in said if "text" in s), said
    screenshot(page, "practice_large_print", settled=False)
    assert all(s["volume"] == pytest.approx(0.8) for s in said if "text" in s)
    page.get_by_role("heading", name="Practice").click()
    page.keyboard.press("Space")  # and STOP
    expect(page.get_by_role("heading", name="Your last session")).to_be_visible()


def test_guided_session_runs_a_routine_through_its_exercises_to_the_summary(app_url, page):
    from playwright.sync_api import expect

    page.add_init_script(SPEECH_STUB)
    page.goto(f"{app_url}/guided")
    expect(page.get_by_role("heading", name="Guided session")).to_be_visible()
    _choose(page, "Routine", "Foot reflex massage for the back")
    expect(page.get_by_test_id("stAlert")).to_contain_text("First session of this routine")
    page.get_by_role("button", name="Begin the session").click()
    expect(page.get_by_role("heading", name="Exercise 1 of 2")).to_be_visible()
    # The sample shown as recorded (the mirror only flips the view; judged as filmed).
    page.get_by_text("Mirror the picture").click()
    page.get_by_text("Tone for a good stroke").click()
    expect(page.get_by_role("switch", name="Tone for a good stroke")).to_be_checked()
    page.get_by_role("heading", name="Exercise 1 of 2").click()  # focus off the toggles
    page.keyboard.press("Space")  # starts the session; the camera follows
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    strokes = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Strokes"))
    _wait_for_count(strokes, above=0)
    # The first foot's 5 minutes (75 s at this clock scale) run out: on to the other foot.
    expect(page.get_by_role("heading", name="Exercise 2 of 2")).to_be_visible()
    _wait_for_count(strokes, above=1)
    screenshot(page, "guided", settled=False)
    page.keyboard.press("n")  # the last exercise: N ends the session
    expect(page.get_by_role("heading", name="Session summary")).to_be_visible()
    expect(page.get_by_test_id("stAlert").first).to_contain_text("complete")
    said = [s["text"] for s in _spoken(page) if "text" in s]
    assert said[0] == "Exercise 1 of 2: The first foot, heel to toe."
    assert "Exercise 2 of 2: The other foot, heel to toe." in said
    assert said[-1] == "That is the end of the session. Well done."
    assert "Good stroke." not in said and page.evaluate("window.__tones") > 0
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    screenshot(page, "guided_summary")
    page.get_by_role("button", name="Save this session for Ann Example").click()
    saved = page.get_by_test_id("stAlert").filter(has_text="Saved as session 1")
    expect(saved).to_contain_text(re.compile(r"with \d+ practice attempts?"))
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
    page.get_by_role("tab", name="Guided sessions").click()
    sessions = page.get_by_role("tabpanel", name="Guided sessions")
    expect(sessions.get_by_test_id("stDataFrame").first).to_be_visible()
    expect(sessions.get_by_role("combobox", name="Exercises of session")).to_have_value(
        "#1 · Ann Example · Foot reflex massage for the back · 2 of 2 exercises"
    )
