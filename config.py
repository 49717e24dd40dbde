"""Settings read from environment variables.

Every setting has one source: the process environment (``.env`` files are not read, so
what runs is what the operator exported). Production refuses to start with settings that
are only safe on a developer's laptop.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production
ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app can run with."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def _months(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """A comma-separated list of months (1 to 120), e.g. "1,3,6,12": sorted, each once."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        months = {int(part) for part in raw.split(",")}
    except ValueError:
        raise ConfigError(f"{name} must list whole months like 1,3,6,12, not {raw!r}") from None
    if not months or min(months) < 1 or max(months) > 120:
        raise ConfigError(f"{name} must list months from 1 to 120, not {raw!r}")
    return tuple(sorted(months))


def _base_url(env: Mapping[str, str], production: bool, mail_enabled: bool) -> str:
    """The address users reach the app at, for links in e-mails (no trailing slash)."""
    raw = env.get("BASE_URL") or ""
    if not raw:
        if production and mail_enabled:
            raise ConfigError("production with MAIL_ENABLED needs BASE_URL (links in e-mails)")
        return "http://127.0.0.1:5000"
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"BASE_URL must be an http(s) address like https://host, not {raw!r}")
    return raw.rstrip("/")


def _mail_settings(env: Mapping[str, str]) -> dict:
    """SMTP delivery of notifications (off unless MAIL_ENABLED)."""
    port = _int(env, "MAIL_PORT", 25, 1)
    if port > 65535:
        raise ConfigError(f"MAIL_PORT must be a port number (1-65535), not {port}")
    sender = env.get("MAIL_SENDER") or "coordination@localhost"
    _name, address = parseaddr(sender)
    if "@" not in address or any(char in sender for char in "\r\n"):
        raise ConfigError(f"MAIL_SENDER must be an e-mail address, not {sender!r}")
    username = env.get("MAIL_USERNAME") or None
    password = env.get("MAIL_PASSWORD") or None
    if bool(username) != bool(password):
        raise ConfigError("MAIL_USERNAME and MAIL_PASSWORD go together: set both or neither")
    return {
        "MAIL_ENABLED": _bool(env, "MAIL_ENABLED", False),
        "MAIL_SERVER": env.get("MAIL_SERVER") or "localhost",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": _bool(env, "MAIL_USE_TLS", False),  # STARTTLS after connecting
        "MAIL_USERNAME": username,
        "MAIL_PASSWORD": password,
        "MAIL_SENDER": sender,
        "MAIL_TIMEOUT_SECONDS": _int(env, "MAIL_TIMEOUT_SECONDS", 10, 1),
    }


def _login_throttle_settings(env: Mapping[str, str]) -> dict:
    first_delay = _int(env, "LOGIN_FIRST_DELAY_SECONDS", 30, 1)
    longest = _int(env, "LOGIN_LOCK_MINUTES", 15, 1)
    if first_delay > longest * 60:
        raise ConfigError(
            f"LOGIN_FIRST_DELAY_SECONDS ({first_delay}) must not exceed "
            f"LOGIN_LOCK_MINUTES ({longest} min), the longest delay"
        )
    return {
        "LOGIN_MAX_FAILURES": _int(env, "LOGIN_MAX_FAILURES", 5, 1),
        "LOGIN_FIRST_DELAY_SECONDS": first_delay,
        "LOGIN_LOCK_MINUTES": longest,
        # A browser that signed in as a user is "known" for that user this long.
        "KNOWN_DEVICE_DAYS": _int(env, "KNOWN_DEVICE_DAYS", 180, 1),
    }


def _one_of(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.get(name) or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` if given, else SQLite in the instance folder."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "coordination.sqlite3")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def settings_from_env(env: Mapping[str, str], instance_path: str) -> dict:
    """Build the Flask config mapping from ``env``; raise ConfigError on unsafe values."""
    app_env = env.get("APP_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}")
    production = app_env == "production"

    secret_key = env.get("SECRET_KEY") or DEFAULT_SECRET_KEY
    if production and (secret_key == DEFAULT_SECRET_KEY or len(secret_key) < 32):
        raise ConfigError("production needs SECRET_KEY set to a random value of 32+ characters")
    mail = _mail_settings(env)

    session_hours = _int(env, "SESSION_HOURS", 12, 1)
    idle_minutes = _int(env, "SESSION_IDLE_MINUTES", 60, 0)
    if idle_minutes >= session_hours * 60:
        raise ConfigError(
            f"SESSION_IDLE_MINUTES ({idle_minutes}) must be shorter than SESSION_HOURS "
            f"({session_hours} h); 0 turns the idle limit off"
        )

    audit_key = env.get("AUDIT_KEY")
    if production and (not audit_key or len(audit_key) < 32):
        raise ConfigError("production needs AUDIT_KEY set to a random value of 32+ characters")

    return {
        "APP_ENV": app_env,
        "TESTING": app_env == "testing",
        "SECRET_KEY": secret_key,
        # The audit chain key; separate so that rotating SECRET_KEY keeps old entries verifiable.
        "AUDIT_KEY": audit_key or secret_key,
        # Signed audit checkpoints go to this append-only file, outside the database, so that
        # deleting log rows cannot delete them. Best shipped to another machine as well.
        "AUDIT_CHECKPOINT_FILE": env.get("AUDIT_CHECKPOINT_FILE")
        or str(Path(instance_path) / "audit-checkpoints.log"),
        # A request's commit writes a checkpoint when the last is older than this (0: never;
        # `flask audit checkpoint` still writes one).
        "AUDIT_CHECKPOINT_SECONDS": _int(env, "AUDIT_CHECKPOINT_SECONDS", 300, 0),
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions and cookies.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", production),
        # A sign-in lasts SESSION_HOURS at most, and ends after SESSION_IDLE_MINUTES without
        # a request (0: no idle limit). Sessions are rows in user_sessions: they end for real.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=session_hours),
        "SESSION_IDLE_MINUTES": idle_minutes,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAX_CONTENT_LENGTH": _int(env, "MAX_UPLOAD_MB", 20, 1) * 1024 * 1024,
        # Largest single attachment (scan, photo); files live in instance/uploads.
        "ATTACHMENT_MAX_MB": _int(env, "ATTACHMENT_MAX_MB", 10, 1),
        # Where uploaded scans and photos are kept (outside the web root).
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads"),
        # Login protection: no account lock-out. After LOGIN_MAX_FAILURES wrong passwords for
        # one user name from one client (an address, or a browser that signed in as that
        # user before), that client waits LOGIN_FIRST_DELAY_SECONDS before its next try,
        # twice as long after each further failure, at most LOGIN_LOCK_MINUTES.
        **_login_throttle_settings(env),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "20 per minute"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Argon2id cost; the defaults follow argon2-cffi's RFC 9106 low-memory profile.
        "ARGON2_TIME_COST": _int(env, "ARGON2_TIME_COST", 3, 1),
        # argon2 needs 8 KiB per lane and uses 4 lanes: 32 KiB is the floor.
        "ARGON2_MEMORY_KIB": _int(env, "ARGON2_MEMORY_KIB", 65536, 32),
        # Interface.
        "DEFAULT_LOCALE": _one_of(env, "DEFAULT_LOCALE", "vi", ("vi", "lo", "zh", "en")),
        "DEFAULT_TIMEZONE": _one_of(
            env,
            "DEFAULT_TIMEZONE",
            "Asia/Ho_Chi_Minh",
            ("Asia/Ho_Chi_Minh", "Asia/Vientiane", "Asia/Shanghai"),
        ),
        # Reverse proxies in front of the app (e.g. 1 for nginx): their X-Forwarded-For
        # is trusted for the client's address (rate limits, audit log).
        "TRUSTED_PROXY_HOPS": _int(env, "TRUSTED_PROXY_HOPS", 0, 0),
        "PAGE_SIZE": _int(env, "PAGE_SIZE", 25, 5),
        # API (flask-smorest).
        "API_TITLE": "Cross-border coordination API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_TOKEN_DAYS": _int(env, "API_TOKEN_DAYS", 90, 1),
        # E-mail of notifications, and the address its links point to.
        **mail,
        "BASE_URL": _base_url(env, production, mail["MAIL_ENABLED"]),
        # The part after "@" of calendar entries' UIDs: fixed, so that an entry keeps its UID
        # whichever host name a feed is fetched by (default: BASE_URL's host).
        "CALENDAR_UID_DOMAIN": _uid_domain(env, _base_url(env, production, mail["MAIL_ENABLED"])),
        # The follow-up visits planned when a victim's support ends, in months after it.
        "REINTEGRATION_FOLLOW_UP_MONTHS": _months(
            env, "REINTEGRATION_FOLLOW_UP_MONTHS", (1, 3, 6, 12)
        ),
        # Liaison meetings: how long before one its attendees are reminded, where an office
        # has not set its own lead times (Reminder settings).
        "MEETING_REMINDER_DAYS": _int(env, "MEETING_REMINDER_DAYS", 3, 0),
        "MEETING_REMINDER_HOURS": _int(env, "MEETING_REMINDER_HOURS", 2, 0),
    }


def _uid_domain(env: Mapping[str, str], base_url: str) -> str:
    raw = (env.get("CALENDAR_UID_DOMAIN") or urlsplit(base_url).hostname or "").strip()
    if not raw or any(c.isspace() or c in "@/:" for c in raw):
        raise ConfigError(f"CALENDAR_UID_DOMAIN must be a host name like example.org, not {raw!r}")
    return raw
