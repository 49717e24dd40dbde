"""Who may open which calendar.

Everyone active has their own calendar ("mine": whatever the providers let them see) and a
feed of it. The office calendar: one's own office; a supervisor may open any office of their
province (they watch the province's work). Each entry is still filtered by its own
feature's policy, so an office calendar never shows what the user may not see.
"""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.directory.models import Office
from coordination.extensions import db


def can_use_calendar(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_office_calendar(user: User, office: Office) -> bool:
    if not can_use_calendar(user):
        return False
    if office.id == user.office_id:
        return True
    return user.has_role(Role.SUPERVISOR) and office.province_id == user.office.province_id


def offices_for(user: User) -> list[Office]:
    """The offices whose calendar ``user`` may open (the page's choice)."""
    if not can_use_calendar(user):
        return []
    if not user.has_role(Role.SUPERVISOR):
        return [user.office]
    query = select(Office).where(Office.province_id == user.office.province_id)
    return list(db.session.scalars(query.order_by(Office.code)))
