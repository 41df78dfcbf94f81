"""Settings from the environment: every variable the package reads, and its bad values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from trainer.core.base import settings
from trainer.core.base.errors import TrainerError
from trainer.core.base.settings import Settings


def test_a_relative_data_dir_is_made_absolute_once(tmp_path, monkeypatch):
    here = tmp_path.resolve()
    monkeypatch.chdir(here)
    s = Settings.from_env({"TRAINER_DATA_DIR": "data"})
    monkeypatch.chdir("/")
    assert s.data_dir == here / "data"
    assert s.database_url == f"sqlite:///{here}/data/trainer.db"
    assert s.video_dir == here / "data" / "videos"
    assert Settings.from_env({"TRAINER_DATA_DIR": "~/d"}).data_dir == Path.home().resolve() / "d"


def test_the_model_is_named_or_in_the_checkout_or_in_the_data_folder(tmp_path, monkeypatch):
    named = Settings.from_env({"TRAINER_MODEL": "/opt/models/hand.task"})
    assert named.model_path == Path("/opt/models/hand.task")
    in_checkout = Settings.from_env({"XDG_DATA_HOME": str(tmp_path)})
    assert in_checkout.model_path == ROOT / "models" / "hand_landmarker.task"
    monkeypatch.setattr(settings, "CHECKOUT_MODELS", tmp_path / "not-a-checkout")
    installed = Settings.from_env({"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert installed.model_path == tmp_path / "xdg" / "trainer" / "models" / "hand_landmarker.task"


def test_samples_dir_defaults_to_sample_videos_where_the_app_runs():
    assert Settings.from_env({}).samples_dir == Path("sample_videos")
    named = Settings.from_env({"TRAINER_SAMPLES_DIR": "/srv/clips"})
    assert named.samples_dir == Path("/srv/clips")


def test_ice_servers_are_none_unless_named():
    assert Settings.from_env({}).ice_servers == ()
    turn = [{"urls": ["turn:turn.example.org:3478"], "username": "u", "credential": "p"}]
    named = Settings.from_env({"TRAINER_ICE_SERVERS": json.dumps(turn)})
    assert list(named.ice_servers) == turn


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("TRAINER_ICE_SERVERS", "[{", "not valid JSON"),
        ("TRAINER_ICE_SERVERS", '{"urls": "stun:x"}', "JSON list"),
        ("TRAINER_ICE_SERVERS", '["stun:x"]', "JSON list"),
        ("TRAINER_MAX_UPLOAD_MB", "lots", "whole number"),
        ("TRAINER_MAX_UPLOAD_MB", "0", "positive"),
        ("TRAINER_MAX_UPLOAD_MB", "-5", "positive"),
    ],
)
def test_a_bad_value_is_one_error_naming_the_variable(name, value, says):
    with pytest.raises(TrainerError, match=f"{name} .*{says}"):
        Settings.from_env({name: value})


def test_settings_made_in_code_get_an_empty_environments_defaults(tmp_path):
    s = Settings(data_dir=tmp_path, database_url="sqlite://")
    assert s.max_upload_mb == 200
    assert s.samples_dir == Path("sample_videos")
    assert s.ice_servers == ()
    assert s.model_path == ROOT / "models" / "hand_landmarker.task"
