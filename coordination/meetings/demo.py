"""Demo liaison meetings (``flask demo-data load --records``): Quảng Trị's border liaison
office holds a quarterly giao ban with Savannakhet's, the first one held last month (minutes
signed, two action items, one overdue) and the next ones to come, at the Lao Bảo gate's
office. Loaded once: a second run adds nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.meetings.models import Meeting
from coordination.meetings.operations import add_attendee, plan, save_minutes, sign_minutes

TITLE = "Giao ban quý Quảng Trị – Savannakhet"


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def add_demo_records(report) -> None:
    if db.session.scalar(select(Meeting.id).where(Meeting.title == TITLE)):
        return
    host, guest = _user("qt.liaison"), _user("svk.liaison")
    partner = db.session.scalar(select(Office).where(Office.code == "SVK-BLO"))
    if host is None or guest is None or partner is None:
        return
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    first = datetime.combine(date.today() - timedelta(days=30), time(9, 0), tzinfo=zone)
    meeting = plan(
        {
            "partner_office_id": partner.id,
            "kind": "quarterly",
            "title": TITLE,
            "starts_at": first,
            "ends_at": first + timedelta(hours=3),
            "timezone": "Asia/Ho_Chi_Minh",
            "repeat": "quarterly",
            "count": 4,
            "place_kind": "office",
            "place_office_id": host.office_id,
            "place_detail": "Phòng họp tầng 2",
            "purpose": "Rà soát các yêu cầu xác minh và bàn giao nạn nhân bị mua bán.",
        },
        actor=host,
    )
    for user in (host, guest):
        add_attendee(meeting, {"office_id": user.office_id, "user_id": user.id}, actor=host)
    add_attendee(
        meeting,
        {"office_id": partner.id, "name": "ບຸນມີ ແສງສະຫວ່າງ", "position": "ນາຍພາສາ"},
        actor=host,
    )
    minutes = save_minutes(
        meeting,
        meeting.planned_starts()[0],
        {
            "summary": "Hai bên rà soát các yêu cầu xác minh nhân thân còn tồn đọng.",
            "decisions": [
                "Trả lời các yêu cầu xác minh quá hạn trong 10 ngày.",
                "Tổ chức bàn giao tại cửa khẩu Lao Bảo vào quý tới.",
            ],
            "action_items": [
                {
                    "text": "Trả lời yêu cầu xác minh còn tồn đọng",
                    "owner_office_id": partner.id,
                    "owner_user_id": guest.id,
                    "due_on": date.today() - timedelta(days=5),
                },
                {
                    "text": "Chuẩn bị danh sách bàn giao",
                    "owner_office_id": host.office_id,
                    "owner_user_id": host.id,
                    "due_on": date.today() + timedelta(days=20),
                },
            ],
        },
        actor=host,
    )
    sign_minutes(minutes, actor=host)
    report.count("liaison meetings")
