import pytest

from trainer.core.judging import feedback
from trainer.core.strokes.metrics import StrokeMetrics
from trainer.core.technique import load_technique

FOOT = load_technique("foot-spine-line")
FRONT = load_technique("neck-front-stroke")


def metrics(**kw) -> StrokeMetrics:
    base = {
        "start_t": 0.0, "end_t": 3.0, "progress": 1.0, "covered": (0.0, 1.0),
        "zone_coverage": {z.name: 1.0 for z in FOOT.zones}, "mean_offset": 0.0,
        "signed_offset": 0.0, "max_offset": 0.0, "duration_s": 3.0, "moving_s": 3.0,
        "mean_speed": 0.33, "peak_speed": 0.6, "speed_cv": 0.5, "sparc": -1.5, "circles": 0.0,
        "lingers": (), "entered": (),
    }  # fmt: skip
    return StrokeMetrics(**{**base, **kw})


def test_safety_comes_first_then_direction_then_the_rest():
    codes = ["lingered", "jerky", "too_fast", "partial", "off_line", "reversed", "carotid"]
    ranked = sorted(codes, key=lambda c: feedback.rank(c, FRONT))
    assert ranked == ["carotid", "reversed", "off_line", "partial", "too_fast", "jerky", "lingered"]


def test_sentences_name_the_fix_in_the_techniques_words():
    say = feedback.stroke_sentence
    assert say("reversed", metrics(), FOOT) == "Stroke from the heel to the big toe, not back."
    assert say("off_line", metrics(signed_offset=-0.2), FOOT) == (
        "Stay on the line: you drifted toward the top of the foot."
    )
    partial = metrics(covered=(0.0, 0.4), zone_coverage={"sacrum": 1, "lumbar": 0.8,
                      "thoracic": 0.0, "cervical": 0.0})  # fmt: skip
    assert say("partial", partial, FOOT).endswith("you missed the thoracic and cervical zones.")
    assert say("too_fast", metrics(moving_s=0.8), FOOT) == (
        "Slow down: about 3 s per pass (this one took 0.8 s)."
    )
    assert say("carotid", metrics(), FRONT) == (
        "Careful: keep off the side of the neck, the carotid artery runs there."
    )


def test_session_sentences_give_the_typical_case_and_the_count():
    flagged = [(metrics(moving_s=v), "x") for v in (0.7, 0.9, 1.1)]
    assert feedback.session_sentence("too_fast", flagged, 5, FOOT) == (
        "Slow down: about 3 s per pass (yours took about 0.9 s) (3 of 5 strokes)."
    )
    drift = [(metrics(), "Stay on the line: you drifted toward the sole.")] * 2 + [
        (metrics(), "Stay on the line: you drifted toward the top of the foot.")
    ]
    assert feedback.session_sentence("off_line", drift, 4, FOOT) == (
        "Stay on the line: you drifted toward the sole (3 of 4 strokes)."
    )


def test_timing_and_lingering_sentences():
    assert feedback.timing_sentence("exercise_short", 59.6, FOOT) == (
        "Keep going: each exercise takes 2 to 5 minutes (this one 1:00)."
    )
    assert feedback.timing_sentence("exercise_long", 400, FOOT) == (
        "That is enough for this exercise: 2 to 5 minutes each (this one 6:40)."
    )
    assert feedback.linger_sentence("lumbar", 2, 1.84) == (
        "You lingered at the lumbar zone (2 times, 1.8 s): a sore or stiff spot? Work it gently,"
        " don't press too hard."
    )


def test_live_cues_in_the_techniques_words():
    cue = feedback.live_cue
    assert cue("show_hand", FOOT) == "Show your hand to the camera."
    assert cue("stroke", FOOT) == "Stroke from the heel to the big toe along the line."
    assert cue("stroke", FRONT) == "Stroke along the line between the chin and the collarbones."
    # Offsets > 0 drift to the technique's drift_positive side, < 0 to its drift_negative.
    assert cue("drifting", FOOT, offset=0.2) == (
        "Stay on the line: you are drifting toward the sole."
    )
    assert cue("drifting", FOOT, offset=-0.2) == (
        "Stay on the line: you are drifting toward the top of the foot."
    )
    assert cue("drifting", FRONT, offset=0.3).endswith("drifting toward the left of the picture.")
    assert cue("exercise_long", FOOT, elapsed_s=301.4) == (
        "That is enough for this exercise: 2 to 5 minutes each (this one 5:01)."
    )
    assert cue("first_session", FOOT) == (
        "Time to stop: a first massage session lasts at most 15 minutes."
    )


def test_an_unknown_live_cue_is_a_programming_error():
    with pytest.raises(ValueError, match="no live cue 'wave'"):
        feedback.live_cue("wave", FOOT)


def test_a_pass_verdict_is_its_first_fault_or_praise():
    assert feedback.stroke_verdict(()) == "Good stroke."
    assert feedback.stroke_verdict(("Slow down.", "Stay on the line.")) == "Slow down."


def test_a_forbidden_pass_is_charged_with_its_warning_and_time():
    assert feedback.forbidden_reason("Careful: not there.", 12.34) == (
        "Careful: not there. (stroke at 12.3 s)"
    )


def test_zone_findings_name_only_noticeable_differences():
    find = feedback.zone_finding
    assert find("lumbar", False, float("nan"), float("nan"), float("nan")) == "lumbar: not reached"
    assert find("lumbar", True, 0.08, 2.0, -0.7) == (
        "lumbar: 8% of the path's length to the right of the reference, 2.0x faster, leaves it "
        "0.7 s ahead of the reference"
    )
    # Against another attempt, the findings name it: either may be the instructor's.
    assert find("sacrum", True, -0.06, 0.5, 0.6, "attempt 12 (Ann)") == (
        "sacrum: 6% of the path's length to the left of attempt 12 (Ann), 2.0x slower, "
        "leaves it 0.6 s behind attempt 12 (Ann)"
    )
    # Only backwards strokes got there: not "not reached".
    assert find("lumbar", False, *[float("nan")] * 3, backwards=True) == (
        "lumbar: run only backwards (end to start), so not compared"
    )
    # Within 0.05 path lengths, a factor 1.25 of the speed and 0.5 s: as the reference.
    assert find("sacrum", True, 0.04, 1.2, 0.4) is None
    assert find("sacrum", True, -0.04, 1 / 1.2, -0.4) is None


def test_a_reviews_main_fault_is_a_sentence_and_advice_is_no_fault():
    said = ["Stay on the line: you drifted toward the sole (3 of 3 strokes).", "Keep going: ..."]
    assert feedback.main_fault(["off_line", "exercise_short"], said) == said[0]
    assert feedback.main_fault(["exercise_short"], said[1:]) == "No fault: every stroke was good."
    assert feedback.main_fault([], []) == "No fault: every stroke was good."
