"""Creating and reading notifications. They flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Integer, String, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from coordination.audit.operations import record
from coordination.auth.models import Role, User, UserRole
from coordination.core.db import UTCDateTime, utcnow
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.notifications.models import (
    Notification,
    NotificationKind,
    OfficeReminderSetting,
)


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


def mark_read(user: User, request_id: int | None = None, *, subject_key: str | None = None) -> None:
    """Mark ``user``'s unread notifications read: all, or those about one request or one
    subject (``"handover:7"``) once the user has opened it."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if request_id is not None:
        query = query.where(Notification.request_id == request_id)
    if subject_key is not None:
        query = query.where(Notification.subject_key == subject_key)
    db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))


@dataclass(frozen=True)
class Notice:
    """A scheduled notice to one user: sent once per (kind, subject_key, user, due_slot)."""

    user_id: int
    kind: NotificationKind
    subject_key: str  # what it is about: "request:42"
    due_slot: str  # which occasion: a deadline, an escalation round
    request_id: int | None = None


def officers_of(office_ids: Iterable[int], role: Role) -> dict[int, list[int]]:
    """The active users with ``role`` of each office: {office_id: [user_id, ...]}."""
    office_ids = sorted(set(office_ids))
    found: dict[int, list[int]] = {}
    if not office_ids:
        return found
    rows = db.session.execute(
        select(User.office_id, User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.office_id.in_(office_ids),
            User.is_enabled.is_(True),
            UserRole.role == str(role),
        )
        .order_by(User.id)
    ).all()
    for office_id, user_id in rows:
        found.setdefault(office_id, []).append(user_id)
    return found


def supervisors_of(office_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active supervisors overseeing each office (those of the office's province)."""
    office_ids = sorted(set(office_ids))
    found: dict[int, list[int]] = {}
    if not office_ids:
        return found
    overseen = aliased(Office)
    own = aliased(Office)
    rows = db.session.execute(
        select(overseen.id, User.id)
        .join(own, own.province_id == overseen.province_id)
        .join(User, User.office_id == own.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            overseen.id.in_(office_ids),
            User.is_enabled.is_(True),
            UserRole.role == str(Role.SUPERVISOR),
        )
        .order_by(User.id)
    ).all()
    for office_id, user_id in rows:
        found.setdefault(office_id, []).append(user_id)
    return found


def notify_once(notices: Iterable[Notice], *, now=None, batch: int = 5000) -> int:
    """Insert each notice unless the same key is already there; return how many were new.

    Insert first, under the unique constraint (kind, subject_key, user_id, due_slot), with
    ON CONFLICT DO NOTHING: a job run twice, two schedulers, or a run restarted halfway
    cannot make a second copy, and only an inserted row is ever e-mailed (the outbox).
    """
    created_at = now or utcnow()
    rows = [
        {
            "user_id": notice.user_id,
            "kind": str(notice.kind),
            "subject_key": notice.subject_key,
            "due_slot": notice.due_slot,
            "request_id": notice.request_id,
            "created_at": created_at,
            "email_attempts": 0,
        }
        for notice in notices
    ]
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return _insert_unnested(rows, created_at, batch)
    statement = (
        sqlite.insert(Notification)
        .on_conflict_do_nothing(index_elements=["kind", "subject_key", "user_id", "due_slot"])
        .returning(Notification.id)
    )
    inserted = 0
    for start in range(0, len(rows), batch):
        inserted += len(db.session.execute(statement, rows[start : start + batch]).all())
    return inserted


# PostgreSQL: one statement per batch whose rows come as arrays (unnest), instead of a
# multi-row VALUES with seven parameters per row, which the driver parses anew each time
# (2.7 of the 3 s the overdue job took over 11,000 notices).
_UNNESTED = text(
    """
    INSERT INTO notifications
        (user_id, kind, subject_key, due_slot, request_id, created_at, email_attempts)
    SELECT user_id, kind, subject_key, due_slot, request_id, :created_at, 0
    FROM unnest(:user_ids, :kinds, :subject_keys, :due_slots, :request_ids)
        AS given(user_id, kind, subject_key, due_slot, request_id)
    ON CONFLICT (kind, subject_key, user_id, due_slot) DO NOTHING
    RETURNING id
    """
).bindparams(
    bindparam("created_at", type_=UTCDateTime()),
    bindparam("user_ids", type_=postgresql.ARRAY(Integer)),
    bindparam("kinds", type_=postgresql.ARRAY(String)),
    bindparam("subject_keys", type_=postgresql.ARRAY(String)),
    bindparam("due_slots", type_=postgresql.ARRAY(String)),
    bindparam("request_ids", type_=postgresql.ARRAY(Integer)),
)


def _insert_unnested(rows: list[dict], created_at, batch: int) -> int:
    inserted = 0
    for start in range(0, len(rows), batch):
        part = rows[start : start + batch]
        values = {
            "created_at": created_at,
            "user_ids": [row["user_id"] for row in part],
            "kinds": [row["kind"] for row in part],
            "subject_keys": [row["subject_key"] for row in part],
            "due_slots": [row["due_slot"] for row in part],
            "request_ids": [row["request_id"] for row in part],
        }
        inserted += len(db.session.execute(_UNNESTED, values).all())
    return inserted


# --- Offices' reminder settings --------------------------------------------------------------

REMINDER_FIELDS = ("deadline_reminder_hours", "event_reminder_days", "event_reminder_hours")


def reminder_values(office: Office) -> dict[str, int | None]:
    """The office's own lead times (None where the default applies)."""
    setting = db.session.get(OfficeReminderSetting, office.id)
    return {name: getattr(setting, name, None) for name in REMINDER_FIELDS}


def set_reminder_settings(office: Office, data: dict, *, actor) -> Office:
    """Set the office's lead times given in ``data`` (a None: back to the default; a field
    not given stays as it is); audited as a change."""
    before = reminder_values(office)
    after = {name: data[name] if name in data else before[name] for name in REMINDER_FIELDS}
    if after == before:
        return office
    setting = db.session.get(OfficeReminderSetting, office.id)
    if all(value is None for value in after.values()):
        db.session.delete(setting)
    else:
        if setting is None:
            setting = OfficeReminderSetting(office_id=office.id)
            db.session.add(setting)
        for name, value in after.items():
            setattr(setting, name, value)
    db.session.flush()
    record(
        "office.reminders",
        actor=actor,
        target=office,
        details={name: [before[name], after[name]] for name in REMINDER_FIELDS
                 if before[name] != after[name]},
    )  # fmt: skip
    return office


def event_lead_times(
    office_ids: Iterable[int], days: timedelta, hours: timedelta
) -> dict[int, tuple[timedelta, timedelta]]:
    """(days before, hours before) of a meeting or patrol for each office: its own setting,
    else the feature's defaults ``days`` and ``hours``."""
    office_ids = sorted(set(office_ids))
    found = dict.fromkeys(office_ids, (days, hours))
    if not office_ids:
        return found
    rows = db.session.execute(
        select(
            OfficeReminderSetting.office_id,
            OfficeReminderSetting.event_reminder_days,
            OfficeReminderSetting.event_reminder_hours,
        ).where(OfficeReminderSetting.office_id.in_(office_ids))
    )
    for office_id, own_days, own_hours in rows:
        found[office_id] = (
            timedelta(days=own_days) if own_days else days,
            timedelta(hours=own_hours) if own_hours else hours,
        )
    return found


def longest_event_lead(days: timedelta) -> timedelta:
    """The longest "days before" any office has set (at least ``days``): how far ahead a
    reminder job must look."""
    longest = db.session.scalar(select(func.max(OfficeReminderSetting.event_reminder_days)))
    return max(days, timedelta(days=longest or 0))
