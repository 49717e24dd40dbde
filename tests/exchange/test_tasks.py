"""The reply-deadline reminder job (exchange.tasks): once per request, only for requests
still owed an answer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from coordination.core.db import utcnow
from coordination.core.features import registry, resolve
from coordination.core.jobs import run_job
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind
from coordination.exchange.tasks import remind_deadlines
from coordination.extensions import db
from coordination.notifications.models import Notification, NotificationKind
from tests.conftest import user_named
from tests.notifications.conftest import compose_data


def _send(kind: str, subject: str):
    return exchange_operations.compose(
        compose_data(kind=kind, subject=subject), actor=user_named("qt.liaison")
    )


def _reminders(request=None, username: str | None = None) -> int:
    query = select(func.count(Notification.id)).where(
        Notification.kind == str(NotificationKind.DEADLINE_NEAR)
    )
    if request is not None:
        query = query.where(Notification.request_id == request.id)
    if username is not None:
        query = query.where(Notification.user_id == user_named(username).id)
    return db.session.scalar(query)


def test_one_reminder_for_a_request_due_within_48_hours_and_never_twice(app_ctx):
    due_soon = _send("rescue_assistance", "Hỗ trợ giải cứu khẩn")  # 3-day deadline
    due_later = _send("identity_verification", "Xác minh nhân thân")  # 15-day deadline
    answered = _send("rescue_assistance", "Đã được trả lời")
    exchange_operations.take_step(
        answered, MessageKind.REPLY, {"body": "ແລ້ວ"}, {}, actor=user_named("svk.liaison")
    )
    overdue = _send("rescue_assistance", "Đã quá hạn")
    now = utcnow() + timedelta(days=2)  # due_soon is a day away then, due_later 13 days
    overdue.deadline_at = now - timedelta(hours=1)
    db.session.flush()

    assert remind_deadlines(now=now) == 1
    assert _reminders(due_soon, "svk.liaison") == 1  # the office that owes the answer
    assert _reminders(due_soon, "qt.liaison") == 0
    assert _reminders(due_later) == 0
    assert _reminders(answered) == 0  # answered: nothing is owed
    assert _reminders(overdue) == 0  # past its deadline: escalation's business, not "near"

    assert remind_deadlines(now=now) == 0
    assert remind_deadlines(now=now + timedelta(hours=12)) == 0
    assert _reminders() == 1


def test_the_window_is_configurable(app_ctx):
    request = _send("identity_verification", "Xác minh nhân thân")
    now = request.deadline_at - timedelta(days=5)
    assert remind_deadlines(now=now) == 0
    assert remind_deadlines(now=now, within=timedelta(days=6)) == 1
    assert _reminders(request, "svk.liaison") == 1


def test_a_request_whose_deadline_was_reminded_keeps_its_unread_reminder(app_ctx):
    request = _send("rescue_assistance", "Hỗ trợ giải cứu khẩn")
    now = request.deadline_at - timedelta(hours=10)
    assert remind_deadlines(now=now) == 1
    # Acknowledging does not answer: the request is still owed, but reminded already.
    exchange_operations.take_step(
        request, MessageKind.ACKNOWLEDGE, {}, {}, actor=user_named("svk.liaison")
    )
    assert remind_deadlines(now=now + timedelta(hours=1)) == 0
    assert _reminders(request) == 1


def test_the_reminder_is_a_job_the_exchange_declares(app_ctx):
    """The scheduler (and ``flask notifications remind-deadlines``) finds it by its id."""
    job = registry().jobs["exchange.remind_deadlines"]
    assert resolve(job.function) is remind_deadlines
    request = _send("rescue_assistance", "Hỗ trợ giải cứu khẩn")
    request.deadline_at = utcnow() + timedelta(hours=5)
    outcome = run_job(job.id, resolve(job.function), within=timedelta(hours=6))
    assert (outcome.ok, outcome.result) == (True, 1)
    assert _reminders(request, "svk.liaison") == 1
