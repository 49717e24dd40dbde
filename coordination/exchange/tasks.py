"""The exchange's scheduled jobs (declared in its Feature, run through core.jobs.run_job).

A job is thin: it finds what is due and calls operations; it flushes, never commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select

from coordination.core.db import utcnow
from coordination.exchange.models import AWAITING_ANSWER, Request
from coordination.extensions import db
from coordination.notifications.models import Notification, NotificationKind
from coordination.notifications.operations import notify_office


def remind_deadlines(now: datetime | None = None, within: timedelta = timedelta(hours=48)) -> int:
    """Tell the recipient office of each request still awaiting its answer that the reply
    deadline falls within ``within`` from ``now``. Return how many requests were reminded.

    A request is reminded once: never again when it already has a DEADLINE_NEAR
    notification. Requests already past their deadline get no "near" reminder (they are
    overdue, which is escalation's business).
    """
    now = now or utcnow()
    already_reminded = exists().where(
        Notification.request_id == Request.id,
        Notification.kind == str(NotificationKind.DEADLINE_NEAR),
    )
    due = db.session.scalars(
        select(Request)
        .where(
            Request.state.in_([str(state) for state in AWAITING_ANSWER]),
            Request.deadline_at.is_not(None),
            Request.deadline_at > now,
            Request.deadline_at <= now + within,
            ~already_reminded,
        )
        .order_by(Request.deadline_at, Request.id)
    ).all()
    for request in due:
        notify_office(request.recipient_office_id, NotificationKind.DEADLINE_NEAR, request)
    return len(due)
