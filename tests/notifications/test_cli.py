"""``flask notifications send-email`` and ``remind-deadlines``: what the scheduler runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coordination.core.db import utcnow
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import Request
from coordination.extensions import db
from coordination.notifications.cli import notifications_cli
from coordination.notifications.models import Notification, NotificationKind
from tests.conftest import user_named
from tests.notifications.conftest import compose_data, free_port, give_email


def _invoke(runner, *args):
    if "notifications" in runner.app.cli.commands:  # registered in coordination/cli.py
        return runner.invoke(args=["notifications", *args])
    return runner.invoke(notifications_cli, list(args))


def _sent_request(app, kind: str = "identity_verification", email: str | None = None) -> int:
    with app.app_context():
        if email:
            give_email("svk.liaison", email)
        request = exchange_operations.compose(
            compose_data(kind=kind), actor=user_named("qt.liaison")
        )
        db.session.commit()
        return request.id


def _notifications(app, request_id: int) -> list[tuple[str, bool]]:
    with app.app_context():
        return [
            (note.kind, note.emailed_at is not None)
            for note in db.session.scalars(
                select(Notification)
                .where(Notification.request_id == request_id)
                .order_by(Notification.id)
            )
        ]


def test_send_email_sends_and_commits(app, runner, smtp_server):
    app.config.update(smtp_server.settings())
    request_id = _sent_request(app, email="somsak@blo.savannakhet.example.la")

    result = _invoke(runner, "send-email")
    assert result.exit_code == 0, result.output
    assert "E-mails sent: 1" in result.output
    assert len(smtp_server.received) == 1
    assert _notifications(app, request_id) == [(NotificationKind.REQUEST_RECEIVED, True)]

    result = _invoke(runner, "send-email")
    assert result.exit_code == 0 and "E-mails sent: 0" in result.output
    assert len(smtp_server.received) == 1


def test_send_email_is_off_by_default(app, runner, smtp_server):
    assert app.config["MAIL_ENABLED"] is False
    request_id = _sent_request(app, email="somsak@blo.savannakhet.example.la")
    result = _invoke(runner, "send-email")
    assert result.exit_code == 0 and "off" in result.output
    assert smtp_server.received == []
    assert _notifications(app, request_id) == [(NotificationKind.REQUEST_RECEIVED, False)]


def test_send_email_with_the_server_down_fails_visibly_and_keeps_the_outbox(app, runner):
    app.config.update(
        MAIL_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2
    )
    request_id = _sent_request(app, email="somsak@blo.savannakhet.example.la")
    result = _invoke(runner, "send-email")
    assert result.exit_code == 1
    assert "stays pending" in result.output
    assert _notifications(app, request_id) == [(NotificationKind.REQUEST_RECEIVED, False)]


def test_remind_deadlines_reminds_once_and_commits(app, runner):
    request_id = _sent_request(app, kind="rescue_assistance")
    with app.app_context():
        db.session.get(Request, request_id).deadline_at = utcnow() + timedelta(hours=30)
        db.session.commit()

    result = _invoke(runner, "remind-deadlines", "--hours", "24")
    assert result.exit_code == 0, result.output
    assert "requests near their deadline: 0; notices sent: 0." in result.output
    result = _invoke(runner, "remind-deadlines")
    assert result.exit_code == 0 and "notices sent: 1." in result.output
    result = _invoke(runner, "remind-deadlines")
    assert "requests near their deadline: 1; notices sent: 0." in result.output
    assert _notifications(app, request_id) == [
        (NotificationKind.REQUEST_RECEIVED, False),
        (NotificationKind.DEADLINE_NEAR, False),
    ]


def test_remind_deadlines_refuses_a_bad_window(app, runner):
    result = _invoke(runner, "remind-deadlines", "--hours", "0")
    assert result.exit_code != 0
