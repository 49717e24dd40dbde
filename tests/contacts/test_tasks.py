"""The follow-up reminders job: an answer promised in a call or letter is reminded the day
before it is due and once overdue, each once per due date, to whoever logged the contact and
the office's liaison officers; never once the answer came. The notices name no person."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from sqlalchemy import select

from coordination.contacts import operations
from coordination.contacts.tasks import (
    FOLLOW_UP_DUE,
    FOLLOW_UP_OVERDUE,
    PASSED_ON,
    describe_notice,
    remind_follow_ups,
)
from coordination.core.db import utcnow
from coordination.core.features import registry, resolve
from coordination.core.jobs import run_job
from coordination.extensions import db
from coordination.notifications.describe import kind_label
from coordination.notifications.models import Notification
from tests.conftest import user_named
from tests.contacts.helpers import log, make_case


def _notices(kind=None) -> list[tuple[str, str, str]]:
    query = select(Notification).where(Notification.subject_key.like("contact:%"))
    if kind:
        query = query.where(Notification.kind == kind)
    return [
        (n.kind, n.subject_key, db.session.get(type(user_named("admin")), n.user_id).username)
        for n in db.session.scalars(query.order_by(Notification.id))
    ]


def test_due_soon_then_overdue_each_once(app_ctx):
    now = utcnow()
    case, person = make_case()
    soon = log(follow_up_due_at=now + timedelta(hours=5), case_id=case.id, person_ids=[person.id])
    later = log(follow_up_due_at=now + timedelta(days=3))
    came = log(follow_up_due_at=now + timedelta(hours=2))
    operations.close_follow_up(came, {"version": came.version}, actor=user_named("ls.liaison"))
    guard_call = log("ls.guard", partner="PX-BGS", occurred_at=now - timedelta(hours=3),
                     follow_up_due_at=now - timedelta(hours=1))  # fmt: skip

    assert remind_follow_ups(now=now) == 2
    assert _notices() == [  # the station has no liaison officer: its guard who logged it
        (FOLLOW_UP_OVERDUE, f"contact:{guard_call.id}", "ls.guard"),
        (FOLLOW_UP_DUE, f"contact:{soon.id}", "ls.liaison"),
    ]
    assert remind_follow_ups(now=now + timedelta(minutes=5)) == 0  # each once
    assert remind_follow_ups(now=now + timedelta(hours=6)) == 1  # soon is overdue now
    last = _notices(FOLLOW_UP_OVERDUE)[-1]
    assert last == (FOLLOW_UP_OVERDUE, f"contact:{soon.id}", "ls.liaison")
    assert remind_follow_ups(now=now + timedelta(hours=7)) == 0
    assert all(key != f"contact:{later.id}" for _kind, key, _user in _notices())
    # A new due date is a new occasion.
    soon.follow_up_due_at = now + timedelta(hours=20)
    db.session.flush()
    assert remind_follow_ups(now=now + timedelta(hours=7)) == 1


def test_the_notice_says_partner_channel_and_time_but_no_name(app_ctx):
    now = utcnow()
    case, person = make_case()
    contact = log(follow_up_due_at=now - timedelta(minutes=5), case_id=case.id,
                  occurred_at=now - timedelta(hours=1),
                  person_ids=[person.id])  # fmt: skip
    remind_follow_ups(now=now)
    notice = db.session.scalar(select(Notification).where(Notification.kind == FOLLOW_UP_OVERDUE))
    reader = user_named("ls.liaison")
    with force_locale("en"):
        described = describe_notice(notice, reader, ZoneInfo("Asia/Ho_Chi_Minh"))
        assert kind_label(FOLLOW_UP_OVERDUE) == "A promised answer is overdue"
    assert described is not None and described.values == {"contact_id": contact.id}
    text = described.title + " ".join(value for _label, value in described.lines)
    assert "Pingxiang" in text and "Hotline call" in text
    assert "Lý Thị Hoa" not in text
    # An outsider's copy (or one no longer visible) says nothing.
    assert describe_notice(notice, user_named("qt.liaison"), ZoneInfo("UTC")) is None


def test_the_job_is_declared_and_runs_through_the_job_runner(app_ctx):
    job = registry().jobs["contacts.remind_follow_ups"]
    assert resolve(job.function) is remind_follow_ups
    log(occurred_at=utcnow() - timedelta(hours=3), follow_up_due_at=utcnow() - timedelta(hours=1))
    outcome = run_job(job.id, resolve(job.function))
    assert (outcome.ok, outcome.result) == (True, 1)


def test_the_liaison_officers_are_told_once_of_a_call_passed_to_them(app_ctx):
    contact = log("ls.guard", partner="PX-BGS", forward=True)
    assert _notices(PASSED_ON) == [(PASSED_ON, f"contact:{contact.id}", "ls.liaison")]
    notice = db.session.scalar(select(Notification).where(Notification.kind == PASSED_ON))
    with force_locale("en"):
        described = describe_notice(notice, user_named("ls.liaison"), ZoneInfo("Asia/Ho_Chi_Minh"))
    assert described is not None and described.values == {"contact_id": contact.id}
    assert described.title.startswith("Urgent") and "Hotline call" in described.title
    assert describe_notice(notice, user_named("qt.liaison"), ZoneInfo("UTC")) is None
    # A call logged and not passed on tells nobody at the liaison office.
    log("ls.guard", partner="PX-BGS")
    assert len(_notices(PASSED_ON)) == 1


def test_a_passed_calls_promised_answer_is_reminded_at_the_liaison_office_too(app_ctx):
    now = utcnow()
    passed = log("ls.guard", partner="PX-BGS", occurred_at=now - timedelta(hours=3),
                 follow_up_due_at=now - timedelta(hours=1), forward=True)  # fmt: skip
    assert remind_follow_ups(now=now) == 2
    assert sorted(_notices(FOLLOW_UP_OVERDUE)) == [
        (FOLLOW_UP_OVERDUE, f"contact:{passed.id}", "ls.guard"),
        (FOLLOW_UP_OVERDUE, f"contact:{passed.id}", "ls.liaison"),
    ]
