"""An agreed handover proposal and a scheduled handover, built through the real operations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.directory.models import BorderGate
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind
from coordination.extensions import db
from coordination.handovers import operations
from tests.conftest import user_named
from tests.exchange.helpers import send_request

LAO_BAO = "LAOBAO-DENSAVANH"


def gate_id(code: str = LAO_BAO) -> int:
    return db.session.scalar(select(BorderGate.id).where(BorderGate.code == code))


def agreed_proposal(people=("Nguyễn Thị Hường", "Hồ Thị Lan"), *, agree=True):
    """Quảng Trị proposes to receive two women back from Savannakhet; Savannakhet agrees."""
    actor = user_named("qt.liaison")
    case = case_operations.create_case(
        {"title": "Tiếp nhận nạn nhân từ Lào", "opened_on": date(2026, 10, 1)}, actor=actor
    )
    added = [
        case_operations.add_person(
            case,
            {"role": "victim", "name_as_written": name, "sex": "female", "estimated_age": 24},
            actor=actor,
        )
        for name in people
    ]
    proposal = send_request(
        case,
        added,
        kind="handover_proposal",
        shared=("name_as_written", "sex", "estimated_age"),
    )
    if agree:
        exchange_operations.take_step(
            proposal,
            MessageKind.REPLY,
            {"body": "ເຫັນດີ: ມອບ-ຮັບ ທີ່ດ່ານແດນສະຫວັນ."},
            {},
            actor=user_named("svk.liaison"),
        )
    return proposal


def schedule_data(proposal, **overrides) -> dict:
    return {
        "gate_id": gate_id(),
        "scheduled_at": datetime.now(UTC) - timedelta(hours=3),
        "handing_side": "recipient",  # Savannakhet hands over, Quảng Trị receives
        "person_ids": [person.id for person in proposal.people],
        "handing_officers": [{"name": "ບຸນມີ ແກ້ວວົງສາ", "rank": "ຮ້ອຍເອກ"}],
        "receiving_officers": [{"name": "Trần Văn Bình", "rank": "Thiếu tá"}],
        "interpreter": "Phạm Văn Hưởng",
        "witnesses": [{"name": "Hồ Văn Nam", "role": "Hội Phụ nữ huyện Hướng Hóa"}],
        "transport": "Xe ô tô 74A-123.45",
        **overrides,
    }


def scheduled_handover(**overrides):
    proposal = agreed_proposal()
    return operations.schedule(
        proposal, schedule_data(proposal, **overrides), actor=user_named("qt.guard")
    )
