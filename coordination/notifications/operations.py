"""Creating and reading notifications. They flush, never commit."""

from __future__ import annotations

from sqlalchemy import func, select, update

from coordination.auth.models import Role, User, UserRole
from coordination.core.db import utcnow
from coordination.extensions import db
from coordination.notifications.models import Notification, NotificationKind


def notify_office(office_id: int, kind: NotificationKind, request, *, exclude_user_id=None):
    """Notify every active liaison officer of ``office_id`` about ``request``."""
    officers = db.session.scalars(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.office_id == office_id,
            User.is_enabled.is_(True),
            UserRole.role == str(Role.LIAISON_OFFICER),
        )
    ).all()
    for user_id in officers:
        if user_id != exclude_user_id:
            db.session.add(Notification(user_id=user_id, kind=str(kind), request_id=request.id))
    db.session.flush()


def unread_count(user: User) -> int:
    # count(*), not count(id): the (user_id, read_at) index alone answers it (index-only scan).
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(user: User, request_id: int | None = None) -> None:
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if request_id is not None:
        query = query.where(Notification.request_id == request_id)
    db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
