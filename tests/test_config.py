"""Settings come from the environment and unsafe production settings are refused."""

import pytest

from config import DEFAULT_SECRET_KEY, ConfigError, database_url, settings_from_env


def test_production_refuses_the_default_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        settings_from_env({"APP_ENV": "production"}, "/tmp/instance")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        settings_from_env({"APP_ENV": "production", "SECRET_KEY": DEFAULT_SECRET_KEY}, "/tmp/i")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        settings_from_env({"APP_ENV": "production", "SECRET_KEY": "short"}, "/tmp/i")


def test_production_with_a_real_key_has_secure_cookies():
    env = {"APP_ENV": "production", "SECRET_KEY": "k" * 40, "AUDIT_KEY": "a" * 40}
    settings = settings_from_env(env, "/tmp/i")
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_create_app_fails_fast_in_production_without_a_key(monkeypatch):
    from coordination import create_app

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_embedded_sqlite_by_default_and_postgres_urls_get_the_driver():
    assert database_url(None, "/srv/instance") == "sqlite:////srv/instance/coordination.sqlite3"
    assert database_url("postgres://u:p@h/db", "/x") == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgresql://u@h/db", "/x") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    "env",
    [
        {"APP_ENV": "staging"},
        {"SESSION_COOKIE_SECURE": "maybe"},
        {"LOGIN_MAX_FAILURES": "many"},
        {"PAGE_SIZE": "1"},
    ],
)
def test_malformed_settings_fail_fast_with_the_variable_named(env):
    with pytest.raises(ConfigError) as error:
        settings_from_env(env, "/tmp/i")
    assert next(iter(env)) in str(error.value)


def test_sqlite_runs_in_wal_mode(app_ctx):
    from coordination.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_session_and_sign_in_defaults():
    settings = settings_from_env({}, "/tmp/i")
    assert settings["PERMANENT_SESSION_LIFETIME"].total_seconds() == 12 * 3600
    assert settings["SESSION_IDLE_MINUTES"] == 60
    assert settings["LOGIN_MAX_FAILURES"] == 5
    assert settings["LOGIN_FIRST_DELAY_SECONDS"] == 30
    assert settings["LOGIN_LOCK_MINUTES"] == 15
    assert settings_from_env({"SESSION_IDLE_MINUTES": "0"}, "/tmp/i")["SESSION_IDLE_MINUTES"] == 0


def test_production_needs_its_own_audit_key():
    with pytest.raises(ConfigError, match="AUDIT_KEY"):
        settings_from_env({"APP_ENV": "production", "SECRET_KEY": "k" * 40}, "/tmp/i")


@pytest.mark.parametrize(
    "env",
    [
        {"DEFAULT_LOCALE": "fr"},
        {"DEFAULT_TIMEZONE": "Europe/Paris"},
        {"ARGON2_MEMORY_KIB": "8"},
        {"TRUSTED_PROXY_HOPS": "-1"},
        {"SESSION_IDLE_MINUTES": "-5"},
        {"SESSION_IDLE_MINUTES": "soon"},
        # An idle limit as long as the whole session would never apply.
        {"SESSION_IDLE_MINUTES": "720", "SESSION_HOURS": "12"},
        {"LOGIN_FIRST_DELAY_SECONDS": "0"},
        # A first delay longer than the longest one makes no sense.
        {"LOGIN_FIRST_DELAY_SECONDS": "3600", "LOGIN_LOCK_MINUTES": "15"},
        {"KNOWN_DEVICE_DAYS": "0"},
        {"REINTEGRATION_FOLLOW_UP_MONTHS": "1,3,six"},
        {"REINTEGRATION_FOLLOW_UP_MONTHS": "0,3"},
        {"REINTEGRATION_FOLLOW_UP_MONTHS": "6,240"},
        {"MEETING_REMINDER_DAYS": "-1"},
        {"MEETING_REMINDER_HOURS": "two"},
    ],
)
def test_settings_that_would_break_every_request_are_refused(env):
    with pytest.raises(ConfigError) as error:
        settings_from_env(env, "/tmp/i")
    assert next(iter(env)) in str(error.value)


def test_behind_a_trusted_proxy_the_clients_address_is_recorded(database_url):
    from sqlalchemy import select

    from coordination.audit.models import AuditEntry
    from coordination.extensions import db
    from tests.conftest import CsrfClient, _app_for

    app = _app_for(database_url, TRUSTED_PROXY_HOPS=1)
    app.test_client_class = CsrfClient
    client = app.test_client()
    client.post(
        "/login",
        data={"username": "nobody", "password": "x" * 12},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry.ip_address == "203.0.113.7"


def test_follow_up_visits_and_meeting_reminders_come_from_the_environment():
    defaults = settings_from_env({}, "/tmp/i")
    assert defaults["REINTEGRATION_FOLLOW_UP_MONTHS"] == (1, 3, 6, 12)
    assert (defaults["MEETING_REMINDER_DAYS"], defaults["MEETING_REMINDER_HOURS"]) == (3, 2)
    env = {
        "REINTEGRATION_FOLLOW_UP_MONTHS": " 12, 2 ,6,2",
        "MEETING_REMINDER_DAYS": "7",
        "MEETING_REMINDER_HOURS": "0",
    }
    settings = settings_from_env(env, "/tmp/i")
    assert settings["REINTEGRATION_FOLLOW_UP_MONTHS"] == (2, 6, 12)
    assert (settings["MEETING_REMINDER_DAYS"], settings["MEETING_REMINDER_HOURS"]) == (7, 0)
