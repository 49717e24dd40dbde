"""Meeting reminders (three days and two hours before each occurrence, once each; a moved
occurrence at its new time, a skipped one never) and action items due (once per due date)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coordination.extensions import db
from coordination.meetings import operations
from coordination.meetings.tasks import remind_action_items, remind_meetings
from coordination.notifications.describe import describe
from coordination.notifications.models import Notification
from tests.conftest import user_named
from tests.meetings.helpers import moment, planned_meeting, recorded_minutes


def _notices(kind: str) -> list[str]:
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return sorted(note.user.username for note in db.session.scalars(query))


def test_reminders_days_and_hours_before_once_each(app_ctx):
    meeting = planned_meeting(starts_at=moment(10), count=2, repeat="monthly")
    at = meeting.planned_starts()[0]
    operations.add_attendee(
        meeting,
        {"office_id": user_named("svk.liaison").office_id, "user_id": user_named("svk.liaison").id},
        actor=user_named("qt.liaison"),
    )
    assert remind_meetings(now=at - timedelta(days=3, hours=1)) == 0
    assert remind_meetings(now=at - timedelta(days=2, hours=23)) == 2
    assert _notices("meeting_days") == ["qt.liaison", "svk.liaison"]
    assert remind_meetings(now=at - timedelta(days=1)) == 0  # once
    assert remind_meetings(now=at - timedelta(hours=1, minutes=50)) == 2
    assert _notices("meeting_soon") == ["qt.liaison", "svk.liaison"]
    assert remind_meetings(now=at - timedelta(hours=1)) == 0
    assert remind_meetings(now=at + timedelta(minutes=5)) == 0


def test_a_moved_occurrence_is_reminded_at_its_new_time_and_a_skipped_one_never(app_ctx):
    meeting = planned_meeting(starts_at=moment(10), count=3, repeat="monthly")
    first, second, _third = meeting.planned_starts()
    operations.change_occurrence(
        meeting,
        first,
        {"kind": "skipped", "reason": "Bão", "version": meeting.version},
        actor=user_named("qt.liaison"),
    )
    assert remind_meetings(now=first - timedelta(days=2)) == 0
    new = second + timedelta(days=5)
    operations.change_occurrence(
        meeting,
        second,
        {
            "kind": "moved",
            "starts_at": new,
            "ends_at": new + timedelta(hours=2),
            "version": meeting.version,
        },
        actor=user_named("qt.liaison"),
    )
    assert remind_meetings(now=second - timedelta(days=2)) == 0
    assert remind_meetings(now=new - timedelta(days=2)) == 2


def test_action_items_due_are_told_once(app_ctx):
    meeting = planned_meeting()
    recorded_minutes(meeting)  # one item two days overdue (svk.liaison), one in 20 days
    now = datetime.now(UTC)
    assert remind_action_items(now=now) == 1
    assert _notices("action_item_due") == ["svk.liaison"]
    assert remind_action_items(now=now + timedelta(hours=3)) == 0
    # The other, owned by Quảng Trị's office (a name, no user): its liaison officers.
    later = now + timedelta(days=19, hours=1)
    assert remind_action_items(now=later) == 1
    assert _notices("action_item_due") == ["qt.liaison", "svk.liaison"]


def test_what_a_notice_says(app):
    from flask_babel import force_locale

    with app.test_request_context():
        meeting = planned_meeting(starts_at=moment(10), count=2, repeat="monthly")
        at = meeting.planned_starts()[0]
        remind_meetings(now=at - timedelta(days=2))
        notice = db.session.scalar(
            select(Notification).where(Notification.user_id == user_named("svk.liaison").id)
        )
        with force_locale("lo"):
            said = describe(notice, user_named("svk.liaison"), ZoneInfo("Asia/Vientiane"))
        assert said is not None and said.endpoint == "meetings.detail"
        assert user_named("qt.liaison").office.name_in("lo") in said.title
        assert describe(notice, user_named("slv.liaison"), ZoneInfo("Asia/Vientiane")) is None
        assert time(9, 0).strftime("%H:%M") in said.title or "9:00" in said.title


def test_each_office_is_reminded_at_its_own_lead_times(app_ctx):
    """Savannakhet's liaison office set 7 days and 4 hours (Reminder settings); Quảng Trị
    keeps the defaults (3 days, 2 hours)."""
    from coordination.notifications.models import OfficeReminderSetting

    meeting = planned_meeting(starts_at=moment(10), count=2, repeat="monthly")
    at = meeting.planned_starts()[0]
    operations.add_attendee(
        meeting,
        {"office_id": user_named("svk.liaison").office_id, "user_id": user_named("svk.liaison").id},
        actor=user_named("qt.liaison"),
    )
    svk = user_named("svk.liaison").office_id
    db.session.add(
        OfficeReminderSetting(office_id=svk, event_reminder_days=7, event_reminder_hours=4)
    )
    db.session.flush()
    assert remind_meetings(now=at - timedelta(days=7, hours=1)) == 0
    assert remind_meetings(now=at - timedelta(days=6, hours=23)) == 1
    assert _notices("meeting_days") == ["svk.liaison"]
    assert remind_meetings(now=at - timedelta(days=2, hours=23)) == 1
    assert _notices("meeting_days") == ["qt.liaison", "svk.liaison"]
    assert remind_meetings(now=at - timedelta(hours=3, minutes=50)) == 1
    assert _notices("meeting_soon") == ["svk.liaison"]
    assert remind_meetings(now=at - timedelta(hours=1, minutes=50)) == 1
    assert _notices("meeting_soon") == ["qt.liaison", "svk.liaison"]


def test_a_reminder_names_the_occurrence_it_was_sent_for(app):
    """Review of issue 14: a reminder described the next occurrence, whichever it was sent
    for (its slot was ignored)."""
    from flask_babel import force_locale

    from coordination.core.formatting import moment_text

    zone = ZoneInfo("Asia/Vientiane")
    svk = "svk.liaison"
    with app.test_request_context():
        meeting = planned_meeting(starts_at=moment(10), count=3, repeat="monthly")
        first, second, _third = meeting.planned_starts()
        assert remind_meetings(now=first - timedelta(days=2)) == 2
        assert remind_meetings(now=second - timedelta(days=2)) == 2
        first_notice, second_notice = db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_named(svk).id)
            .order_by(Notification.id)
        )

        def said(notice):
            with force_locale("lo"):
                return describe(notice, user_named(svk), zone).title

        def at(moment_):
            return moment_text(moment_, "lo", zone)

        assert at(first) in said(first_notice) and at(second) not in said(first_notice)
        # The first is still to come; the second's notice names the second.
        assert at(second) in said(second_notice) and at(first) not in said(second_notice)
        # Moved after it was reminded: the notice names it at its new time.
        new = second + timedelta(days=2)
        operations.change_occurrence(
            meeting,
            second,
            {"kind": "moved", "starts_at": new, "ends_at": new + timedelta(hours=2),
             "version": meeting.version},
            actor=user_named("qt.liaison"),
        )  # fmt: skip
        assert at(new) in said(second_notice)


def test_an_action_item_notice_names_no_one(app):
    """Review of issue 14: the notice of an action item due carried its free text (which
    may name a victim) and its owner's name into the e-mail."""
    from coordination.notifications.mail import render_email

    with app.test_request_context():
        meeting = planned_meeting()
        minutes = recorded_minutes(
            meeting,
            action_items=[
                {
                    "text": "Xác minh nhân thân nạn nhân Lò Thị Dung",
                    "owner_office_id": user_named("qt.liaison").office_id,
                    "owner_user_id": None,
                    "owner_name": "Trần Văn Bình",
                    "due_on": datetime.now(UTC).date(),
                }
            ],
        )
        item = minutes.action_items[0]
        assert remind_action_items(now=datetime.now(UTC)) == 1
        notice = db.session.scalar(
            select(Notification).where(Notification.subject_key == f"action_item:{item.id}")
        )
        assert notice.user.username == "qt.liaison"
        notice.user.email = notice.user.email or "qt.liaison@example.org"
        message = render_email(notice)
        subject = str(message["Subject"])
        from email.header import decode_header, make_header

        subject = str(make_header(decode_header(subject)))
        body = message.get_content()
        for text in (subject, body):
            assert "Lò Thị Dung" not in text and "Xác minh" not in text
            assert "Trần Văn Bình" not in text
        partner = user_named("svk.liaison").office.name_in("vi")
        assert partner in subject
        assert user_named("qt.liaison").office.name_in("vi") in body  # the owner office
