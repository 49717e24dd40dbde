"""Who may see and change user accounts. Views and the API ask only these functions."""

from __future__ import annotations

from coordination.auth.models import User


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
