"""People referred to a centre, built through the real operations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.handovers import operations as handover_operations
from coordination.reintegration import operations
from coordination.reintegration.models import Referral
from tests.conftest import user_named
from tests.handovers.helpers import scheduled_handover


def office(code: str) -> Office:
    return db.session.scalar(select(Office).where(Office.code == code))


def complete_with_referral(centre: str = "QT-SPC", *, detail="Cần hỗ trợ tâm lý"):
    """Savannakhet hands two women back at Lao Bảo; the guard refers both to ``centre``."""
    handover = scheduled_handover()
    centre_id = office(centre).id
    people = {}
    for person in handover.people:
        person.referral_office_id = centre_id
        people[person.id] = {
            "handed_over": True,
            "identity_checked": True,
            "referral": "social_protection_centre",
            "referral_detail": detail,
        }
    handover_operations.log_at_gate(
        handover,
        {"action": "complete", "completed_at": datetime.now(UTC), "version": handover.version},
        people,
        actor=user_named("qt.guard"),
    )
    return handover, list(
        db.session.scalars(
            select(Referral)
            .where(Referral.handover_person_id.in_([p.id for p in handover.people]))
            .order_by(Referral.id)
        )
    )


def victim(name="Trần Thị Mai", office_user="qt.liaison", **fields):
    actor = user_named(office_user)
    case = case_operations.create_case(
        {"title": "Nạn nhân phát hiện trong nước", "opened_on": date(2026, 9, 1)}, actor=actor
    )
    return case_operations.add_person(
        case,
        {"role": "victim", "name_as_written": name, "sex": "female", **fields},
        actor=actor,
    )


def referred(centre="QT-SPC", by="qt.liaison", **fields) -> Referral:
    person = victim(office_user=by, **fields)
    return operations.refer_person(
        person, {"centre_office_id": office(centre).id}, actor=user_named(by)
    )


def accepted(centre="QT-SPC", social="qt.social", **fields) -> Referral:
    referral = referred(centre, **fields)
    return operations.answer_referral(
        referral, {"decision": "accept", "version": referral.version}, actor=user_named(social)
    )


def in_support(centre="QT-SPC", social="qt.social", arrived=None, **fields) -> Referral:
    referral = accepted(centre, social, **fields)
    operations.record_intake(
        referral,
        {
            "arrived_on": arrived or datetime.now(UTC).date(),
            "health": "Sức khỏe yếu, cần khám phụ khoa",
            "counselling_note": "Hay gặp ác mộng",
            "consent_services": True,
            "consent_sharing": False,
        },
        actor=user_named(social),
    )
    return referral
