"""Flask-Login wiring: loading the user of a session cookie."""

from __future__ import annotations

from flask_login import LoginManager

from coordination.auth.models import User
from coordination.extensions import db
from coordination.i18n import L_


def load_user(session_id: str) -> User | None:
    """``session_id`` is "<user id>:<session generation>"; an old generation is signed out."""
    user_id, _sep, generation = session_id.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_generation != int(generation):
        return None
    return user


def configure_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = L_("Sign in to continue.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"
