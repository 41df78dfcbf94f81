"""For busy hands: spoken cues, a short tone, large print, the mirrored view, the keyboard.

The browser speaks with the Web Speech API and beeps with WebAudio, through two small
iframes (st.iframe of an inline script, nothing fetched). They run in the page's own window (their
iframes share its origin), so speech goes on when Streamlit replaces an iframe, and the
space bar reaches the camera's START/STOP button inside streamlit-webrtc's iframe.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import streamlit as st

from trainer.core.base.settings import Settings
from trainer.core.guided.speech import CueVoice
from trainer.core.judging.live_scorer import LiveState
from trainer.overlay.palette import cue_css

TONE_HZ, TONE_S = 880, 0.15

# Says the utterances not yet said under this voice's token (muted: only marks them said); a
# safety cue cancels what is being said first.
SPEAK_JS = """<script>
(function () {
  const P = window.parent;
  const data = %s;
  const said = P.__trainerSaid || (P.__trainerSaid = {});
  let last = said[data.token] || 0;
  for (const u of data.items) {
    if (u.n <= last) continue;
    last = u.n;
    if (data.mute) continue;
    if (u.tone) {
      const Ctx = P.AudioContext || P.webkitAudioContext;
      if (!Ctx) continue;
      const ctx = P.__trainerAudio || (P.__trainerAudio = new Ctx());
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = data.tone_hz;
      gain.gain.value = 0.3 * data.volume;
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + data.tone_s);
      continue;
    }
    const synth = P.speechSynthesis;
    if (!synth) continue;
    if (u.interrupt) synth.cancel();
    const utterance = new P.SpeechSynthesisUtterance(u.text);
    utterance.volume = data.volume;
    utterance.lang = "en";
    synth.speak(utterance);
  }
  said[data.token] = last;
})();
</script>"""

# Defined in the page's window (new P.Function), so it outlives this iframe; replaced, not
# added again, each time the component loads.
KEYS_JS = """<script>
(function () {
  const P = window.parent;
  if (P.__trainerKeys) P.document.removeEventListener("keydown", P.__trainerKeys, true);
  P.__trainerKeys = new P.Function("e", %s);
  P.document.addEventListener("keydown", P.__trainerKeys, true);
})();
</script>"""

KEYS_BODY = """
const t = e.target, tag = ((t && t.tagName) || "").toLowerCase();
if (["input", "textarea", "select"].includes(tag) || (t && t.isContentEditable)) return;
if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
if (e.code !== "Space" && e.key !== " ") return;
for (const f of document.querySelectorAll("iframe")) {
  if (!(f.title || "").includes("webrtc")) continue;
  let buttons = [];
  try { buttons = f.contentDocument.querySelectorAll("button"); } catch (err) {}
  for (const b of buttons) {
    if (!/^(start|stop)$/i.test(b.textContent.trim()) || b.disabled) continue;
    e.preventDefault();
    if (tag === "button") t.blur();  // else the focused button would be pressed as well
    b.click();
    return;
  }
}
"""

# The two scripts' iframes take no room (a hidden iframe still runs its script).
HIDDEN_CSS = """<style>
[data-testid="stElementContainer"]:has(iframe[srcdoc*="__trainer"]) { display: none; }
</style>"""

LARGE_CSS = """<style>
[data-testid="live-cue"] { font-size: 3.6rem !important; line-height: 1.12 !important; }
[data-testid="stMetricValue"] { font-size: 4.2rem !important; line-height: 1.1 !important; }
[data-testid="stMetricLabel"] p { font-size: 1.5rem !important; }
[data-testid="guide-banner"] { font-size: 2.4rem !important; }
[data-testid="stProgress"] p { font-size: 2.4rem !important; line-height: 1.2 !important; }
.st-key-live-view [data-testid="stHorizontalBlock"]:has(iframe) { flex-direction: column; }
.st-key-live-view [data-testid="stColumn"]:has(~ [data-testid="stColumn"]),
.st-key-live-view [data-testid="stColumn"] ~ [data-testid="stColumn"] {
  width: 100% !important; flex: 1 1 100% !important; }
</style>"""


@dataclass(frozen=True)
class Preferences:
    """speak: say the cues aloud; volume 0..1; tone: a good stroke as a short tone;
    mirror: the preview flipped like a selfie; large: large print, the video full width."""

    speak: bool = True
    volume: float = 0.8
    tone: bool = False
    mirror: bool = True
    large: bool = False


def preferences(key: str) -> Preferences:
    """The row of toggles for busy hands."""
    cols = st.columns([1.1, 1.3, 1.5, 1.4, 1.1])
    speak = cols[0].toggle("Speak the cues", value=True, key=f"{key}-speak")
    volume = cols[1].slider(
        "Volume", 0, 100, 80, step=5, key=f"{key}-volume", disabled=not speak, format="%d%%"
    )
    tone = cols[2].toggle(
        "Tone for a good stroke",
        value=False,
        key=f"{key}-tone",
        disabled=not speak,
        help="A short beep instead of the words for a stroke without fault.",
    )
    mirror = cols[3].toggle(
        "Mirror the picture",
        value=Settings.from_env().mirror,
        key=f"{key}-mirror",
        help="Like a selfie; left and right in the cues are as you see them.",
    )
    large = cols[4].toggle(
        "Large print", value=False, key=f"{key}-large", help="Readable from 2 m away."
    )
    # Always one element here, styled or not: an element appearing above the camera would
    # shift it in the page and restart it.
    st.markdown(LARGE_CSS if large else "<style></style>", unsafe_allow_html=True)
    return Preferences(speak, volume / 100, tone, mirror, large)


def cue(state: LiveState | None, fallback: str) -> None:
    """The live cue in large text: green after a good stroke, red for a fault or a warning."""
    text = state.cue if state else fallback
    color = cue_css(state)
    st.markdown(
        f'<div data-testid="live-cue" style="font-size:1.7rem;font-weight:600;color:{color};'
        f'line-height:1.25;min-height:4.5rem">{html.escape(text)}</div>',
        unsafe_allow_html=True,
    )


def camera_key() -> None:
    """The space bar presses the camera's START or STOP (not while typing)."""
    _script(KEYS_JS % json.dumps(KEYS_BODY))


class Speaker:
    """Hands a voice's utterances to the browser, which says each once.

    Every render carries all the recent utterances, not only the new ones: Streamlit may
    replace an iframe before its script ran, and the next one then says what it missed.
    """

    def __init__(self, voice: CueVoice, token: str) -> None:
        self.voice = voice
        self.token = token
        self.shown = 0

    def flush(self, slot, prefs: Preferences) -> None:
        """Render the recent utterances into `slot` (an st.empty) when one is new."""
        if not self.voice.recent or self.voice.recent[-1].number == self.shown:
            return
        self.shown = self.voice.recent[-1].number
        data = {
            "token": self.token,
            "mute": not prefs.speak,  # marked as said, so turning speech on says no backlog
            "volume": prefs.volume,
            "tone_hz": TONE_HZ,
            "tone_s": TONE_S,
            "items": [
                {"n": u.number, "text": u.text, "interrupt": u.interrupt, "tone": u.tone}
                for u in self.voice.recent
            ],
        }
        with slot.container():
            _script(SPEAK_JS % json.dumps(data))


def _script(code: str) -> None:
    """An iframe running `code` in the page's window, taking no room on the page."""
    st.markdown(HIDDEN_CSS, unsafe_allow_html=True)
    st.iframe(code, height="content")
