"""The exchange's scheduled jobs (declared in its Feature, run through core.jobs.run_job).

A job is thin: it finds what is due NOW (``core.jobs.job_now``, not the time it was meant to
run) and hands notices to ``notifications.operations.notify_once``, whose key (kind, request,
recipient, due slot) makes a late, repeated or concurrent run send each notice once. A run
after the scheduler was down sends what is still due (a request still unanswered) and skips
what no longer is (a request answered meanwhile is no longer awaiting an answer).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.core.jobs import Counted, job_now
from coordination.exchange.models import AWAITING_ANSWER, Request
from coordination.extensions import db
from coordination.notifications.models import NotificationKind, OfficeReminderSetting
from coordination.notifications.operations import (
    Notice,
    notify_once,
    officers_of,
    supervisors_of,
)

_AWAITING = [str(state) for state in AWAITING_ANSWER]


def _slot(deadline: datetime) -> str:
    """The due slot of a deadline's notices: a new deadline is a new occasion."""
    return deadline.strftime("%Y-%m-%dT%H:%MZ")


def _key(row) -> tuple[str, str, int]:
    return f"request:{row.id}", _slot(row.deadline_at), row.id


def _awaiting(*conditions):
    return db.session.execute(
        select(Request.id, Request.recipient_office_id, Request.deadline_at)
        .where(Request.state.in_(_AWAITING), Request.deadline_at.is_not(None), *conditions)
        .order_by(Request.deadline_at, Request.id)
    ).all()


def remind_deadlines(now: datetime | None = None, within: timedelta | None = None) -> Counted:
    """Tell the liaison officers of the recipient office of each request still awaiting its
    answer that its reply deadline falls within the office's lead time (its own setting, or
    DEADLINE_REMINDER_HOURS, 48 h by default; ``within`` overrides both). Once per request
    and deadline: a moved deadline is reminded again. Past deadlines are remind_overdue's."""
    now = now or job_now()
    default = within or timedelta(hours=current_app.config.get("DEADLINE_REMINDER_HOURS", 48))
    lead = {}
    if within is None:
        lead = {
            office_id: timedelta(hours=hours)
            for office_id, hours in db.session.execute(
                select(
                    OfficeReminderSetting.office_id, OfficeReminderSetting.deadline_reminder_hours
                ).where(OfficeReminderSetting.deadline_reminder_hours.is_not(None))
            )
        }
    horizon = max([default, *lead.values()])
    due = [
        row
        for row in _awaiting(Request.deadline_at > now, Request.deadline_at <= now + horizon)
        if row.deadline_at <= now + lead.get(row.recipient_office_id, default)
    ]
    officers = officers_of((row.recipient_office_id for row in due), Role.LIAISON_OFFICER)
    sent = notify_once(
        Notice(
            user,
            NotificationKind.DEADLINE_NEAR,
            f"request:{row.id}",
            _slot(row.deadline_at),
            row.id,
        )
        for row in due
        for user in officers.get(row.recipient_office_id, ())
    )
    return Counted(sent, f"requests near their deadline: {len(due)}; notices sent: {sent}")


def remind_overdue(now: datetime | None = None) -> Counted:
    """For each request past its reply deadline and still unanswered: tell the recipient
    office's liaison officers once (deadline passed), and the supervisors of its province
    (escalation) when
    it passes and again every ESCALATION_REPEAT_DAYS days (3 by default).

    The escalation's due slot is the round (deadline, round number): a run after days of
    downtime sends the current round once, not every round it missed."""
    now = now or job_now()
    repeat = timedelta(days=current_app.config.get("ESCALATION_REPEAT_DAYS", 3))
    overdue = _awaiting(Request.deadline_at <= now)
    offices = {row.recipient_office_id for row in overdue}
    liaison = officers_of(offices, Role.LIAISON_OFFICER)
    supervisors = supervisors_of(offices)
    notices = []
    for row in overdue:
        subject, slot = f"request:{row.id}", _slot(row.deadline_at)
        for user in liaison.get(row.recipient_office_id, ()):
            notices.append(Notice(user, NotificationKind.DEADLINE_PASSED, subject, slot, row.id))
        escalation_round = int((now - row.deadline_at) / repeat)
        for user in supervisors.get(row.recipient_office_id, ()):
            notices.append(
                Notice(
                    user, NotificationKind.ESCALATION, subject, f"{slot}#{escalation_round}", row.id
                )
            )
    sent = notify_once(notices)
    return Counted(sent, f"overdue requests: {len(overdue)}; notices sent: {sent}")
