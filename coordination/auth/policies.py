"""Who may see and change user accounts. Views and the API ask only these functions."""

from __future__ import annotations

from coordination.auth.models import User, UserSession


def can_manage_users(actor: User) -> bool:
    """List users of every office, create users."""
    return actor.is_active and actor.is_admin


def can_view_user(actor: User, user: User) -> bool:
    if not actor.is_active:
        return False
    if actor.is_admin or actor.id == user.id:
        return True
    # A supervisor oversees the offices of their own province.
    return actor.has_role("supervisor") and actor.office.province_id == user.office.province_id


def can_edit_user(actor: User, user: User) -> bool:
    return actor.is_active and actor.is_admin


def can_edit_own_profile(actor: User, user: User) -> bool:
    return actor.is_active and actor.id == user.id


def can_end_session(actor: User, row: UserSession) -> bool:
    """A user ends their own sessions; administrators sign a user out everywhere instead."""
    return actor.is_active and row.user_id == actor.id
