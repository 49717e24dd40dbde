"""Sign-in throttling per user name and client, instead of locking accounts.

A client is the address a sign-in comes from or, when the browser carries a valid
"known device" cookie for that user (set when it signed in as them before), that browser.
After ``LOGIN_MAX_FAILURES`` wrong passwords from one client, its next attempt for that
name is refused until a time that doubles with each further failure (from
``LOGIN_FIRST_DELAY_SECONDS`` up to ``LOGIN_LOCK_MINUTES``). Failures from elsewhere never
delay the officer at their own desk, so a guessed user name cannot lock anyone out.

Like the other operations, these functions flush but never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from coordination.auth.models import SignInThrottle, User
from coordination.extensions import db

KNOWN_DEVICE_COOKIE = "known_device"
_KNOWN_DEVICE_SALT = "known-device"
_KNOWN_DEVICE_USERS = 20  # a shared office computer remembers this many accounts
# Failures this old are forgotten (the count starts again).
FAILURE_MEMORY = timedelta(hours=24)


@dataclass(frozen=True)
class Client:
    """Where a sign-in attempt comes from."""

    ip_address: str | None
    device_id: str | None = None  # from a valid known-device cookie
    device_user_ids: frozenset[int] = field(default_factory=frozenset)

    def knows(self, user: User | None) -> bool:
        return user is not None and self.device_id is not None and user.id in self.device_user_ids

    def key_for(self, user: User | None) -> str:
        if self.knows(user):
            return "device:" + hashlib.sha256(self.device_id.encode()).hexdigest()[:32]
        return "ip:" + (self.ip_address or "unknown")[:64]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_KNOWN_DEVICE_SALT)


def read_known_device(cookie: str | None, ip_address: str | None) -> Client:
    """The client of a request, from its address and its known-device cookie (if valid)."""
    if cookie:
        max_age = current_app.config["KNOWN_DEVICE_DAYS"] * 86400
        try:
            data = _serializer().loads(cookie, max_age=max_age)
        except BadSignature:  # also an expired one (SignatureExpired is a BadSignature)
            data = None
        if isinstance(data, dict) and isinstance(data.get("d"), str):
            ids = frozenset(i for i in data.get("u", []) if isinstance(i, int))
            return Client(ip_address, data["d"], ids)
    return Client(ip_address)


def known_device_cookie(client: Client, user: User) -> str:
    """The cookie value that makes this browser known for ``user`` (and whom it knew)."""
    device_id = client.device_id or secrets.token_urlsafe(24)
    ids = [user.id] + [i for i in sorted(client.device_user_ids) if i != user.id]
    return _serializer().dumps({"d": device_id, "u": ids[:_KNOWN_DEVICE_USERS]})


def _name(username: str) -> str:
    return username.strip().lower()[:64]


def blocked_until(username: str, client_key: str, now: datetime) -> datetime | None:
    """Until when attempts for ``username`` from this client are refused, if they are."""
    until = db.session.scalar(
        select(SignInThrottle.blocked_until).where(
            SignInThrottle.username == _name(username),
            SignInThrottle.client_key == client_key,
        )
    )
    return until if until is not None and until > now else None


def _delay(failures: int) -> timedelta | None:
    config = current_app.config
    beyond = failures - config["LOGIN_MAX_FAILURES"]  # the failure that reaches it: 0
    if beyond < 0:
        return None
    longest = config["LOGIN_LOCK_MINUTES"] * 60
    seconds = config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(beyond, 30)
    return timedelta(seconds=min(seconds, longest))


def _upsert(values: dict, update_values: dict):
    """INSERT … ON CONFLICT (username, client_key) DO UPDATE: concurrent failures never clash."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SignInThrottle).values(**values)
    return statement.on_conflict_do_update(
        index_elements=["username", "client_key"], set_=update_values
    )


def register_failure(
    username: str, client_key: str, ip_address: str | None, now: datetime
) -> tuple[int, datetime | None]:
    """Count a wrong password; return the failures so far and, if a delay starts, its end."""
    table = SignInThrottle.__table__.c
    forgotten = table.last_failure_at < now - FAILURE_MEMORY
    statement = _upsert(
        {
            "username": _name(username),
            "client_key": client_key,
            "ip_address": (ip_address or "")[:64] or None,
            "failures": 1,
            "first_failure_at": now,
            "last_failure_at": now,
        },
        {
            "failures": case((forgotten, 1), else_=table.failures + 1),
            "first_failure_at": case((forgotten, now), else_=table.first_failure_at),
            "last_failure_at": now,
            "ip_address": (ip_address or "")[:64] or None,
        },
    ).returning(SignInThrottle.id, SignInThrottle.failures)
    throttle_id, failures = db.session.execute(statement).one()
    # Keep the table small: rows of clients that stopped failing long ago go.
    db.session.execute(
        delete(SignInThrottle)
        .where(SignInThrottle.last_failure_at < now - FAILURE_MEMORY)
        .execution_options(synchronize_session=False)
    )
    delay = _delay(failures)
    if delay is None:
        return failures, None
    until = now + delay
    db.session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.id == throttle_id)
        .values(blocked_until=until)
        .execution_options(synchronize_session=False)
    )
    return failures, until


def clear(username: str, client_key: str | None = None) -> list[SignInThrottle]:
    """Forget the failures for ``username`` (from one client, or all); return what went.

    A plain DELETE: a sign-in and an administrator clearing the same rows at once is fine.
    """
    condition = [SignInThrottle.username == _name(username)]
    if client_key is not None:
        condition.append(SignInThrottle.client_key == client_key)
    rows = db.session.scalars(
        select(SignInThrottle).where(*condition).order_by(SignInThrottle.id)
    ).all()
    if rows:
        db.session.execute(
            delete(SignInThrottle).where(*condition).execution_options(synchronize_session=False)
        )
        for row in rows:
            db.session.expunge(row)
    return list(rows)


def active_throttles(usernames: list[str], now: datetime) -> dict[str, list[SignInThrottle]]:
    """The delays in force for each of ``usernames`` (one query), latest end first."""
    result: dict[str, list[SignInThrottle]] = {}
    if not usernames:
        return result
    rows = db.session.scalars(
        select(SignInThrottle)
        .where(SignInThrottle.username.in_(usernames), SignInThrottle.blocked_until > now)
        .order_by(SignInThrottle.blocked_until.desc())
    )
    for row in rows:
        result.setdefault(row.username, []).append(row)
    return result
