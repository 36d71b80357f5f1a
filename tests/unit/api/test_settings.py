"""Settings from the environment: defaults, prod requirements, and actionable errors."""

from __future__ import annotations

import dataclasses
import json

import pytest

from apps.api import Settings
from apps.api.settings import DEFAULT_DB_PATH, SettingsError
from apps.auth_service import KeyRing

pytestmark = pytest.mark.architecture


def test_defaults_to_dev_with_local_database():
    """An empty environment means APP_ENV=dev and ./app.db."""
    settings = Settings.from_env({})
    assert (settings.env, settings.db_path, settings.signing_keys) == ("dev", DEFAULT_DB_PATH, None)


def test_reads_every_variable(signing_keys):
    """APP_ENV, APP_DB_PATH and APP_SIGNING_KEYS all reach the settings."""
    settings = Settings.from_env(
        {"APP_ENV": "prod", "APP_DB_PATH": "/srv/app.db", "APP_SIGNING_KEYS": signing_keys}
    )
    assert (settings.env, settings.db_path, settings.signing_keys) == ("prod", "/srv/app.db", signing_keys)


def test_reads_os_environ_by_default(monkeypatch):
    """from_env() with no argument reads os.environ."""
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("APP_DB_PATH", "/tmp/x.db")
    assert Settings.from_env().db_path == "/tmp/x.db"


def test_rejects_unknown_environment_naming_variable_and_choices():
    """APP_ENV=staging fails and the message names APP_ENV and the allowed values."""
    with pytest.raises(SettingsError) as excinfo:
        Settings.from_env({"APP_ENV": "staging"})
    message = str(excinfo.value)
    assert "APP_ENV" in message and "dev, test, prod" in message and "staging" in message


def test_prod_requires_db_path(signing_keys):
    """Prod without APP_DB_PATH fails with a message naming APP_DB_PATH."""
    with pytest.raises(SettingsError, match="APP_DB_PATH is required"):
        Settings.from_env({"APP_ENV": "prod", "APP_SIGNING_KEYS": signing_keys})


def test_prod_requires_signing_keys():
    """Prod without APP_SIGNING_KEYS fails with a message naming it and how to make keys."""
    with pytest.raises(SettingsError, match="APP_SIGNING_KEYS is required") as excinfo:
        Settings.from_env({"APP_ENV": "prod", "APP_DB_PATH": "/srv/app.db"})
    assert "rotate-key" in str(excinfo.value)


@pytest.mark.parametrize(
    "keys",
    ["not json", "[]", '[{"kid": "k1"}]', '[{"kid": "k1", "secret": "c2hvcnQ"}]'],
    ids=["not-json", "empty", "no-secret", "short-secret"],
)
def test_malformed_signing_keys_name_the_variable(keys):
    """Malformed APP_SIGNING_KEYS fails at start-up, naming the variable."""
    with pytest.raises(SettingsError, match="APP_SIGNING_KEYS is malformed"):
        Settings.from_env({"APP_ENV": "dev", "APP_SIGNING_KEYS": keys})


def test_empty_values_count_as_unset():
    """APP_DB_PATH= (empty) falls back to the default outside prod."""
    assert Settings.from_env({"APP_ENV": "test", "APP_DB_PATH": ""}).db_path == DEFAULT_DB_PATH


@pytest.mark.parametrize(("env", "profile"), [("test", "test"), ("dev", "prod"), ("prod", "prod")])
def test_only_test_env_selects_cheap_hash_profile(env, profile, signing_keys):
    """APP_ENV=test selects the cheap argon2 profile; dev and prod hash for real."""
    settings = Settings(env=env, db_path="/tmp/x.db", signing_keys=signing_keys)
    assert settings.hash_profile == profile


def test_configured_keys_are_the_signing_keys(signing_keys):
    """keyring() returns the ring APP_SIGNING_KEYS describes."""
    expected = [entry["kid"] for entry in json.loads(signing_keys)]
    assert Settings(env="dev", signing_keys=signing_keys).keyring().kids == expected


def test_keys_are_generated_outside_prod_when_absent():
    """Without APP_SIGNING_KEYS, dev and test get a freshly generated ring."""
    ring = Settings(env="dev").keyring()
    assert isinstance(ring, KeyRing) and len(ring.kids) == 1


def test_settings_are_immutable():
    """Settings is a frozen dataclass."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().env = "prod"  # type: ignore[misc]


def test_accepts_a_path_object_for_the_database(tmp_path):
    """Settings(db_path=Path) is normalised to a string path."""
    assert Settings(env="test", db_path=tmp_path / "x.db").db_path == str(tmp_path / "x.db")
