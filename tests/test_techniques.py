import tomllib
from pathlib import Path

import pytest

from trainer.core.base.errors import TechniqueError
from trainer.core.technique import (
    all_techniques,
    load_technique,
    load_technique_file,
    parse_technique,
    technique_names,
)

NAMES = ["foot-spine-line", "neck-back-stroke", "neck-circles", "neck-front-stroke", "spine-pinch"]


def test_every_built_in_technique_loads_and_is_named_after_its_file():
    assert technique_names() == NAMES
    for technique in all_techniques():
        assert technique.path.stem == technique.name
        assert technique.instructions and technique.description
        assert abs(sum(technique.scoring.weights.values()) - 1) < 1e-9
        assert technique.zones[0].start == 0 and technique.zones[-1].end == 1


def test_framing_guides_match_the_brief():
    assert load_technique("foot-spine-line").guide == ((0.22, 0.60), (0.50, 0.53), (0.78, 0.58))
    assert load_technique("neck-back-stroke").guide == ((0.50, 0.22), (0.50, 0.80))


def test_seed_numbers_are_in_the_files():
    foot = load_technique("foot-spine-line")
    assert [z.name for z in foot.zones] == ["sacrum", "lumbar", "thoracic", "cervical"]
    assert foot.tolerances.pass_s == (1.5, 6.0)
    assert foot.tolerances.max_mean_offset == 0.10 and foot.tolerances.min_coverage == 0.8
    neck = load_technique("neck-back-stroke")
    assert neck.timing.exercise_s == (120.0, 300.0) and neck.timing.first_session_max_s == 900
    front = load_technique("neck-front-stroke")
    assert {r.fault for r in front.forbidden} == {"carotid"}
    assert front.forbidden[0].contains(0.5, 0.3) and not front.forbidden[0].contains(0.5, 0.0)


def test_zone_at_finds_the_zone_and_none_off_the_path():
    foot = load_technique("foot-spine-line")
    assert foot.zone_at(0.1) == "sacrum"
    assert foot.zone_at(0.3) == "lumbar"
    assert foot.zone_at(0.95) == "cervical"
    assert foot.zone_at(1.2) is None


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(TechniqueError, match=r"unknown technique 'foot'.*foot-spine-line"):
        load_technique("foot")


def _base() -> dict:
    path = Path(load_technique("neck-back-stroke").path)
    return tomllib.loads(path.read_text())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("title"), "field 'title' is missing"),
        (lambda d: d.update(direction="up"), "field 'direction' must be one of forward, either"),
        (lambda d: d.update(motion=3), "field 'motion' must be a non-empty string"),
        (lambda d: d.update(colour="red"), "field 'colour' is not a known field"),
        (lambda d: d["guide"].update(points=[[0.5, 0.2]]), "'guide.points' must list at least 2"),
        (lambda d: d["guide"].update(points=[[0.5, 0.2], [1.5, 0.8]]), "within 0..1"),
        (lambda d: d["zones"].pop(1), "field 'zones' must run in order from 0 to 1"),
        (lambda d: d["zones"][0].update(name=""), "'zones\\[0\\].name' must be a non-empty"),
        (
            lambda d: d["tolerances"].update(pass_s=[6.0, 1.5]),
            "'tolerances.pass_s' must be a \\[low, high\\] pair",
        ),
        (
            lambda d: d["tolerances"].update(max_mean_ofset=0.1),
            "'tolerances.max_mean_ofset' is not a known field",
        ),
        (
            lambda d: d.setdefault("scoring", {}).update(
                weights={
                    "strokes": 0.5,
                    "direction": 0.5,
                    "path": 0.5,
                    "coverage": 0,
                    "tempo": 0,
                    "smoothness": 0,
                }
            ),
            "'scoring.weights' must be non-negative and sum to 1",
        ),
        (
            lambda d: d.setdefault("segmentation", {}).update(stop_speed=0.5),
            "'segmentation.stop_speed' must be below",
        ),
        (
            lambda d: d.setdefault("scoring", {}).update(offset_full=0.2),
            "'scoring.offset_full' must lie below tolerances.max_mean_offset",
        ),
        (
            lambda d: d.setdefault("scoring", {}).update(pass_s_full=[1.0, 4.0]),
            "'scoring.pass_s_full' must lie inside tolerances.pass_s",
        ),
        (lambda d: d.update(hands=3), "field 'hands' must be 1 or 2"),
        (lambda d: d.update(side_offset=0.0), "field 'side_offset' must be above 0"),
        (lambda d: d.update(hands=1), "field 'side_offset' must be above 0 .* else 0"),
    ],
)
def test_bad_fields_are_rejected_naming_file_and_field(change, message):
    data = _base()
    change(data)
    with pytest.raises(TechniqueError, match=message) as err:
        parse_technique(data, "neck-back-stroke.toml")
    assert str(err.value).startswith("neck-back-stroke.toml: ")


def test_bad_toml_and_wrong_file_name_are_rejected(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "broken"\ntitle = \n')
    with pytest.raises(TechniqueError, match=r"broken\.toml: not valid TOML"):
        load_technique_file(broken)
    renamed = tmp_path / "renamed.toml"
    renamed.write_text(Path(load_technique("neck-back-stroke").path).read_text())
    with pytest.raises(TechniqueError, match="'name' must match the file name"):
        load_technique_file(renamed)
    with pytest.raises(TechniqueError, match="cannot read technique file"):
        load_technique_file(tmp_path / "missing.toml")


def test_a_technique_file_by_path_loads(tmp_path):
    mine = tmp_path / "my-stroke.toml"
    mine.write_text(
        Path(load_technique("neck-back-stroke").path)
        .read_text()
        .replace('name = "neck-back-stroke"', 'name = "my-stroke"')
    )
    assert load_technique_file(mine).name == "my-stroke"


def test_how_many_hands_stroke():
    neck = load_technique("neck-back-stroke")
    assert neck.hands == 2 and 0 < neck.side_offset < neck.segmentation.ignore_offset
    others = [t for t in all_techniques() if t.name != "neck-back-stroke"]
    assert all(t.hands == 1 and t.side_offset == 0 for t in others)
