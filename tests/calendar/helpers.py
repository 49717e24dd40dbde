"""Handovers for calendar tests, built through the real operations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from coordination.calendar import operations as calendar_operations
from coordination.extensions import db
from coordination.handovers.models import Handover
from tests.conftest import user_named
from tests.handovers.helpers import scheduled_handover

# Names of the demo data's victims and of the test helpers' (none may reach a feed).
PEOPLE_NAMES = (
    "ຫງວຽນ ທິ ເຮືອງ",
    "ເລ ທິ ລານ",
    "Nguyễn Thị Hường",
    "Hồ Thị Lan",
    "Nguyen Thi Huong",
)


def demo_handover() -> Handover:
    """The demo data's handover at Lao Bảo, tomorrow at 09:00 Vietnam time."""
    return db.session.scalars(select(Handover).order_by(Handover.id)).first()


def handover_in(days: float = 2, **overrides) -> Handover:
    """A handover (Savannakhet hands two women to Quảng Trị at Lao Bảo) ``days`` from now."""
    when = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=days)
    return scheduled_handover(scheduled_at=when, **overrides)


def feed_url_of(username: str) -> str:
    user = user_named(username)
    token = calendar_operations.renew_feed(user, actor=user)
    db.session.commit()
    return f"/calendar/feed/{token}.ics"


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def events(body: bytes) -> dict:
    """UID -> VEVENT of a feed."""
    return {str(event["UID"]): event for event in parse(body).walk("VEVENT")}


def china_handover(when: datetime) -> Handover:
    """Lạng Sơn proposes to receive a woman back from Pingxiang at Hữu Nghị; Pingxiang
    agrees; Lạng Sơn's liaison officer schedules it for ``when``."""
    from coordination.cases import operations as case_operations
    from coordination.exchange import operations as exchange_operations
    from coordination.exchange.models import MessageKind
    from coordination.handovers import operations as handover_operations
    from tests.exchange.helpers import send_request
    from tests.handovers.helpers import gate_id

    actor = user_named("ls.liaison")
    case = case_operations.create_case(
        {"title": "Tiếp nhận từ Bằng Tường", "opened_on": datetime.now(UTC).date()}, actor=actor
    )
    person = case_operations.add_person(
        case,
        {"role": "victim", "name_as_written": "Hoàng Thị Mỹ", "sex": "female"},
        actor=actor,
    )
    proposal = send_request(
        case,
        [person],
        username="ls.liaison",
        to="PX-BLO",
        kind="handover_proposal",
        shared=("name_as_written", "sex"),
    )
    exchange_operations.take_step(
        proposal, MessageKind.REPLY, {"body": "同意。"}, {}, actor=user_named("px.liaison")
    )
    return handover_operations.schedule(
        proposal,
        {
            "gate_id": gate_id("HUUNGHI-YOUYIGUAN"),
            "scheduled_at": when,
            "handing_side": "recipient",
            "person_ids": [p.id for p in proposal.people],
            "handing_officers": [{"name": "王强", "rank": ""}],
            "receiving_officers": [{"name": "Vũ Văn Hải", "rank": ""}],
        },
        actor=actor,
    )
