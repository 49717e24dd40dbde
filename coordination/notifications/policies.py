"""Who may change an office's reminder settings."""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.directory.models import Office


def can_set_reminders(actor: User, office: Office) -> bool:
    """Administrators, and the supervisors of the office's province: they answer for the
    office's deadlines (the escalations reach them)."""
    if not actor.is_active:
        return False
    if actor.is_admin:
        return True
    return actor.has_role(Role.SUPERVISOR) and actor.office.province_id == office.province_id


def can_set_any_reminders(actor: User) -> bool:
    return actor.is_active and (actor.is_admin or actor.has_role(Role.SUPERVISOR))
