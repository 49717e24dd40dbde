"""Two web workers and two schedulers against one database, the job clock moved forwards and
back, the SMTP server down and then up (a real one, aiosmtpd): each reminder is stored once
and each e-mail arrives once."""

from __future__ import annotations

import signal
import time
import urllib.request
from collections import Counter

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from coordination.core.db import utcnow
from coordination.extensions import db
from coordination.notifications.models import Notification, NotificationKind
from coordination.scheduler import lease
from coordination.scheduler.models import JobRun
from tests.notifications.conftest import Mailbox, free_port, give_email
from tests.scheduler.helpers import answer, send_to_quang_tri
from tests.scheduler.processes import output, wait_for

DAY = 24 * 3600


def _read(app, query):
    with app.app_context():
        try:
            return db.session.execute(query).all()
        finally:
            db.session.remove()


def _emailed(app, kind) -> int:
    return _read(
        app,
        select(func.count())
        .select_from(Notification)
        .where(Notification.kind == str(kind), Notification.emailed_at.is_not(None)),
    )[0][0]


def test_each_reminder_and_email_arrives_exactly_once(app, processes):
    smtp_port = free_port()  # nothing listens yet: the SMTP server is down
    processes.extra_env.update(
        MAIL_ENABLED="1",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_TIMEOUT_SECONDS="2",
        MAIL_SENDER="coordination@blo.example.org",
        BASE_URL="https://coordination.example.org",
    )
    with app.app_context():
        give_email("qt.liaison", "an.nguyen@blo.quangtri.example.vn")
        give_email("qt.supervisor", "duc.pham@sc.quangtri.example.vn")
        owed = send_to_quang_tri("Chưa trả lời")
        answered_later = send_to_quang_tri("Sẽ được trả lời")
        # Only the scheduled notices are counted: the "request received" ones are done.
        db.session.execute(db.update(Notification).values(emailed_at=utcnow()))
        db.session.commit()
        owed_id, answered_id = owed.id, answered_later.id
        to_deadline = (owed.deadline_at - utcnow()).total_seconds()  # about 3 days
        db.session.remove()

    web_ports = [free_port(), free_port()]
    web = [processes.web_worker(f"web{n}", port) for n, port in enumerate(web_ports)]
    first = processes.scheduler("scheduler1")
    second = processes.scheduler("scheduler2")
    for port, worker in zip(web_ports, web, strict=True):
        wait_for(lambda p=port: _serves(p), message=f"web worker {worker.args}")

    # A day before the deadlines: both requests are near (48 h), the server is down.
    processes.move_clock(to_deadline - DAY)
    near = NotificationKind.DEADLINE_NEAR
    wait_for(
        lambda: _read(app, select(func.count()).where(Notification.kind == str(near)))[0][0] == 2,
        message="two deadline reminders",
    )
    wait_for(
        lambda: _read(app, select(JobRun.id).where(JobRun.ok.is_(False))),
        message="a failed e-mail run while the server is down",
    )
    assert _emailed(app, near) == 0  # still pending

    mailbox = Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        wait_for(lambda: len(mailbox.received) >= 2, timeout=40, message="the two reminders")
        wait_for(lambda: _emailed(app, near) == 2, message="marked e-mailed")

        with app.app_context():
            answer(db.session.get(type(owed), answered_id))
            db.session.commit()
            db.session.remove()

        # The scheduler holding the lease dies (kill -9: no release); the other takes over
        # once the lease has expired.
        holder = _holder(app)
        dead, survivor = (first, second) if holder == first.pid else (second, first)
        dead.send_signal(signal.SIGKILL)
        dead.wait(timeout=10)
        wait_for(lambda: "holds the lease" in output(survivor), message="the take-over")

        # An hour after the deadline: the owed request is overdue (liaison) and escalated
        # (supervisor); the answered one is not.
        processes.move_clock(to_deadline + 3600)
        wait_for(lambda: len(mailbox.received) >= 4, timeout=40, message="overdue + escalation")
        # The clock jumps back, then on past the next escalation round (3 days).
        processes.move_clock(to_deadline - DAY / 2)
        time.sleep(3)
        processes.move_clock(to_deadline + 3 * DAY + 3600)
        wait_for(lambda: len(mailbox.received) >= 5, timeout=40, message="second escalation")
        time.sleep(4)  # anything more would arrive now
        # A restarted scheduler (a restart race) waits for the lease: still once.
        restarted = processes.scheduler("scheduler3")
        wait_for(lambda: "Waiting until it stops" in output(restarted), message="waiting")
        time.sleep(2)
    finally:
        processes.stop_all()
        server.stop()

    sent = Counter(mail.message["X-Coordination-Notification"] for mail in mailbox.received)
    assert len(mailbox.received) == 5, sent
    assert set(sent.values()) == {1}  # each notification e-mailed once
    by_recipient = Counter(mail.rcpt_tos[0] for mail in mailbox.received)
    assert by_recipient == {
        "an.nguyen@blo.quangtri.example.vn": 3,  # two near, one passed
        "duc.pham@sc.quangtri.example.vn": 2,  # two escalation rounds
    }
    rows = _read(
        app,
        select(
            Notification.kind, Notification.request_id, Notification.user_id, Notification.due_slot
        ).where(Notification.due_slot.is_not(None)),
    )
    assert len(rows) == len(set(rows)) == 5
    assert sum(1 for kind, request_id, *_ in rows if request_id == answered_id) == 1  # near
    assert {kind for kind, request_id, *_ in rows if request_id == owed_id} == {
        "deadline_near",
        "deadline_passed",
        "escalation",
    }
    # Only schedulers ran jobs; web workers never did.
    holders = {row[0] for row in _read(app, select(JobRun.holder).distinct())}
    pids = {int(holder.split(":")[1]) for holder in holders}
    assert pids <= {first.pid, second.pid}
    assert not pids & {worker.pid for worker in web}


def _serves(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _holder(app) -> int:
    with app.app_context():
        return lease.current().pid
