"""Fixtures: a migrated database with the demo data for every test, an app, clients.

The database is built once per session through the real migrations (``flask db upgrade``)
and the real demo-data loader, then copied for each test: a file copy on SQLite, a
``CREATE DATABASE … TEMPLATE`` on PostgreSQL (set TEST_DATABASE_URL to use it).
"""

from __future__ import annotations

import atexit
import hashlib
import itertools
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from coordination import create_app
from coordination.auth.models import User
from coordination.demo_data import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
# Audit checkpoints are written outside the database: each test database gets its own file
# here, never the shared instance folder.
CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="audit-checkpoints-"))
atexit.register(shutil.rmtree, CHECKPOINT_DIR, ignore_errors=True)
TEST_SETTINGS = {
    "AUDIT_CHECKPOINT_FILE": str(CHECKPOINT_DIR / "default.log"),
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-with-enough-length-0123456789",
    # Cheap hashing keeps the suite fast; production cost is tested in test_passwords.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "LOGIN_RATE_LIMIT": "1000 per minute",
}
_database_numbers = itertools.count()


def _app_for(url: str, **overrides):
    checkpoints = CHECKPOINT_DIR / (hashlib.sha256(url.encode()).hexdigest()[:16] + ".log")
    settings = {**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url}
    return create_app({**settings, "AUDIT_CHECKPOINT_FILE": str(checkpoints), **overrides})


def _build(url: str) -> None:
    app = _app_for(url)
    with app.app_context():
        upgrade()
        load_demo_data(scope="core")  # the whole map is tested in tests/directory/test_map.py
        db.session.commit()
        db.engine.dispose()


def _admin_engine(base_url: str):
    return create_engine(base_url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build the migrated demo database once; yield a function that makes a fresh copy."""
    if POSTGRES_URL:
        base = make_url(POSTGRES_URL)
        template_name = f"coordination_template_{os.getpid()}"
        admin = _admin_engine(base)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{template_name}"'))
            connection.execute(text(f'CREATE DATABASE "{template_name}"'))
        _build(base.set(database=template_name).render_as_string(hide_password=False))

        created = []

        def fresh_copy(_tmp_path: Path) -> str:
            name = f"coordination_t{os.getpid()}_{next(_database_numbers)}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
            created.append(name)
            return base.set(database=name).render_as_string(hide_password=False)

        def drop(url: str) -> None:
            name = make_url(url).database
            for attempt in range(5):
                try:
                    with admin.connect() as connection:
                        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    return
                except DBAPIError:
                    # A server process we may not terminate (autovacuum) is still attached:
                    # wait for it rather than fail a test that has passed.
                    time.sleep(0.2 * (attempt + 1))

        fresh_copy.drop = drop
        yield fresh_copy
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{template_name}" WITH (FORCE)'))
        admin.dispose()
    else:
        template = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _build(f"sqlite:///{template}")
        with sqlite3.connect(template) as connection:  # fold the WAL into the file
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        def fresh_copy(tmp_path: Path) -> str:
            target = tmp_path / "test.sqlite3"
            shutil.copyfile(template, target)
            return f"sqlite:///{target}"

        fresh_copy.drop = lambda url: None
        yield fresh_copy


@pytest.fixture
def database_url(database_template, tmp_path):
    url = database_template(tmp_path)
    yield url
    database_template.drop(url)


@pytest.fixture
def app(database_url):
    app = _app_for(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


class CsrfClient(FlaskClient):
    """A test client whose form posts carry a valid CSRF token, as a browser's would.

    Pass ``csrf_token=None`` (or a wrong value) in ``data`` to send a forged form.
    """

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        data = kwargs.get("data")
        if method == "POST" and data is None and "json" not in kwargs:
            data = kwargs["data"] = {}
        if method == "POST" and isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        elif method == "POST" and isinstance(data, dict) and data.get("csrf_token") is None:
            kwargs["data"] = {k: v for k, v in data.items() if k != "csrf_token"}
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        raw = "test-csrf-raw-token"
        with self.session_transaction() as session:
            session.setdefault("csrf_token", raw)
            raw = session["csrf_token"]
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)


@pytest.fixture
def client(app):
    app.test_client_class = CsrfClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username: str = "qt.liaison", password: str = DEMO_PASSWORD, **headers):
        return self.client.post(
            "/login", data={"username": username, "password": password}, headers=headers
        )

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def translated(app, locale: str, text: str, **variables) -> str:
    """``text`` as the catalogue of ``locale`` has it (what a user of that language reads)."""
    from flask_babel import force_locale

    from coordination.i18n import _

    with app.test_request_context(), force_locale(locale):
        return _(text, **variables)


def translated_plural(app, locale: str, singular: str, plural: str, num: int, **variables) -> str:
    """The plural form for ``num`` as the catalogue of ``locale`` has it."""
    from flask_babel import force_locale

    from coordination.i18n import ngettext

    with app.test_request_context(), force_locale(locale):
        return ngettext(singular, plural, num, **variables)


def user_named(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def login_client(app, username: str) -> CsrfClient:
    """A separate signed-in client (for tests with two people at once)."""
    app.test_client_class = CsrfClient
    other = app.test_client()
    response = AuthActions(other).login(username)
    assert response.status_code == 302, response.data[:500]
    return other
