"""Flask-Login wiring: loading the user of a session cookie.

The cookie carries the random secret of a server-side session (a ``user_sessions`` row);
signing out, a password change, deactivation or an administrator ends the row, and a
copy of the cookie stops working at once, in any browser.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g
from flask_login import LoginManager
from sqlalchemy import update

from coordination.auth.models import User, UserSession
from coordination.core.db import utcnow, write_at_commit
from coordination.extensions import db
from coordination.i18n import L_

# last_seen_at is written at most this often per session: most requests stay read-only.
LAST_SEEN_STEP = timedelta(minutes=1)


def load_user(secret: str) -> User | None:
    """The user of a live session, or None (ended, past its lifetime, or idle too long)."""
    from coordination.auth.operations import close_session, session_for_secret

    row = session_for_secret(secret)
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    refusal = row.refusal(now, current_app.config["SESSION_IDLE_MINUTES"])
    if refusal is not None:
        close_session(row, refusal)  # shown as ended, with the reason, from now on
        return None
    user = row.user
    if not user.is_active:
        return None
    if now - row.last_seen_at >= LAST_SEEN_STEP:
        # A plain UPDATE of the session row (the user's record and version are untouched),
        # made at the commit so that it holds no write lock while the page is built.
        write_at_commit(
            lambda: db.session.execute(
                update(UserSession)
                .where(UserSession.id == row.id)
                .values(last_seen_at=now)
                .execution_options(synchronize_session=False)
            )
        )
    user.session_secret = secret
    g.user_session = row
    return user


def current_session() -> UserSession | None:
    """The session row of the signed-in browser making this request."""
    return g.get("user_session")


def configure_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = L_("Sign in to continue.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"
