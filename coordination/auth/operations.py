"""Actions on users, passwords and tokens. They flush; the caller commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from coordination.audit.operations import changes, record, snapshot
from coordination.auth.models import ApiToken, Role, User
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import _

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
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
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


def _locked_message() -> str:
    # The same words whether or not the name exists: no hint about which accounts there are.
    return _(
        "Too many failed attempts. Wait %(minutes)d minutes, then try again, "
        "or ask your administrator to unlock the account.",
        minutes=current_app.config["LOGIN_LOCK_MINUTES"],
    )


def _set_login_state(user: User, **values):
    """Write sign-in bookkeeping without moving the record's version.

    Failed-attempt counters and last sign-in are not edits: they must neither make an
    administrator's open edit form stale nor lose counts when attempts race.
    """
    statement = (
        update(User)
        .where(User.id == user.id)
        .values(**values)
        .returning(User.failed_logins, User.locked_until)
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(statement).one()
    db.session.expire(user, ["failed_logins", "locked_until", "last_login_at"])
    return row


def authenticate(username: str, password: str) -> LoginResult:
    """Check credentials; count failures and lock the account after too many."""
    config = current_app.config
    user = find_user(username)
    now = utcnow()
    if user is None:
        _hasher().hash(_DUMMY_HASH_PASSWORD)  # similar cost: do not reveal unknown names
        record("auth.login_failed", actor_name=username[:200], details={"reason": "unknown_user"})
        return LoginResult(None, _("Wrong user name or password."))
    if user.is_locked(now):
        _hasher().hash(_DUMMY_HASH_PASSWORD)
        record("auth.login_failed", actor=user, target=user, details={"reason": "locked"})
        return LoginResult(None, _locked_message())
    if not password_matches(user, password):
        failures, _locked = _set_login_state(user, failed_logins=User.failed_logins + 1)
        details = {"reason": "wrong_password", "failures": failures}
        if failures >= config["LOGIN_MAX_FAILURES"]:
            locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
            _set_login_state(user, failed_logins=0, locked_until=locked_until)
            details["locked_until"] = locked_until.isoformat()
            record("auth.login_failed", actor=user, target=user, details=details)
            return LoginResult(None, _locked_message())
        record("auth.login_failed", actor=user, target=user, details=details)
        return LoginResult(None, _("Wrong user name or password."))
    if not user.is_enabled:
        record("auth.login_failed", actor=user, target=user, details={"reason": "deactivated"})
        return LoginResult(None, _("This account has been deactivated. Ask your administrator."))
    _set_login_state(user, failed_logins=0, locked_until=None, last_login_at=now)
    record("auth.login", actor=user, target=user)
    return LoginResult(user)


def record_logout(user: User) -> None:
    record("auth.logout", actor=user, target=user)


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
            user.session_generation += 1  # sign the user out everywhere
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


def set_password(user: User, new_password: str, *, actor: User) -> None:
    """New password: every other session and every API token of the user stops working."""
    user.password_hash = hash_password(new_password)
    user.session_generation += 1
    user.failed_logins = 0
    user.locked_until = None
    revoke_all_tokens(user)
    action = "user.password_change" if actor.id == user.id else "user.password_reset"
    record(action, actor=actor, target=user)
    db.session.flush()


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    if not password_matches(user, current_password):
        raise OperationError(
            _("The current password is wrong."),
            {"current_password": [_("The current password is wrong.")]},
        )
    set_password(user, new_password, actor=user)


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


def unlock_user(user: User, *, actor: User) -> None:
    user.locked_until = None
    user.failed_logins = 0
    record("user.unlock", actor=actor, target=user)
    db.session.flush()


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str, *, actor: User | None) -> tuple[ApiToken, str]:
    """Make a token; the plain value is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        digest=_token_digest(plain),
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
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == _token_digest(plain)))
    if token is None or not token.is_usable() or not token.user.is_enabled:
        return None
    now = utcnow()
    # Write at most once a minute per token: reads through the API stay read-only.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return token.user
