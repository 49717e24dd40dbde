"""Handover reminders go out as e-mail in each recipient's language and time zone, with a
link to the handover and no victim's name (e-mail leaves the system)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time

from coordination.handovers.tasks import remind_handovers
from coordination.notifications.mail import send_pending_emails
from coordination.notifications.models import Notification
from tests.conftest import translated, translated_plural, user_named
from tests.handovers.helpers import scheduled_handover
from tests.notifications.conftest import give_email

VICTIMS = ("Nguyễn Thị Hường", "Hồ Thị Lan")


@pytest.fixture
def ctx(app):
    with app.test_request_context():  # handovers' records hold this server's address
        yield app


def _by_recipient(smtp_server) -> dict[str, object]:
    return {mail.rcpt_tos[0]: mail for mail in smtp_server.received}


def test_reminders_are_emailed_in_each_language_and_zone_without_names(ctx, smtp_server):
    app = ctx
    app.config.update(smtp_server.settings())
    give_email("svk.liaison", "somsak@blo.savannakhet.example.la")
    give_email("qt.guard", "binh@bp.quangtri.example.vn")
    user_named("qt.guard").timezone = "Asia/Shanghai"  # a guard reading in China time
    # Tomorrow at 09:00 in Vientiane (= Vietnam) time.
    vientiane = ZoneInfo("Asia/Vientiane")
    tomorrow = datetime.now(vientiane).date() + timedelta(days=1)
    at = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, 0, tzinfo=vientiane)
    now = at - timedelta(hours=20)
    handover = scheduled_handover(scheduled_at=at.astimezone(UTC))
    send_pending_emails()  # the news of the scheduling (about the request) first
    smtp_server.received.clear()
    assert remind_handovers(now=now) == 4
    # "Tomorrow" as of the sending, whatever the test's real clock says.
    for note in Notification.query.filter(Notification.subject_key.isnot(None)):
        note.created_at = now

    assert send_pending_emails() == 2
    mails = _by_recipient(smtp_server)

    lao = mails["somsak@blo.savannakhet.example.la"]
    gate_lo = handover.gate.name_in("lo")
    title_lo = translated_plural(
        app,
        "lo",
        "Handover at %(gate)s tomorrow at %(time)s (%(zone)s), %(num)d person",
        "Handover at %(gate)s tomorrow at %(time)s (%(zone)s), %(num)d people",
        2,
        gate=gate_lo,
        time=format_time(at, "short", tzinfo=vientiane, locale="lo"),
        zone=translated(app, "lo", "Laos time") + " (UTC+7)",
    )
    assert lao.message["Subject"] == title_lo
    assert lao.message["Content-Language"] == "lo"
    assert title_lo in lao.text
    assert f"https://coordination.example.org/handovers/{handover.id}" in lao.text

    guard = mails["binh@bp.quangtri.example.vn"]
    assert guard.message["Content-Language"] == "vi"
    # 09:00 in Vientiane is 10:00 in China time.
    zone_vi = translated(app, "vi", "China time") + " (UTC+8)"
    assert f"10:00 ({zone_vi})" in guard.message["Subject"]
    assert handover.gate.name_in("vi") in guard.text

    for mail in smtp_server.received:
        assert not any(name in mail.text or name in mail.message["Subject"] for name in VICTIMS)


def test_request_notifications_read_as_before(ctx, smtp_server):
    """A handover's scheduling still tells the partner about the request, as a request."""
    app = ctx
    app.config.update(smtp_server.settings())
    give_email("svk.liaison", "somsak@blo.savannakhet.example.la")
    handover = scheduled_handover(scheduled_at=datetime.now(UTC) + timedelta(days=3))
    # The proposal received, then the handover scheduled (qt.liaison has no address).
    assert send_pending_emails() == 2
    for mail in smtp_server.received:
        assert f"/requests/{handover.request_id}" in mail.text
        assert handover.request.reference in mail.message["Subject"]
        assert "/handovers/" not in mail.text
