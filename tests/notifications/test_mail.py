"""Notifications go out as e-mail through a real SMTP server, in the recipient's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coordination.core.db import utcnow
from coordination.directory.models import Office
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind
from coordination.exchange.tasks import remind_deadlines
from coordination.extensions import db
from coordination.notifications.mail import (
    deliver_pending,
    format_user_datetime,
    send_pending_emails,
)
from coordination.notifications.models import Notification, NotificationKind
from tests.conftest import translated, user_named
from tests.notifications.conftest import compose_data, free_port, give_email

SVK_EMAIL = "somsak@blo.savannakhet.example.la"
QT_EMAIL = "an.nguyen@blo.quangtri.example.vn"


def _office(code: str) -> Office:
    return db.session.scalar(select(Office).where(Office.code == code))


def _notifications(username: str) -> list[Notification]:
    return db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_named(username).id)
        .order_by(Notification.id)
    ).all()


def _send_request(**overrides):
    return exchange_operations.compose(compose_data(**overrides), actor=user_named("qt.liaison"))


def test_a_sent_request_is_emailed_to_the_partner_in_lao(app_ctx, smtp_server):
    app = app_ctx
    app.config.update(smtp_server.settings())
    give_email("svk.liaison", SVK_EMAIL)
    request = _send_request()

    assert send_pending_emails() == 1

    [mail] = smtp_server.received
    assert mail.rcpt_tos == [SVK_EMAIL]
    assert mail.mail_from == "coordination@blo.example.org"
    message = mail.message
    # Headers are 7-bit: the subject travels RFC 2047-encoded as UTF-8 and decodes back.
    raw_headers = mail.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    raw_subject = re.search(r"^Subject: ([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", raw_headers, re.M)
    assert "=?utf-8?" in raw_subject.group(1).lower()
    event = translated(app, "lo", "New request received")
    assert message["Subject"] == f"[{request.reference}] {event}: {request.subject}"
    assert "Auto-Submitted: auto-generated" in raw_headers
    assert message["Content-Language"] == "lo"

    body = mail.text
    kind_lo = translated(app, "lo", "Identity verification")
    partner_lo = translated(app, "lo", "Partner office")
    assert kind_lo != "Identity verification" and partner_lo != "Partner office"  # real Lao
    assert kind_lo in body
    assert f"{partner_lo}: {_office('QT-BLO').name_in('lo')}" in body
    assert request.reference in body and request.subject in body
    assert f"https://coordination.example.org/requests/{request.id}" in body
    # The deadline in Lao and in Vientiane time (UTC+7).
    svk = user_named("svk.liaison")
    deadline = format_user_datetime(request.deadline_at, svk)
    assert deadline.endswith("(GMT+07:00)") and deadline in body
    assert all(note.emailed_at is not None for note in _notifications("svk.liaison"))


def test_a_second_run_sends_nothing_new(app_ctx, smtp_server):
    app_ctx.config.update(smtp_server.settings())
    give_email("svk.liaison", SVK_EMAIL)
    _send_request()
    assert send_pending_emails() == 1
    assert send_pending_emails() == 0
    assert len(smtp_server.received) == 1
    _send_request(subject="Một yêu cầu khác")
    assert send_pending_emails() == 1
    assert len(smtp_server.received) == 2
    assert "Một yêu cầu khác" in smtp_server.received[1].message["Subject"]


def test_an_answer_is_emailed_to_the_sender_in_vietnamese_and_names_the_partner(
    app_ctx, smtp_server
):
    app = app_ctx
    app.config.update(smtp_server.settings())
    give_email("qt.liaison", QT_EMAIL)
    request = _send_request(kind="information")
    exchange_operations.take_step(
        request,
        MessageKind.REPLY,
        {"body": "ກວດສອບແລ້ວ"},
        {},
        actor=user_named("svk.liaison"),
    )
    # svk.liaison has no address: their "received" notification needs no e-mail.
    report = deliver_pending()
    assert (report.sent, report.not_needed, report.error) == (1, 1, None)

    [mail] = smtp_server.received
    assert mail.rcpt_tos == [QT_EMAIL]
    event = translated(app, "vi", "A request was answered")
    assert mail.message["Subject"] == f"[{request.reference}] {event}: {request.subject}"
    body = mail.text
    assert _office("SVK-BLO").name_in("vi") in body
    assert translated(app, "vi", "Information") in body
    assert "(GMT+07:00)" in body  # Asia/Ho_Chi_Minh
    assert all(note.emailed_at is not None for note in _notifications("svk.liaison"))


def test_times_are_shown_in_the_recipients_time_zone_and_language(app_ctx):
    deadline = datetime(2026, 11, 3, 2, 30, tzinfo=UTC)
    chinese = format_user_datetime(deadline, user_named("px.liaison"))
    assert chinese == "2026年11月3日 10:30 (GMT+08:00)"
    lao = format_user_datetime(deadline, user_named("svk.liaison"))
    assert lao == "3 ພະຈິກ 2026, 9:30 (GMT+07:00)"  # November, Vientiane time
    vietnamese = format_user_datetime(deadline, user_named("qt.liaison"))
    assert vietnamese == "09:30 3 tháng 11, 2026 (GMT+07:00)"


def test_mail_disabled_sends_nothing_and_leaves_the_outbox_alone(app_ctx, smtp_server):
    app_ctx.config.update(smtp_server.settings(MAIL_ENABLED=False))
    give_email("svk.liaison", SVK_EMAIL)
    _send_request()
    assert send_pending_emails() == 0
    assert smtp_server.received == []
    assert all(note.emailed_at is None for note in _notifications("svk.liaison"))


def test_no_address_disabled_user_or_already_read_means_no_email(app_ctx, smtp_server):
    app_ctx.config.update(smtp_server.settings())
    request = _send_request()  # svk.liaison has no e-mail address
    give_email("qt.liaison", QT_EMAIL)
    exchange_operations.take_step(
        request, MessageKind.ACKNOWLEDGE, {}, {}, actor=user_named("svk.liaison")
    )
    [update] = _notifications("qt.liaison")
    update.read_at = update.created_at  # seen in the app before the run
    db.session.flush()

    report = deliver_pending()
    assert (report.sent, report.not_needed) == (0, 2)
    assert smtp_server.received == []
    assert all(n.emailed_at for n in _notifications("svk.liaison") + _notifications("qt.liaison"))


def test_an_unreachable_server_leaves_notifications_pending(app_ctx):
    app_ctx.config.update(
        MAIL_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2
    )
    give_email("svk.liaison", SVK_EMAIL)
    _send_request()
    report = deliver_pending()  # must not raise
    assert report.sent == 0 and report.error
    assert send_pending_emails() == 0
    assert all(note.emailed_at is None for note in _notifications("svk.liaison"))


def test_a_server_refusing_the_message_leaves_it_pending(app_ctx, smtp_server):
    app_ctx.config.update(smtp_server.settings())
    give_email("svk.liaison", SVK_EMAIL)
    _send_request()
    smtp_server.mailbox.refuse_data = "451 4.3.0 Try again later"
    report = deliver_pending()
    assert report.sent == 0 and "451" in report.error
    assert all(note.emailed_at is None for note in _notifications("svk.liaison"))

    smtp_server.mailbox.refuse_data = None  # the server is back
    assert send_pending_emails() == 0  # the notification waits for its back-off
    later = utcnow() + timedelta(minutes=2)
    assert send_pending_emails(now=later) == 1  # then goes out, once
    assert send_pending_emails(now=later + timedelta(hours=1)) == 0
    assert len(smtp_server.received) == 1
    assert len(smtp_server.received) == 1


def test_a_refused_recipient_stays_pending_and_does_not_block_others(app_ctx, smtp_server):
    app_ctx.config.update(smtp_server.settings())
    give_email("svk.liaison", SVK_EMAIL)
    _send_request()
    smtp_server.mailbox.refuse_rcpt = "550 5.1.1 Mailbox unavailable"
    report = deliver_pending()
    assert (report.sent, report.error) == (0, None)
    assert all(note.emailed_at is None for note in _notifications("svk.liaison"))


def test_reminders_are_emailed_with_the_deadline(app_ctx, smtp_server):
    app = app_ctx
    app.config.update(smtp_server.settings())
    request = _send_request(kind="rescue_assistance")  # 3-day deadline
    db.session.execute(db.update(Notification).values(emailed_at=request.sent_at))
    give_email("svk.liaison", SVK_EMAIL)
    assert remind_deadlines(now=request.deadline_at - timedelta(hours=24)) == 1
    assert send_pending_emails() == 1
    [mail] = smtp_server.received
    event = translated(app, "lo", "A reply deadline is near")
    assert mail.message["Subject"] == f"[{request.reference}] {event}: {request.subject}"
    assert format_user_datetime(request.deadline_at, user_named("svk.liaison")) in mail.text
    assert {n.kind for n in _notifications("svk.liaison")} == {
        NotificationKind.REQUEST_RECEIVED,
        NotificationKind.DEADLINE_NEAR,
    }
