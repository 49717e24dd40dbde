"""Meetings built through the real operations: Quảng Trị's border liaison office (QT-BLO)
hosts, Savannakhet's (SVK-BLO) is the partner; Salavan's (SLV-BLO) is another partner of
Quảng Trị with no part in them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from coordination.directory.models import Office
from coordination.exchange.models import Request
from coordination.extensions import db
from coordination.meetings import operations
from coordination.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingAttendee,
    MeetingOverride,
    Minutes,
    MinutesRecord,
)
from tests.conftest import user_named


def office_id(code: str) -> int:
    return db.session.scalar(select(Office.id).where(Office.code == code))


def moment(days: float, hour: int = 2) -> datetime:
    """A whole hour ``days`` from today (02:00 UTC is 09:00 in Vietnam and Laos)."""
    today = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today + timedelta(days=days)


def plan_data(**overrides) -> dict:
    starts = overrides.pop("starts_at", None) or moment(-30)
    return {
        "partner_office_id": office_id("SVK-BLO"),
        "kind": "quarterly",
        "title": "Giao ban quý với Savannakhet",
        "starts_at": starts,
        "ends_at": overrides.pop("ends_at", None) or starts + timedelta(hours=3),
        "timezone": "Asia/Ho_Chi_Minh",
        "repeat": "quarterly",
        "count": 4,
        "until": None,
        "place_kind": "office",
        "place_office_id": office_id("QT-BLO"),
        "place_detail": "Phòng họp tầng 2",
        "purpose": "Rà soát yêu cầu xác minh.",
        **overrides,
    }


def planned_meeting(host: str = "qt.liaison", **overrides) -> Meeting:
    return operations.plan(plan_data(**overrides), actor=user_named(host))


def minutes_data(**overrides) -> dict:
    return {
        "summary": "Hai bên rà soát các yêu cầu còn tồn đọng.",
        "decisions": ["Trả lời các yêu cầu quá hạn trong 10 ngày."],
        "action_items": [
            {
                "text": "Trả lời yêu cầu xác minh",
                "owner_office_id": office_id("SVK-BLO"),
                "owner_user_id": user_named("svk.liaison").id,
                "due_on": date.today() - timedelta(days=2),
            },
            {
                "text": "Chuẩn bị danh sách bàn giao",
                "owner_office_id": office_id("QT-BLO"),
                "owner_user_id": None,
                "owner_name": "Trần Văn Bình",
                "due_on": date.today() + timedelta(days=20),
            },
        ],
        **overrides,
    }


def recorded_minutes(meeting: Meeting, actor: str = "qt.liaison", **overrides) -> Minutes:
    key = meeting.planned_starts()[0]
    return operations.save_minutes(meeting, key, minutes_data(**overrides), actor=user_named(actor))


def request_between(first: str, second: str) -> Request | None:
    """A request sent (not a draft) between two offices, either way."""
    a, b = office_id(first), office_id(second)
    return db.session.scalar(
        select(Request)
        .where(Request.state != "draft")
        .where(
            ((Request.sender_office_id == a) & (Request.recipient_office_id == b))
            | ((Request.sender_office_id == b) & (Request.recipient_office_id == a))
        )
        .order_by(Request.id)
        .limit(1)
    )


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (
            Meeting,
            MeetingOverride,
            MeetingAttendee,
            AgendaItem,
            Minutes,
            ActionItem,
            MinutesRecord,
        )
    )
