"""An office's lead time before a reply deadline: set by an administrator or the province's
supervisors, audited, validated, and used by the deadline job. Opening a handover marks its
reminders read; a handover postponed without a new time is not reminded at its old time.

Requests go through the test client outside any app context (Flask-Login keeps the signed-in
user on ``g``, which an outer app context would share between two users' clients)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.exchange.tasks import remind_deadlines
from coordination.extensions import db
from coordination.handovers import operations as handover_operations
from coordination.handovers.tasks import remind_handovers, subject_key
from coordination.notifications.models import Notification, OfficeReminderSetting
from tests.conftest import login_client, translated, user_named
from tests.exchange.helpers import make_case, office_id, send_request
from tests.handovers.helpers import scheduled_handover

PAGE = "/notifications/reminders"


def _office(app, code: str) -> int:
    with app.app_context():
        return office_id(code)


def _hours(app, code: str) -> int | None:
    with app.app_context():
        setting = db.session.get(OfficeReminderSetting, office_id(code))
        return setting.deadline_reminder_hours if setting else None


def _set(client, office: int, value: str, **more):
    return client.post(f"{PAGE}/{office}", data={"deadline_reminder_hours": value, **more})


def _setting(app, code: str) -> dict | None:
    with app.app_context():
        setting = db.session.get(OfficeReminderSetting, office_id(code))
        if setting is None:
            return None
        return {
            "deadline": setting.deadline_reminder_hours,
            "days": setting.event_reminder_days,
            "hours": setting.event_reminder_hours,
        }


def test_a_supervisor_sets_the_lead_time_of_an_office_of_the_province(app):
    supervisor = login_client(app, "qt.supervisor")
    page = supervisor.get(PAGE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "QT-BLO" in text and "QT-SPC" in text
    assert "LS-BLO" not in text  # another province's office is not theirs to set
    assert translated(app, "vi", "Reminder settings") in text
    assert translated(app, "vi", "Reminder settings") in supervisor.get("/notifications/").get_data(
        as_text=True
    )

    assert _set(supervisor, _office(app, "QT-BLO"), "72").status_code == 302
    assert _hours(app, "QT-BLO") == 72
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "office.reminders"))
        assert entry.details == {"deadline_reminder_hours": [None, 72]}
        assert entry.subject_office_id == office_id("QT-BLO")
    assert 'value="72"' in supervisor.get(PAGE).get_data(as_text=True)

    # The lead times before meetings and patrols, the deadline one left as it is.
    response = _set(
        supervisor,
        _office(app, "QT-BLO"),
        "72",
        event_reminder_days="5",
        event_reminder_hours="3",
    )
    assert response.status_code == 302
    assert _setting(app, "QT-BLO") == {"deadline": 72, "days": 5, "hours": 3}
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "office.reminders")
            .order_by(AuditEntry.id)
        ).all()
        assert entries[-1].details == {
            "event_reminder_days": [None, 5],
            "event_reminder_hours": [None, 3],
        }
    # Emptied: back to the defaults, and no row left.
    assert _set(supervisor, _office(app, "QT-BLO"), "").status_code == 302
    assert _setting(app, "QT-BLO") == {"deadline": None, "days": 5, "hours": 3}
    response = _set(
        supervisor, _office(app, "QT-BLO"), "", event_reminder_days="", event_reminder_hours=""
    )
    assert response.status_code == 302
    assert _setting(app, "QT-BLO") is None


def test_other_provinces_and_other_roles_may_not(app):
    supervisor = login_client(app, "qt.supervisor")
    assert _set(supervisor, _office(app, "LS-BLO"), "5").status_code == 404
    liaison = login_client(app, "qt.liaison")
    assert liaison.get(PAGE).status_code == 403
    assert _set(liaison, _office(app, "QT-BLO"), "5").status_code == 404
    assert _hours(app, "LS-BLO") is None and _hours(app, "QT-BLO") is None
    notices = liaison.get("/notifications/").get_data(as_text=True)
    assert translated(app, "vi", "Reminder settings") not in notices


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("deadline_reminder_hours", "0"),
        ("deadline_reminder_hours", "-3"),
        ("deadline_reminder_hours", "337"),
        ("deadline_reminder_hours", "abc"),
        ("deadline_reminder_hours", "1e3"),
        ("deadline_reminder_hours", "9" * 400),
        ("deadline_reminder_hours", "4.5"),
        ("event_reminder_days", "15"),
        ("event_reminder_days", "0"),
        ("event_reminder_hours", "49"),
        ("event_reminder_hours", "two"),
    ],
)
def test_bad_lead_times_are_refused_with_a_message_and_nothing_changes(app, field, value):
    admin = login_client(app, "admin")
    good = {"deadline_reminder_hours": "24", "event_reminder_days": "2"}
    response = admin.post(f"{PAGE}/{_office(app, 'LS-BLO')}", data={**good, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert 'class="error"' in page
    assert _setting(app, "LS-BLO") is None


def test_unknown_offices_are_404(app):
    admin = login_client(app, "admin")
    assert _set(admin, 999999, "12").status_code == 404
    assert _set(admin, 99999999999999, "12").status_code == 404
    assert admin.get(f"{PAGE}/1").status_code == 405


def test_the_deadline_job_uses_the_office_lead_time(app):
    now = datetime.now(UTC)
    with app.test_request_context():
        case, victim, _relative = make_case()
        request = send_request(case, [victim])  # QT-BLO to SVK-BLO
        request.deadline_at = now + timedelta(hours=60)
        db.session.commit()
        request_id = request.id
        assert remind_deadlines(now=now) == 0  # the default 48 h: not yet
        db.session.rollback()
    admin = login_client(app, "admin")
    assert _set(admin, _office(app, "SVK-BLO"), "72").status_code == 302
    with app.test_request_context():
        assert remind_deadlines(now=now) >= 1
        told = db.session.scalars(
            select(Notification.user_id).where(
                Notification.request_id == request_id, Notification.kind == "deadline_near"
            )
        ).all()
        assert user_named("svk.liaison").id in told


def test_opening_a_handover_marks_its_reminders_read(app):
    with app.test_request_context():
        handover = scheduled_handover(scheduled_at=datetime.now(UTC) + timedelta(hours=5))
        assert remind_handovers() >= 1
        db.session.commit()
        handover_id, guard_id = handover.id, user_named("qt.guard").id

    def unread() -> int:
        with app.app_context():
            return len(
                db.session.scalars(
                    select(Notification).where(
                        Notification.user_id == guard_id,
                        Notification.subject_key == subject_key(handover_id),
                        Notification.read_at.is_(None),
                    )
                ).all()
            )

    assert unread() == 1
    assert login_client(app, "qt.guard").get(f"/handovers/{handover_id}").status_code == 200
    assert unread() == 0


def test_a_handover_postponed_without_a_new_time_is_not_reminded(app):
    with app.test_request_context():
        handover = scheduled_handover(scheduled_at=datetime.now(UTC) + timedelta(hours=1))
        handover_operations.postpone(
            handover,
            {"version": handover.version, "reason": "Bão lớn"},
            actor=user_named("qt.liaison"),
        )
        assert handover.new_time_pending is True
        assert remind_handovers() == 0
        # Given a new time, it is reminded for that time.
        handover_operations.postpone(
            handover,
            {
                "version": handover.version,
                "reason": "Bão lớn",
                "scheduled_at": datetime.now(UTC) + timedelta(hours=1, minutes=30),
            },
            actor=user_named("qt.liaison"),
        )
        assert handover.new_time_pending is False
        assert remind_handovers() >= 1
