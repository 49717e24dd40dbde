"""The reminder jobs: what is due now, once per (kind, request, recipient, due slot)."""

from __future__ import annotations

from datetime import timedelta

from coordination.core.features import Job, registry
from coordination.exchange.tasks import remind_deadlines, remind_overdue
from coordination.extensions import db
from coordination.notifications.models import NotificationKind, OfficeReminderSetting
from coordination.notifications.operations import Notice, notify_once
from coordination.scheduler.models import JobRun
from coordination.scheduler.runner import execute
from tests.conftest import user_named
from tests.exchange.helpers import office_id
from tests.scheduler.helpers import answer, count, send_to_quang_tri

NEAR, PASSED, ESCALATION = (
    NotificationKind.DEADLINE_NEAR,
    NotificationKind.DEADLINE_PASSED,
    NotificationKind.ESCALATION,
)


def test_a_notice_key_is_inserted_once_whatever_runs_twice(app_ctx):
    request = send_to_quang_tri()
    user = user_named("qt.liaison").id
    notice = Notice(user, NEAR, f"request:{request.id}", "2026-12-07T10:00Z", request.id)
    assert notify_once([notice, notice]) == 1
    assert notify_once([notice]) == 0
    db.session.commit()
    assert count(NEAR, "qt.liaison", request) == 1


def test_overdue_is_told_once_and_escalated_again_every_n_days(app_ctx):
    app_ctx.config["ESCALATION_REPEAT_DAYS"] = 3
    request = send_to_quang_tri()
    deadline = request.deadline_at
    assert remind_overdue(now=deadline - timedelta(minutes=1)) == 0
    assert remind_overdue(now=deadline + timedelta(hours=1)) == 2  # liaison + supervisor
    assert remind_overdue(now=deadline + timedelta(hours=5)) == 0
    assert count(PASSED, "qt.liaison", request) == 1
    assert count(ESCALATION, "qt.supervisor", request) == 1
    assert count(ESCALATION, "qt.liaison") == 0  # escalation goes to supervisors only
    assert count(PASSED, "svk.liaison") == 0  # the sender owes nothing

    assert remind_overdue(now=deadline + timedelta(days=3, hours=1)) == 1  # second round
    # The clock jumps back a day: nothing is sent again, nothing breaks.
    assert remind_overdue(now=deadline + timedelta(days=2)) == 0
    assert remind_overdue(now=deadline + timedelta(days=3, hours=2)) == 0
    assert count(ESCALATION, "qt.supervisor", request) == 2
    assert count(PASSED, "qt.liaison", request) == 1


def test_catching_up_after_a_day_down_sends_what_is_still_due_once(app_ctx):
    """Nothing ran for a day: a run now sends the current notices once, and nothing for a
    request answered meanwhile, nor the escalation rounds it missed."""
    app_ctx.config["ESCALATION_REPEAT_DAYS"] = 1
    still_owed = send_to_quang_tri("Chưa trả lời")
    answered = send_to_quang_tri("Đã trả lời")
    answer(answered)
    now = still_owed.deadline_at + timedelta(days=2, hours=1)  # two rounds missed
    assert remind_deadlines(now=now) == 0  # "near" is no longer relevant: it has passed
    assert remind_overdue(now=now) == 2
    assert remind_overdue(now=now) == 0
    assert count(PASSED, request=answered) == count(ESCALATION, request=answered) == 0
    assert count(ESCALATION, "qt.supervisor", still_owed) == 1  # the current round only


def test_a_moved_deadline_is_reminded_again_and_an_office_sets_its_lead_time(app_ctx):
    request = send_to_quang_tri(kind="identity_verification")  # a 15-day deadline
    now = request.deadline_at - timedelta(hours=60)
    assert remind_deadlines(now=now) == 0  # 48 h by default
    db.session.add(OfficeReminderSetting(office_id=office_id("QT-BLO"), deadline_reminder_hours=72))
    db.session.flush()
    assert remind_deadlines(now=now) == 1
    assert remind_deadlines(now=now) == 0
    request.deadline_at = request.deadline_at + timedelta(hours=1)
    db.session.flush()
    assert remind_deadlines(now=now) == 1
    assert count(NEAR, "qt.liaison", request) == 2


def test_a_raising_job_is_recorded_changes_nothing_and_the_others_still_run(app_ctx):
    jobs = registry().jobs
    jobs["test.boom"] = Job("test.boom", "tests.scheduler.test_jobs:_boom")
    try:
        run = execute("test.boom")
        assert not run.ok and "RuntimeError: SMTP exploded" in run.error
        assert count(NEAR) == 0  # its notice was rolled back
        other = execute("exchange.remind_overdue")
        assert other.ok and "overdue requests: 0" in other.result
        again = execute("test.boom")  # retried next time
        assert not again.ok
        assert db.session.query(JobRun).filter_by(job_id="test.boom").count() == 2
    finally:
        del jobs["test.boom"]


def _boom():
    request = send_to_quang_tri()
    notify_once(
        [Notice(user_named("qt.liaison").id, NEAR, f"request:{request.id}", "x", request.id)]
    )
    raise RuntimeError("SMTP exploded")


def test_old_runs_are_pruned(app_ctx):
    app_ctx.config["SCHEDULER_KEEP_RUNS"] = 3
    for _ in range(5):
        execute("exchange.remind_overdue")
    assert db.session.query(JobRun).filter_by(job_id="exchange.remind_overdue").count() == 3
