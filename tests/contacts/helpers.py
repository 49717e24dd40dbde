"""Building contacts for tests through the real operations."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.contacts import operations
from coordination.core.db import utcnow
from coordination.directory.models import Office
from coordination.extensions import db
from tests.conftest import user_named


def office_id(code: str) -> int:
    return db.session.scalar(select(Office.id).where(Office.code == code))


def make_case(username: str = "ls.liaison", title: str = "Ba phụ nữ bị giữ tại Bằng Tường"):
    actor = user_named(username)
    opened = {"title": title, "opened_on": date(2026, 11, 20)}
    case = case_operations.create_case(opened, actor=actor)
    person = case_operations.add_person(
        case,
        {"role": "victim", "name_as_written": "Lý Thị Hoa", "sex": "female", "estimated_age": 19},
        actor=actor,
    )
    return case, person


def contact_data(partner: str = "PX-BLO", **overrides) -> dict:
    data = {
        "partner_office_id": office_id(partner),
        "partner_person": "李明",
        "channel": "hotline",
        "direction": "in",
        "occurred_at": utcnow() - timedelta(minutes=30),
        "duration_minutes": 12,
        "language": "zh",
        "interpreter": "Nông Văn Thắng",
        "asked": "三名越南籍妇女被困，请求协助解救。",
        "answered": "Sẽ xác minh và trả lời trong ngày.",
        "urgency": "urgent",
        "case_id": None,
        "request_id": None,
        "person_ids": [],
        "reference_number": None,
        "reference_date": None,
        "follow_up_due_at": None,
    }
    return {**data, **overrides}


def log(username: str = "ls.liaison", partner: str = "PX-BLO", **overrides):
    return operations.log_contact(contact_data(partner, **overrides), actor=user_named(username))
