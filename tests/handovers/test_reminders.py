"""Reminders of a scheduled handover: the day before and two hours before, once each, to
everyone who works it (the two offices' liaison officers, the guards of the gate's stations)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coordination.core.jobs import run_job
from coordination.extensions import db
from coordination.handovers import operations
from coordination.handovers.tasks import remind_handovers
from coordination.notifications.models import Notification, NotificationKind
from tests.conftest import user_named
from tests.handovers.helpers import scheduled_handover

WORKERS = {"qt.liaison", "svk.liaison", "qt.guard", "svk.guard"}
TOMORROW, SOON = NotificationKind.HANDOVER_TOMORROW, NotificationKind.HANDOVER_SOON


def _notices(handover=None) -> list[tuple[str, str]]:
    """(kind, user name) of every handover reminder, in order."""
    query = (
        select(Notification)
        .where(Notification.kind.in_([str(TOMORROW), str(SOON)]))
        .order_by(Notification.id)
    )
    if handover is not None:
        query = query.where(Notification.subject_key == f"handover:{handover.id}")
    return [(note.kind, note.user.username) for note in db.session.scalars(query)]


def _kinds(kind) -> list[str]:
    return sorted(user for k, user in _notices() if k == str(kind))


def _future(hours: float):
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=hours)


def test_day_before_and_two_hours_before_once_each_to_who_works_it(app_ctx):
    at = _future(30)
    handover = scheduled_handover(scheduled_at=at)
    assert remind_handovers(now=at - timedelta(hours=25)) == 0  # not yet
    assert _notices() == []

    assert remind_handovers(now=at - timedelta(hours=23)) == 4
    assert set(_kinds(TOMORROW)) == WORKERS and len(_kinds(TOMORROW)) == 4
    # Run again, later the same day, and with the clock moved back: nothing new.
    assert remind_handovers(now=at - timedelta(hours=23)) == 0
    assert remind_handovers(now=at - timedelta(hours=5)) == 0
    assert remind_handovers(now=at - timedelta(hours=23, minutes=50)) == 0

    assert remind_handovers(now=at - timedelta(hours=1, minutes=55)) == 4
    assert set(_kinds(SOON)) == WORKERS and len(_kinds(SOON)) == 4
    assert remind_handovers(now=at - timedelta(hours=1)) == 0
    assert remind_handovers(now=at - timedelta(hours=3)) == 0  # clock back: day-before sent
    assert remind_handovers(now=at + timedelta(minutes=1)) == 0  # past
    assert len(_notices(handover)) == 8
    # Other offices' staff (Lạng Sơn, Salavan) and the province's supervisor hear nothing.
    assert not {user for _kind, user in _notices()} & {
        "ls.liaison",
        "ls.guard",
        "slv.liaison",
        "qt.supervisor",
        "qt.social",
        "admin",
    }
    # No request link: the notice is about the handover (its request is only the proposal).
    notes = db.session.scalars(select(Notification).where(Notification.kind == str(SOON))).all()
    assert {note.request_id for note in notes} == {None}


def test_the_job_runs_through_the_runner_twice_and_sends_once(app_ctx):
    scheduled_handover(scheduled_at=_future(20))
    first = run_job("handovers.remind", remind_handovers)
    second = run_job("handovers.remind", remind_handovers)
    assert (first.result, second.result) == (4, 0)
    assert "notices sent: 4" in str(first.result)
    assert _kinds(TOMORROW) == sorted(WORKERS)


def test_after_downtime_only_what_is_still_relevant(app_ctx):
    soon = scheduled_handover(scheduled_at=_future(1))
    past = scheduled_handover(scheduled_at=_future(-1))
    assert remind_handovers() == 4
    # The day-before notice it missed would only repeat the two-hour one.
    assert {kind for kind, _user in _notices(soon)} == {str(SOON)}
    assert _notices(past) == []


def test_none_for_cancelled_or_completed_handovers(app_ctx):
    cancelled = scheduled_handover(scheduled_at=_future(20))
    operations.cancel(
        cancelled,
        {"reason": "Đường bị chia cắt", "version": cancelled.version},
        actor=user_named("qt.guard"),
    )
    completed = scheduled_handover(scheduled_at=_future(1))
    people = {person.id: {"handed_over": True} for person in completed.people}
    operations.log_at_gate(
        completed,
        {
            "action": "complete",
            "completed_at": datetime.now(UTC) - timedelta(minutes=5),
            "version": completed.version,
        },
        people,
        actor=user_named("qt.guard"),
    )
    assert completed.state == "completed"
    assert remind_handovers() == 0
    assert remind_handovers(now=datetime.now(UTC) + timedelta(minutes=30)) == 0
    assert _notices() == []


def test_a_postponed_handover_is_reminded_again_for_its_new_time(app_ctx):
    at = _future(20)
    handover = scheduled_handover(scheduled_at=at)
    assert remind_handovers(now=at - timedelta(hours=1)) == 4  # two hours before
    later = at + timedelta(days=2)
    operations.postpone(
        handover,
        {"reason": "Mưa lũ", "scheduled_at": later, "version": handover.version},
        actor=user_named("svk.guard"),
    )
    assert remind_handovers(now=at - timedelta(hours=1)) == 0  # the old time is gone
    assert remind_handovers(now=later - timedelta(hours=23)) == 4
    assert remind_handovers(now=later - timedelta(hours=1)) == 4
    assert remind_handovers(now=later - timedelta(hours=1)) == 0
    assert len(_notices(handover)) == 12
    assert {
        slot
        for (slot,) in db.session.execute(
            select(Notification.due_slot).where(
                Notification.subject_key == f"handover:{handover.id}"
            )
        )
    } == {
        at.strftime("%Y-%m-%dT%H:%MZ"),
        later.strftime("%Y-%m-%dT%H:%MZ"),
    }


def test_the_notice_links_to_the_handover_in_the_users_language(app, client, auth):
    with app.test_request_context():
        handover = scheduled_handover(scheduled_at=_future(20))
        remind_handovers()
        db.session.commit()
        gate = handover.gate.name_in("lo")
        handover_id = handover.id
    auth.login("svk.liaison")
    page = client.get("/notifications/").get_data(as_text=True)
    assert f'href="/handovers/{handover_id}"' in page
    assert gate in page
    # The gate as Lao readers name it, and no name of the two women.
    assert "Nguyễn Thị Hường" not in page and "Hồ Thị Lan" not in page
    # An office that does not work the handover sees no such notice.
    auth.logout()
    auth.login("ls.liaison")
    assert f"/handovers/{handover_id}" not in client.get("/notifications/").get_data(as_text=True)
