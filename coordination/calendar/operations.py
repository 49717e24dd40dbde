"""Making, showing and revoking a user's private feed link; finding the user of a feed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import select, update

from coordination.audit.operations import record
from coordination.calendar.models import CalendarFeedToken
from coordination.core.db import utcnow
from coordination.core.secrets import secret_digest
from coordination.extensions import db

TOKEN_PREFIX = "cal_"  # noqa: S105 - a marker, not a secret
MAX_TOKEN_LENGTH = 100


def token_for(row: CalendarFeedToken) -> str:
    """The token of ``row``: HMAC-SHA256 of its salt under SECRET_KEY (see models.py)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    mac = hmac.new(key, b"calendar-feed:" + row.salt.encode(), hashlib.sha256).digest()
    return TOKEN_PREFIX + base64.urlsafe_b64encode(mac).decode().rstrip("=")


_digest = secret_digest


def live_token(user) -> CalendarFeedToken | None:
    return db.session.scalar(
        select(CalendarFeedToken)
        .where(CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None))
        .order_by(CalendarFeedToken.id.desc())
    )


def feed_token(user) -> str | None:
    """The token of ``user``'s live link, or None (none made, revoked, or made under another
    SECRET_KEY: then it no longer works and a new link must be made)."""
    row = live_token(user)
    if row is None:
        return None
    token = token_for(row)
    return token if hmac.compare_digest(_digest(token), row.digest) else None


def _revoke_live(user) -> list[str]:
    rows = db.session.scalars(
        select(CalendarFeedToken).where(
            CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None)
        )
    ).all()
    prefixes = [row.prefix for row in rows]
    if rows:
        db.session.execute(
            update(CalendarFeedToken)
            .where(CalendarFeedToken.id.in_([row.id for row in rows]))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
    return prefixes


def renew_feed(user, *, actor) -> str:
    """A new link for ``user``; the previous one (if any) stops working. Returns the token."""
    revoked = _revoke_live(user)
    row = CalendarFeedToken(user_id=user.id, salt=secrets.token_urlsafe(32), digest="", prefix="")
    token = token_for(row)
    row.digest = _digest(token)
    row.prefix = token[: len(TOKEN_PREFIX) + 6]
    db.session.add(row)
    db.session.flush()
    record(
        "calendar_feed.create",
        actor=actor,
        target=user,
        details={"token": row.prefix, "revoked": revoked},
    )
    return token


def revoke_feed(user, *, actor) -> bool:
    """Stop ``user``'s link; False if there was none (nothing changes, nothing recorded)."""
    revoked = _revoke_live(user)
    if revoked:
        record("calendar_feed.revoke", actor=actor, target=user, details={"revoked": revoked})
        db.session.flush()
    return bool(revoked)


def user_for_feed(token: str):
    """The enabled user owning a live feed token, or None (unknown, revoked, disabled)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(
        select(CalendarFeedToken).where(CalendarFeedToken.digest == _digest(token))
    )
    if row is None or row.revoked_at is not None or not row.user.is_enabled:
        return None
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 3600:
        row.last_used_at = now  # at most once an hour: calendar apps poll often
    return row.user
