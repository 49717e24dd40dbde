"""Which offices' reminder settings a user may see and change."""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.notifications.models import OfficeReminderSetting


def reminder_settings(actor: User) -> list[tuple[Office, OfficeReminderSetting | None]]:
    """(office, its own settings or None) for the offices ``actor`` may set: every active
    office for an administrator, the province's for a supervisor."""
    query = (
        select(Office, OfficeReminderSetting)
        .outerjoin(OfficeReminderSetting, OfficeReminderSetting.office_id == Office.id)
        .where(Office.active.is_(True))
        .order_by(Office.code)
    )
    if not actor.is_admin:
        if not actor.has_role(Role.SUPERVISOR):
            return []
        query = query.where(Office.province_id == actor.office.province_id)
    return [(office, setting) for office, setting in db.session.execute(query)]
