"""Mail settings come from the environment, are off by default and fail fast when malformed."""

from __future__ import annotations

import pytest

from config import ConfigError, settings_from_env

PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "k" * 40, "AUDIT_KEY": "a" * 40}


def test_mail_is_off_by_default_with_safe_defaults():
    settings = settings_from_env({}, "/tmp/i")
    assert settings["MAIL_ENABLED"] is False
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"]) == ("localhost", 25)
    assert settings["MAIL_USE_TLS"] is False
    assert settings["MAIL_USERNAME"] is None and settings["MAIL_PASSWORD"] is None
    assert settings["MAIL_SENDER"] == "coordination@localhost"
    assert settings["MAIL_TIMEOUT_SECONDS"] == 10
    assert settings["BASE_URL"] == "http://127.0.0.1:5000"


def test_mail_settings_are_read_from_the_environment():
    settings = settings_from_env(
        {
            **PRODUCTION,
            "MAIL_ENABLED": "true",
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_PORT": "587",
            "MAIL_USE_TLS": "yes",
            "MAIL_USERNAME": "coordination",
            "MAIL_PASSWORD": "secret",
            "MAIL_SENDER": "Điều phối <dieuphoi@example.org>",
            "MAIL_TIMEOUT_SECONDS": "30",
            "BASE_URL": "https://coordination.example.org/app/",
        },
        "/tmp/i",
    )
    assert settings["MAIL_ENABLED"] is True and settings["MAIL_USE_TLS"] is True
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"]) == ("smtp.example.org", 587)
    assert (settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"]) == ("coordination", "secret")
    assert settings["MAIL_SENDER"] == "Điều phối <dieuphoi@example.org>"
    assert settings["MAIL_TIMEOUT_SECONDS"] == 30
    assert settings["BASE_URL"] == "https://coordination.example.org/app"


@pytest.mark.parametrize(
    "env",
    [
        {"MAIL_ENABLED": "maybe"},
        {"MAIL_PORT": "smtp"},
        {"MAIL_PORT": "70000"},
        {"MAIL_PORT": "0"},
        {"MAIL_USE_TLS": "starttls"},
        {"MAIL_TIMEOUT_SECONDS": "0"},
        {"MAIL_SENDER": "nobody"},
        {"MAIL_USERNAME": "only-a-user"},
        {"MAIL_PASSWORD": "only-a-password"},
        {"BASE_URL": "ftp://example.org"},
        {"BASE_URL": "example.org"},
    ],
)
def test_malformed_mail_settings_fail_fast_with_the_variable_named(env):
    with pytest.raises(ConfigError) as error:
        settings_from_env(env, "/tmp/i")
    assert next(iter(env)) in str(error.value)


def test_production_mail_needs_the_address_links_point_to():
    with pytest.raises(ConfigError, match="BASE_URL"):
        settings_from_env({**PRODUCTION, "MAIL_ENABLED": "true"}, "/tmp/i")
    assert settings_from_env(PRODUCTION, "/tmp/i")["MAIL_ENABLED"] is False
