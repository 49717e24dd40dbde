"""Actions on users, passwords and tokens. They flush; the caller commits."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from coordination.audit.operations import changes, record, snapshot
from coordination.auth import throttling
from coordination.auth.devices import device_label
from coordination.auth.models import ApiToken, Role, SessionEnd, User, UserSession
from coordination.auth.throttling import Client
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version
from coordination.core.origin import current_origin
from coordination.core.secrets import secret_digest
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import _, ngettext

TOKEN_PREFIX = "cbt_"  # noqa: S105 - a label, not a secret
AUDITED_USER_FIELDS = [
    "username",
    "full_name",
    "email",
    "office_id",
    "locale",
    "timezone",
    "is_enabled",
]
# Verified against when the user name is unknown, so that both paths cost the same time.
_DUMMY_HASH_PASSWORD = "not-a-real-password"  # noqa: S105


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_KIB"]
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(user: User, password: str) -> bool:
    """Check ``password``; store a fresh hash if the Argon2 cost settings have changed.

    The new hash is written with a plain UPDATE that leaves the record's version alone and
    only replaces the hash it was computed from: many sign-ins of one account at once
    (issue 16) must neither conflict with each other (a version bump made the second one a
    409) nor overwrite a password changed in the meantime.
    """
    hasher = _hasher()
    old_hash = user.password_hash
    try:
        hasher.verify(old_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(old_hash):
        db.session.execute(
            update(User)
            .where(User.id == user.id, User.password_hash == old_hash)
            .values(password_hash=hasher.hash(password))
            .execution_options(synchronize_session=False)
        )
        db.session.expire(user, ["password_hash"])
    return True


def find_user(username: str) -> User | None:
    # User names are stored in lower case (see the schemas), so the unique index serves.
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None and self.error is None


def _wait_message(until: datetime, now: datetime) -> str:
    # The same words whether or not the name exists: no hint about which accounts there are.
    seconds = max(1, math.ceil((until - now).total_seconds()))
    if seconds < 120:
        wait = ngettext("%(num)d second", "%(num)d seconds", seconds)
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return _(
        "Too many failed attempts from here. Wait %(wait)s, then try again, "
        "or ask your administrator.",
        wait=wait,
    )


def authenticate(username: str, password: str, client: Client | None = None) -> LoginResult:
    """Check credentials; after repeated failures from one client, make that client wait.

    Nothing here moves the user's version: sign-ins never make an open edit form stale and
    never conflict with each other.
    """
    client = client or Client(current_origin().ip_address)
    user = find_user(username)
    now = utcnow()
    key = client.key_for(user)
    about = {"actor": user, "target": user} if user else {"actor_name": username[:200]}
    until = throttling.blocked_until(username, key, now)
    if until is not None:
        _hasher().hash(_DUMMY_HASH_PASSWORD)  # similar cost: do not reveal what happened
        details = {"reason": "throttled", "until": until.isoformat()}
        record("auth.login_failed", **about, details=details)
        return LoginResult(None, _wait_message(until, now))
    if user is None or not password_matches(user, password):
        if user is None:
            _hasher().hash(_DUMMY_HASH_PASSWORD)
        failures, until = throttling.register_failure(username, key, client.ip_address, now)
        reason = "unknown_user" if user is None else "wrong_password"
        details = {"reason": reason, "failures": failures}
        if client.knows(user):
            details["known_device"] = True
        record("auth.login_failed", **about, details=details)
        if until is None:
            return LoginResult(None, _("Wrong user name or password."))
        record(
            "auth.throttled",
            **about,
            details={
                "address": client.ip_address,
                "known_device": client.knows(user),
                "failures": failures,
                "until": until.isoformat(),
            },
        )
        return LoginResult(None, _wait_message(until, now))
    if not user.is_enabled:
        record("auth.login_failed", actor=user, target=user, details={"reason": "deactivated"})
        return LoginResult(None, _("This account has been deactivated. Ask your administrator."))
    throttling.clear(username, key)
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(last_login_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["last_login_at"])
    record("auth.login", actor=user, target=user)
    return LoginResult(user)


# --- Server-side sessions ---------------------------------------------------------------


def start_session(user: User, *, ip_address: str | None, user_agent: str | None) -> UserSession:
    """A new sign-in session; the secret for the cookie is put on ``user.session_secret``."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(
        user_id=user.id,
        digest=_digest(secret),
        created_at=now,
        last_seen_at=now,
        expires_at=now + current_app.config["PERMANENT_SESSION_LIFETIME"],
        ip_address=(ip_address or "")[:64] or None,
        user_agent=(user_agent or "")[:300] or None,
    )
    db.session.add(row)
    db.session.flush()
    user.session_secret = secret
    return row


def session_for_secret(secret: str) -> UserSession | None:
    if not secret or len(secret) > 200:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.digest == _digest(secret)))


def _end_live_sessions(reason: SessionEnd, *conditions) -> int:
    """Mark the live sessions that meet ``conditions`` ended; return how many were."""
    return db.session.execute(
        update(UserSession)
        .where(UserSession.ended_at.is_(None), *conditions)
        .values(ended_at=utcnow(), end_reason=str(reason))
        .execution_options(synchronize_session=False)
    ).rowcount


def end_sessions(user: User, reason: SessionEnd, *, keep_id: int | None = None) -> int:
    """End every live session of ``user`` (but ``keep_id``); return how many ended."""
    conditions = [UserSession.user_id == user.id]
    if keep_id is not None:
        conditions.append(UserSession.id != keep_id)
    return _end_live_sessions(reason, *conditions)


def close_session(row: UserSession, reason: SessionEnd) -> bool:
    """Mark one session ended (no audit entry: callers record why). False if it was already."""
    ended = _end_live_sessions(reason, UserSession.id == row.id)
    db.session.expire(row, ["ended_at", "end_reason"])
    return bool(ended)


def end_session(row: UserSession, *, actor: User) -> None:
    """The user ends one of their sessions from the list on their account page."""
    if close_session(row, SessionEnd.ENDED_BY_USER):
        record(
            "auth.session_end",
            actor=actor,
            target=row.user,
            details={"session": row.id, "device": device_label(row.user_agent)},
        )


def end_other_sessions(user: User, *, current_id: int | None) -> int:
    ended = end_sessions(user, SessionEnd.ENDED_BY_USER, keep_id=current_id)
    if ended:
        record("auth.session_end", actor=user, target=user, details={"others": ended})
    return ended


def sign_out_everywhere(user: User, *, actor: User) -> int:
    """An administrator ends every session of ``user`` (a lost phone, a leaving officer)."""
    ended = end_sessions(user, SessionEnd.SIGNED_OUT_EVERYWHERE)
    record("user.sign_out_everywhere", actor=actor, target=user, details={"sessions": ended})
    return ended


def live_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still work, most recently used first."""
    now = utcnow()
    query = select(UserSession).where(
        UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),
        UserSession.expires_at > now,
    )
    idle = current_app.config["SESSION_IDLE_MINUTES"]
    if idle:
        query = query.where(UserSession.last_seen_at > now - timedelta(minutes=idle))
    return list(db.session.scalars(query.order_by(UserSession.last_seen_at.desc())))


def record_logout(user: User, row: UserSession | None) -> None:
    if row is not None:
        close_session(row, SessionEnd.LOGOUT)
    record("auth.logout", actor=user, target=user, details={"session": row.id} if row else {})


def _check_username_free(username: str, exclude_id: int | None = None) -> None:
    existing = find_user(username)
    if existing is not None and existing.id != exclude_id:
        raise OperationError(
            _("The user name is already taken."),
            {"username": [_("The user name is already taken.")]},
        )


def _check_office(office_id: int) -> None:
    if db.session.get(Office, office_id) is None:
        message = _("Choose one of the listed options.")
        raise OperationError(message, {"office_id": [message]})


def create_user(data: dict, *, actor: User | None) -> User:
    """Create a user from validated ``data`` (username, full_name, office_id, roles, password…)."""
    _check_username_free(data["username"])
    _check_office(data["office_id"])
    user = User(
        username=data["username"],
        full_name=data["full_name"],
        email=data.get("email"),
        office_id=data["office_id"],
        locale=data.get("locale") or "vi",
        timezone=data.get("timezone") or "Asia/Ho_Chi_Minh",
        password_hash=hash_password(data["password"]),
        is_enabled=True,
    )
    user.roles = sorted({str(Role(role)) for role in data.get("roles", [])})
    user.refresh_search_text()
    db.session.add(user)
    db.session.flush()
    record(
        "user.create",
        actor=actor,
        target=user,
        details={**snapshot(user, AUDITED_USER_FIELDS), "roles": list(user.roles)},
    )
    return user


def update_user(user: User, data: dict, *, actor: User) -> User:
    """Administrator's edit: identity, office, roles, language, time zone, enabled."""
    check_version(user, data.get("version"))
    _check_username_free(data["username"], exclude_id=user.id)
    _check_office(data["office_id"])
    if user.id == actor.id and (
        not data.get("is_enabled", True) or str(Role.ADMIN) not in data.get("roles", [])
    ):
        raise OperationError(
            _("You cannot deactivate yourself or remove your own administrator role.")
        )
    before = snapshot(user, AUDITED_USER_FIELDS)
    old_roles = sorted(user.roles)
    for name in ("username", "full_name", "email", "office_id", "locale", "timezone"):
        if name in data:
            setattr(user, name, data[name])
    user.refresh_search_text()
    new_roles = sorted({str(Role(role)) for role in data.get("roles", [])})
    if new_roles != old_roles:
        user.roles = new_roles
    enabled = data.get("is_enabled", user.is_enabled)
    if enabled != user.is_enabled:
        user.is_enabled = enabled
        if not enabled:
            end_sessions(user, SessionEnd.DEACTIVATED)  # signed out everywhere
            revoke_all_tokens(user)
    diff = changes(user, before, AUDITED_USER_FIELDS)
    if new_roles != old_roles:
        diff["roles"] = [old_roles, new_roles]
        # Roles live in their own table: touch the row so that its version moves too.
        user.updated_at = utcnow()
    if diff:
        record("user.update", actor=actor, target=user, details=diff)
    db.session.flush()
    return user


def set_password(
    user: User, new_password: str, *, actor: User, keep_session_id: int | None = None
) -> None:
    """New password: every session but ``keep_session_id`` and every API token stop working.

    The user's own change keeps the session they changed it from; a reset ends them all.
    """
    user.password_hash = hash_password(new_password)
    own = actor.id == user.id
    reason = SessionEnd.PASSWORD_CHANGE if own else SessionEnd.PASSWORD_RESET
    ended = end_sessions(user, reason, keep_id=keep_session_id)
    throttling.clear(user.username)  # the old password's guessers start again from zero
    revoke_all_tokens(user)
    action = "user.password_change" if own else "user.password_reset"
    record(action, actor=actor, target=user, details={"sessions_ended": ended})
    db.session.flush()


def change_own_password(
    user: User, current_password: str, new_password: str, *, current_session_id: int | None
) -> None:
    if not password_matches(user, current_password):
        raise OperationError(
            _("The current password is wrong."),
            {"current_password": [_("The current password is wrong.")]},
        )
    set_password(user, new_password, actor=user, keep_session_id=current_session_id)


def update_preferences(user: User, data: dict) -> None:
    before = snapshot(user, ["locale", "timezone", "full_name", "email"])
    for name in ("locale", "timezone", "full_name", "email"):
        if name in data:
            setattr(user, name, data[name])
    user.refresh_search_text()
    diff = changes(user, before, ["locale", "timezone", "full_name", "email"])
    if diff:
        record("user.preferences", actor=user, target=user, details=diff)
    db.session.flush()


def unlock_user(user: User, *, actor: User) -> int:
    """Lift every sign-in delay of ``user`` (from any address or device)."""
    cleared = throttling.clear(user.username)
    if cleared:
        record(
            "user.unlock",
            actor=actor,
            target=user,
            details={"cleared": [row.ip_address or row.client_key for row in cleared]},
        )
    return len(cleared)


_digest = secret_digest


def create_api_token(user: User, name: str, *, actor: User | None) -> tuple[ApiToken, str]:
    """Make a token; the plain value is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        digest=_digest(plain),
        expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(token)
    db.session.flush()
    record(
        "api_token.create", actor=actor, target=user, details={"token": token.prefix, "name": name}
    )
    return token, plain


def revoke_all_tokens(user: User) -> None:
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def revoke_api_token(token: ApiToken, *, actor: User) -> None:
    if token.revoked_at is not None:
        return  # already revoked: nothing changes, nothing to record
    token.revoked_at = utcnow()
    record("api_token.revoke", actor=actor, target=token.user, details={"token": token.prefix})
    db.session.flush()


def user_for_token(plain: str) -> User | None:
    """The enabled user owning a usable token, or None. Marks the token as used."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(plain)))
    if token is None or not token.is_usable() or not token.user.is_enabled:
        return None
    now = utcnow()
    # Write at most once a minute per token: reads through the API stay read-only.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return token.user
