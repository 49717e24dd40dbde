"""Reminders of a confirmed patrol (the day before, two hours before) to both offices'
guards and liaison officers, and a word to the proposing side when the partner has not
confirmed three days before: each once, in the reader's language, naming nobody."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications.describe import describe
from coordination.notifications.models import Notification
from coordination.patrols import operations
from coordination.patrols.models import PatrolStep
from coordination.patrols.tasks import remind_patrols, tell_unconfirmed
from tests.conftest import login_client, user_named
from tests.patrols.helpers import confirmed_patrol, future, proposed_patrol


def _notices(kind: str) -> list[str]:
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return sorted(note.user.username for note in db.session.scalars(query))


def test_reminders_the_day_before_and_two_hours_before_once_each(app_ctx):
    at = future(30)
    patrol = confirmed_patrol(starts_at=at)
    assert remind_patrols(now=at - timedelta(hours=25)) == 0
    assert remind_patrols(now=at - timedelta(hours=23)) == 2
    assert _notices("patrol_tomorrow") == ["ls.guard", "px.guard"]
    assert remind_patrols(now=at - timedelta(hours=20)) == 0  # once
    assert remind_patrols(now=at - timedelta(hours=1, minutes=50)) == 2
    assert _notices("patrol_soon") == ["ls.guard", "px.guard"]
    assert remind_patrols(now=at - timedelta(hours=1)) == 0
    assert remind_patrols(now=at + timedelta(minutes=5)) == 0
    # Moved to another day: a new occasion, reminded again.
    assert patrol.state == "confirmed"


def test_an_unconfirmed_patrol_is_told_to_the_proposing_side(app_ctx):
    at = future(24 * 5)
    patrol = proposed_patrol(starts_at=at)
    assert tell_unconfirmed(now=at - timedelta(days=4)) == 0
    assert tell_unconfirmed(now=at - timedelta(days=2, hours=23)) == 1
    assert _notices("patrol_unconfirmed") == ["ls.guard"]
    assert tell_unconfirmed(now=at - timedelta(days=1)) == 0
    # Not reminded as coming while unconfirmed; once confirmed, nothing more to tell.
    assert remind_patrols(now=at - timedelta(hours=5)) == 0
    operations.take_step(
        patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
    )
    assert tell_unconfirmed(now=at - timedelta(hours=5)) == 0


def test_what_a_notice_says(app):
    from zoneinfo import ZoneInfo

    from flask_babel import force_locale

    with app.test_request_context():
        at = future(30)
        confirmed_patrol(starts_at=at)
        remind_patrols(now=at - timedelta(hours=23))
        notice = db.session.scalar(
            select(Notification).where(Notification.user_id == user_named("px.guard").id)
        )
        with force_locale("zh"):
            said = describe(notice, user_named("px.guard"), ZoneInfo("Asia/Shanghai"))
        assert said is not None and said.endpoint == "patrols.detail"
        assert "601" in said.title
        assert user_named("ls.guard").office.name_in("zh") in said.title
        # Someone who may not see the patrol gets no description.
        assert describe(notice, user_named("qt.guard"), ZoneInfo("Asia/Ho_Chi_Minh")) is None


def test_each_step_is_told_to_the_other_side_once(app, client, auth):
    with app.app_context():
        patrol = proposed_patrol()
        db.session.commit()
        assert _notices("patrol_proposed") == ["px.guard"]
        operations.take_step(
            patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
        )
        db.session.commit()
        assert _notices("patrol_updated") == ["ls.guard"]
        patrol_id = patrol.id
    # Opening the patrol marks its notices read.
    auth.login("ls.guard")
    client.get(f"/patrols/{patrol_id}")
    with app.app_context():
        unread = db.session.scalars(
            select(Notification).where(
                Notification.subject_key == f"patrol:{patrol_id}",
                Notification.user_id == user_named("ls.guard").id,
                Notification.read_at.is_(None),
            )
        ).all()
        assert unread == []
    # The notifications page names the kind and the patrol, in the reader's language.
    page = login_client(app, "px.guard").get("/notifications/").get_data(as_text=True)
    assert f"/patrols/{patrol_id}" in page


def test_each_office_is_reminded_at_its_own_lead_times(app_ctx):
    """Lạng Sơn's station set 3 days and 6 hours (Reminder settings); Youyiguan keeps the
    defaults (the day before, 2 hours before)."""
    from coordination.notifications.models import OfficeReminderSetting

    at = future(24 * 5)
    confirmed_patrol(starts_at=at)
    ls_station = user_named("ls.guard").office_id
    db.session.add(
        OfficeReminderSetting(office_id=ls_station, event_reminder_days=3, event_reminder_hours=6)
    )
    db.session.flush()
    assert remind_patrols(now=at - timedelta(days=3, hours=1)) == 0
    assert remind_patrols(now=at - timedelta(days=2, hours=23)) == 1
    assert _notices("patrol_tomorrow") == ["ls.guard"]
    assert remind_patrols(now=at - timedelta(hours=23)) == 1
    assert _notices("patrol_tomorrow") == ["ls.guard", "px.guard"]
    assert remind_patrols(now=at - timedelta(hours=5)) == 1
    assert _notices("patrol_soon") == ["ls.guard"]
    assert remind_patrols(now=at - timedelta(hours=1, minutes=50)) == 1
    assert _notices("patrol_soon") == ["ls.guard", "px.guard"]
