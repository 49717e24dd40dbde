"""Building cases and requests for tests through the real operations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.directory.models import Office
from coordination.exchange import operations as exchange_operations
from coordination.extensions import db
from tests.conftest import user_named


def office_id(code: str) -> int:
    return db.session.scalar(select(Office.id).where(Office.code == code))


def make_case(username: str = "qt.liaison", **people_overrides):
    """A case of the user's office with one victim (defaults overridable) and one relative."""
    actor = user_named(username)
    case = case_operations.create_case(
        {"title": "Hai phụ nữ bị lừa sang biên giới", "opened_on": date(2026, 10, 1)},
        actor=actor,
    )
    victim = {
        "role": "victim",
        "name_as_written": "Nguyễn Thị Hướng",
        "name_romanised": "Nguyen Thi Huong",
        "sex": "female",
        "date_of_birth": date(2001, 5, 17),
        "home_address": "Thôn 3, xã Lao Bảo",
        "relatives_contacts": "Mẹ: 0912 345 678",
        **people_overrides,
    }
    victim_person = case_operations.add_person(case, victim, actor=actor)
    relative = case_operations.add_person(
        case,
        {"role": "relative", "name_as_written": "Nguyễn Văn Tư", "sex": "male"},
        actor=actor,
    )
    return case, victim_person, relative


DEFAULT_SHARED = ("name_as_written", "name_romanised", "sex", "date_of_birth")


def send_request(
    case,
    people,
    *,
    username="qt.liaison",
    to="SVK-BLO",
    kind="identity_verification",
    shared=DEFAULT_SHARED,
    action="send",
):
    actor = user_named(username)
    return exchange_operations.compose(
        {
            "recipient_office_id": office_id(to),
            "kind": kind,
            "subject": "Đề nghị xác minh nhân thân",
            "body": "Đề nghị quý Văn phòng xác minh nhân thân hai người dưới đây.",
            "case_id": case.id,
            "person_ids": [person.id for person in people],
            "shared_fields": list(shared),
            "action": action,
        },
        actor=actor,
    )
