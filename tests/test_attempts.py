"""From stored attempts and review files to comparisons, on synthetic sessions."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hostile import tiny_video

import helpers
from attempt_data import CALIBRATION, along_guide, review_file, session
from trainer.analysis.material import (
    Material,
    compare_with,
    load_material,
    make_reference,
    material_from_file,
    path_coordinates,
    promote,
    technique_zones,
)
from trainer.core.base.errors import (
    CalibrationError,
    ComparisonError,
    ReviewError,
    StoreError,
    TrainerError,
)
from trainer.core.comparing.compare import even_zones
from trainer.core.judging.streaming import judge_track
from trainer.core.path.calibration import Calibration
from trainer.core.technique import load_technique
from trainer.core.track import Track
from trainer.store.store import Store


def test_path_coordinates_follow_the_calibration():
    w, h = 1280, 720
    s = np.array([0.0, 0.25, 0.5, 1.0, 1.1])
    d = np.array([0.0, 0.1, -0.2, 0.0, 0.05])
    track = Track.from_points(np.arange(5) / 30, along_guide(s, d, w, h), w, h)
    got_s, got_d = path_coordinates(track, Calibration.from_dict(CALIBRATION))
    np.testing.assert_allclose(got_s[:4], s[:4], atol=1e-9)
    np.testing.assert_allclose(got_d[:4], d[:4], atol=1e-9)
    assert got_s[4] > 1.0  # beyond the toe, progress keeps growing
    with pytest.raises(CalibrationError, match="repeat"):
        path_coordinates(track, Calibration.from_dict({"points": [[0.1, 0.1], [0.1, 0.1]]}))


def test_resolution_does_not_change_path_coordinates():
    small, _ = session(passes=1, width=640, height=360)
    big, _ = session(passes=1, width=1920, height=1080)
    calibration = Calibration.from_dict(CALIBRATION)
    for a, b in zip(
        path_coordinates(small, calibration), path_coordinates(big, calibration), strict=True
    ):
        np.testing.assert_allclose(a, b, atol=1e-9, equal_nan=True)


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'a.db'}") as s:
        yield s


def save(store, person, kind, track, review):
    return store.save_attempt(
        person=person,
        technique="foot-spine-line",
        kind=kind,
        track=track,
        calibration=Calibration.from_dict(CALIBRATION),
        review=review,
    )


def test_instructor_reference_then_students_compared_with_it(store):
    demo = save(store, "Dee", "reference", *session(seed=1))
    ref = make_reference(store, demo)
    assert ref.n_strokes == 5 and ref.attempt_id == demo
    assert ref.profile.elapsed[-1] == pytest.approx(3.0, abs=0.1)
    good = save(store, "Ann", "practice", *session(seed=2))
    shifted = save(store, "Bo", "practice", *session(offset=0.2, seed=3))
    c_good = compare_with(load_material(str(good), store), store=store)
    c_shift = compare_with(load_material(str(shifted), store), store=store)
    assert c_good.n_strokes == 5 and all(abs(z.offset) < 0.01 for z in c_good.zones)
    assert [z.name for z in c_good.zones] == ["sacrum", "lumbar", "thoracic", "cervical"]
    assert all(z.offset == pytest.approx(0.2, abs=0.02) for z in c_shift.zones)
    # Against the demonstration attempt itself: its stored profile is used.
    again = compare_with(load_material(str(shifted), store), load_material(str(demo), store), store)
    np.testing.assert_allclose(again.reference_d, ref.profile.d, atol=1e-6)
    with pytest.raises(StoreError, match="not a reference"):
        make_reference(store, good)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_an_instructors_practice_promoted_to_reference_stays_in_the_history(
    database, tmp_path, request
):
    """With its own copy of the kept video, in the videos folder or in PostgreSQL."""
    url = (
        request.getfixturevalue("postgres")()
        if database == "postgresql"
        else f"sqlite:///{tmp_path / 'a.db'}"
    )
    store = Store(url, video_dir=tmp_path / "videos")
    store.add_person("Dee", "instructor")
    video = tiny_video(tmp_path / "demo.mp4")
    practice = store.save_attempt(
        person="Dee",
        technique="foot-spine-line",
        kind="practice",
        track=session(seed=1)[0],
        calibration=Calibration.from_dict(CALIBRATION),
        review=session(seed=1)[1],
        video=video,
        keep_video=True,
    )
    ref_id = promote(store, practice)
    assert ref_id != practice
    kinds = {a.id: (a.kind, a.video_kept) for a in store.list_attempts(person="Dee")}
    assert kinds == {practice: ("practice", True), ref_id: ("reference", True)}
    copy = store.load_attempt(ref_id)
    assert copy.video != store.load_attempt(practice).video
    assert store.kept_video(copy) == video.read_bytes()
    assert store.reference("foot-spine-line").attempt_id == ref_id
    assert promote(store, ref_id) == ref_id  # a reference attempt is made the reference itself
    student = save(store, "Ann", "practice", *session(seed=2))
    with pytest.raises(StoreError, match="not an instructor"):
        promote(store, student)
    assert store.reference("foot-spine-line").attempt_id == ref_id
    store.close()


def test_zones_come_from_the_technique_file():
    assert technique_zones("neck-back-stroke")[0][0] == "upper neck"
    assert technique_zones("no-such-technique") == even_zones()


def test_compare_two_review_files(tmp_path):
    for name, kw in (("a.json", {"duration": 6.0}), ("b.json", {})):
        track, review = session(**kw)
        (tmp_path / name).write_text(json.dumps({**review.to_dict(), "track": track.to_dict()}))
    a, b = (material_from_file(tmp_path / n) for n in ("a.json", "b.json"))
    assert (a.label, a.technique, a.attempt_id) == ("a.json", "foot-spine-line", None)
    c = compare_with(a, b)
    assert [z.speed_ratio for z in c.zones] == pytest.approx([0.5] * 4, abs=0.06)
    with pytest.raises(ComparisonError, match="give a second attempt"):
        compare_with(a)


def test_unusable_sources_are_plain_errors(tmp_path, store):
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "no_track.json").write_text(
        json.dumps({"technique": "x", "calibration": CALIBRATION})
    )
    track, _ = session(passes=1)
    (tmp_path / "no_cal.json").write_text(json.dumps({"technique": "x", "track": track.to_dict()}))
    with pytest.raises(TrainerError, match="not valid JSON"):
        material_from_file(tmp_path / "bad.json")
    with pytest.raises(ReviewError, match="no track"):
        material_from_file(tmp_path / "no_track.json")
    with pytest.raises(ReviewError, match=r"no_cal\.json: not a usable review: missing fields "):
        material_from_file(tmp_path / "no_cal.json")
    with pytest.raises(TrainerError, match="cannot read"):
        material_from_file(tmp_path / "missing.json")
    with pytest.raises(StoreError, match="no attempt"):
        load_material("99", store)
    student = save(store, "Ann", "practice", *session())
    with pytest.raises(ComparisonError, match="no reference yet"):
        compare_with(load_material(str(student), store), store=store)
    track, review = session()
    other = material_from_file_with(
        tmp_path, track, {**review.to_dict(), "technique": "neck-back-stroke"}
    )
    with pytest.raises(ComparisonError, match="is foot-spine-line"):
        compare_with(load_material(str(student), store), other)


def test_a_review_file_the_review_cannot_read_is_refused_naming_the_field(tmp_path):
    path = review_file("foot-spine-line_correct", tmp_path)
    data = json.loads(path.read_text())
    read = material_from_file(path)
    assert read.review.score == data["score"] and len(read.spans()) == len(data["strokes"])
    no_metrics = {k: v for k, v in data["strokes"][0].items() if k != "metrics"}
    cases = [
        ({k: v for k, v in data.items() if k != "parts"}, 'missing field "parts"'),
        (
            {k: v for k, v in data.items() if k not in ("zones", "faults")},
            'fields "faults", "zones"',
        ),
        ({**data, "score": "high"}, 'field "score" must be a finite number'),
        ({**data, "strokes": [no_metrics]}, 'missing field "strokes[0].metrics"'),
        ({**data, "technique": None}, 'field "technique" None is not a name'),
        ({**data, "calibration": {"points": [[0.5, 0.5]]}}, 'field "calibration" is not usable'),
    ]
    for n, (content, names) in enumerate(cases):
        broken = tmp_path / f"broken{n}.json"
        broken.write_text(json.dumps(content))
        with pytest.raises(ReviewError) as refused:
            material_from_file(broken)
        message = str(refused.value)
        assert message.startswith(f"{broken}: not a usable review: "), message
        assert names in message and "\n" not in message


def material_from_file_with(tmp_path, track, review):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({**review, "track": track.to_dict()}))
    return material_from_file(path)


@pytest.mark.parametrize("technique", ["foot-spine-line", "neck-back-stroke"])
def test_the_fault_cases_against_a_correct_demonstration(technique):
    """Sessions scored by the real review, compared with a correct one, as the samples are."""
    spec = load_technique(technique)
    guide = [list(p) for p in spec.guide]

    def material(label: str, **kw) -> Material:
        track = helpers.session(guide, noise_px=1.0, **kw)
        return Material.from_review(label, track, judge_track(track, spec))

    demo = material("correct", seed=1)
    assert len(demo.spans(good_only=True)) == 5
    same = compare_with(material("again", seed=2), demo)
    off = compare_with(material("off_line", offset=0.25, seed=3), demo)
    slow = compare_with(material("too_slow", pass_s=10.0, seed=4), demo)
    partial = compare_with(material("partial", span=(0.0, 0.4), seed=5), demo)
    backwards = compare_with(material("reversed", reverse=True, seed=6), demo)
    assert all(abs(z.offset) < 0.02 and 0.8 < z.speed_ratio < 1.25 for z in same.zones)
    assert all(z.offset == pytest.approx(0.25, abs=0.03) for z in off.zones)
    assert all(z.speed_ratio < 0.45 for z in slow.zones) and slow.zones[-1].lag_s > 4.5
    assert partial.zones[0].coverage > 0.9 and np.isnan(partial.zones[-1].offset)
    assert (backwards.n_reversed, backwards.n_strokes) == (5, 0)
