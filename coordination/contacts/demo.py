"""Demo contacts (``flask demo-data load --records``): Lạng Sơn's liaison office took an
urgent hotline call from Pingxiang about three women held near the border, on one of its
cases, and received a letter from Chongzuo; the Hữu Nghị station called the Youyiguan
station, shared the call, and Youyiguan confirmed it; the Hữu Nghị station also took an
urgent call from Youyiguan about the same case, wrote its number and passed it to the
liaison office (to link and make a request from). Added once: a second run adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.cases.operations import add_person, create_case
from coordination.contacts import operations
from coordination.contacts.models import Contact
from coordination.core.db import utcnow
from coordination.directory.models import Office
from coordination.extensions import db

CASE_TITLE = "Ba phụ nữ bị giữ tại Bằng Tường"


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _office(code: str) -> Office | None:
    return db.session.scalar(select(Office).where(Office.code == code))


def add_demo_records(report) -> None:
    if db.session.scalar(select(Contact.id).limit(1)) is not None:
        return
    liaison, guard, px_guard = _user("ls.liaison"), _user("ls.guard"), _user("px.guard")
    px_blo, cz_blo, px_bgs = _office("PX-BLO"), _office("CZ-BLO"), _office("PX-BGS")
    if None in (liaison, guard, px_guard, px_blo, cz_blo, px_bgs):
        return  # not the demo directory
    now = utcnow()
    case = create_case({"title": CASE_TITLE, "opened_on": date.today()}, actor=liaison)
    person = add_person(
        case,
        {"role": "victim", "name_as_written": "Lý Thị Hoa", "sex": "female", "estimated_age": 19},
        actor=liaison,
    )
    operations.log_contact(
        {
            "partner_office_id": px_blo.id,
            "partner_person": "李明",
            "channel": "hotline",
            "direction": "in",
            "occurred_at": now - timedelta(hours=3),
            "duration_minutes": 12,
            "language": "zh",
            "interpreter": "Nông Văn Thắng",
            "asked": "凭祥方面报告：三名越南籍妇女被困在一处出租屋，请求核实身份并协助解救。",
            "answered": "Đã ghi nhận, sẽ xác minh và trả lời trong ngày.",
            "urgency": "urgent",
            "case_id": case.id,
            "person_ids": [person.id],
            "follow_up_due_at": now + timedelta(hours=8),
        },
        actor=liaison,
    )
    operations.log_contact(
        {
            "partner_office_id": cz_blo.id,
            "channel": "letter",
            "direction": "in",
            "occurred_at": now - timedelta(days=2),
            "language": "zh",
            "asked": "崇左边境联络办公室来函：通报第三季度遣返情况。",
            "urgency": "routine",
            "reference_number": "崇边联〔2026〕45号",
            "reference_date": date.today() - timedelta(days=5),
            "follow_up_due_at": now - timedelta(days=1),
        },
        actor=liaison,
    )
    call = operations.log_contact(
        {
            "partner_office_id": px_bgs.id,
            "partner_person": "张伟",
            "channel": "hotline",
            "direction": "out",
            "occurred_at": now - timedelta(days=1, hours=2),
            "duration_minutes": 6,
            "language": "zh",
            "asked": "Thông báo lịch tuần tra song phương tuần tới tại mốc 1116.",
            "answered": "友谊关边防检查站同意。",
            "urgency": "routine",
        },
        actor=guard,
    )
    operations.share_contact(call, {"version": call.version}, actor=guard)
    operations.respond(
        call, {"confirm": True, "note": "确认通话。", "version": call.version}, actor=px_guard
    )
    operations.log_contact(
        {
            "partner_office_id": px_bgs.id,
            "partner_person": "张伟",
            "channel": "hotline",
            "direction": "in",
            "occurred_at": now - timedelta(minutes=40),
            "duration_minutes": 4,
            "language": "zh",
            "asked": "友谊关边检站来电：一名自称被拐的越南籍妇女在口岸求助，请求核实身份。",
            "urgency": "urgent",
            "case_reference": case.number,
            "forward": True,
        },
        actor=guard,
    )
    for _logged in range(4):
        report.count("contacts")
