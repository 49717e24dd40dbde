"""The dashboard of a border guard: today's and the coming week's handovers at the gates of
their station, first thing, and none of another province's gates."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coordination.cases import operations as case_operations
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind
from coordination.extensions import db
from coordination.handovers import operations
from tests.conftest import translated, user_named
from tests.exchange.helpers import send_request
from tests.handovers.helpers import agreed_proposal, gate_id, schedule_data

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(days: int, hour: int = 9) -> datetime:
    """``hour`` o'clock, ``days`` from today, Vietnam time."""
    return datetime.combine(
        datetime.now(VIETNAM).date() + timedelta(days=days), time(hour, 0), tzinfo=VIETNAM
    )


def _lao_bao(scheduled_at: datetime) -> int:
    proposal = agreed_proposal()
    handover = operations.schedule(
        proposal, schedule_data(proposal, scheduled_at=scheduled_at), actor=user_named("qt.guard")
    )
    return handover.id


def _huu_nghi(scheduled_at: datetime) -> int:
    """Lạng Sơn hands a woman back to Pingxiang at Hữu Nghị (another province's gate)."""
    actor = user_named("ls.liaison")
    case = case_operations.create_case(
        {"title": "Trao trả công dân Trung Quốc", "opened_on": date(2026, 10, 1)}, actor=actor
    )
    person = case_operations.add_person(
        case,
        {"role": "victim", "name_as_written": "李小红", "sex": "female", "estimated_age": 22},
        actor=actor,
    )
    proposal = send_request(
        case,
        [person],
        username="ls.liaison",
        to="PX-BLO",
        kind="handover_proposal",
        shared=("name_as_written", "sex", "estimated_age"),
    )
    exchange_operations.take_step(
        proposal, MessageKind.REPLY, {"body": "同意。"}, {}, actor=user_named("px.liaison")
    )
    handover = operations.schedule(
        proposal,
        {
            "gate_id": gate_id("HUUNGHI-YOUYIGUAN"),
            "scheduled_at": scheduled_at,
            "handing_side": "sender",
            "person_ids": [p.id for p in proposal.people],
        },
        actor=user_named("ls.guard"),
    )
    return handover.id


def _link(handover_id: int) -> str:
    return f'href="/handovers/{handover_id}"'


def test_the_guard_sees_today_and_the_coming_week_at_their_gates_first(app, client, auth):
    with app.app_context():
        today = _lao_bao(_at(0, 23))
        in_five_days = _lao_bao(_at(5))
        in_seven_days = _lao_bao(_at(7, 20))
        yesterday = _lao_bao(_at(-1, 10))
        in_ten_days = _lao_bao(_at(10))
        cancelled = _lao_bao(_at(1))
        handover = operations.db.session.get(operations.Handover, cancelled)
        operations.cancel(
            handover, {"reason": "Đã về", "version": handover.version}, actor=user_named("qt.guard")
        )
        other_gate = _huu_nghi(_at(0, 23))
        db.session.commit()
    auth.login("qt.guard")
    page = html.unescape(client.get("/").get_data(as_text=True))
    for shown in (today, in_five_days, in_seven_days):
        assert _link(shown) in page, shown
    for hidden in (yesterday, in_ten_days, cancelled, other_gate):
        assert _link(hidden) not in page, hidden
    # First thing: above the requests and everything else.
    heading = translated(app, "vi", "Handovers at your border gates")
    assert page.index(heading) < page.index(f"<h2>{translated(app, 'vi', 'Requests')}</h2>")
    assert page.index(_link(today)) < page.index(_link(in_five_days))
    assert translated(app, "vi", "Today") in page
    # One tap from the dashboard to the gate log of an open handover.
    assert f'href="/handovers/{today}/log"' in page
    # Counts only: no names of people on a page that is not audited.
    assert "Nguyễn Thị Hường" not in page

    # Lạng Sơn's guard sees the Hữu Nghị handover and none of Quảng Trị's.
    auth.logout()
    auth.login("ls.guard")
    page = client.get("/").get_data(as_text=True)
    assert _link(other_gate) in page
    assert _link(today) not in page and _link(in_five_days) not in page


def test_an_empty_week_says_so_and_a_social_worker_gets_no_gate_panel(app, client, auth):
    auth.login("qt.guard")
    page = html.unescape(client.get("/").get_data(as_text=True))
    empty = "No handovers at your border gates today or in the coming week."
    assert translated(app, "vi", empty) in page
    auth.logout()
    auth.login("qt.social")
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert translated(app, "vi", "Handovers at your border gates") not in page


def test_a_completed_handover_of_today_shows_early_or_late(app, client, auth):
    with app.test_request_context():  # a record's QR code holds this server's address
        handover_id = _lao_bao(_at(0, 23) if datetime.now(VIETNAM).hour < 22 else _at(1, 9))
        handover = db.session.get(operations.Handover, handover_id)
        operations.log_at_gate(
            handover,
            {"action": "complete", "completed_at": datetime.now(UTC), "version": 1},
            {p.id: {"handed_over": True} for p in handover.people},
            actor=user_named("qt.guard"),
        )
        db.session.commit()
    auth.login("qt.guard")
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert _link(handover_id) in page
    assert 'class="badge timing-early"' in page
    assert f'href="/handovers/{handover_id}/log"' not in page  # completed: nothing to log
