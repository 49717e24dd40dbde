"""Demo records: victims of the demo cases referred to a centre of their case office's
province, at different stages (``flask demo-data load --records``). Idempotent; flushes
only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coordination.auth.models import Role, User, UserRole
from coordination.cases.models import Person, PersonRole
from coordination.core.db import utcnow
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.reintegration import operations
from coordination.reintegration.models import Referral
from coordination.reintegration.policies import CENTRE_KINDS


def _one_with(role: Role, office_id: int) -> User | None:
    return db.session.scalar(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.office_id == office_id, UserRole.role == str(role), User.is_enabled)
        .order_by(User.id)
        .limit(1)
    )


def _centre_for(office: Office) -> Office | None:
    return db.session.scalar(
        select(Office)
        .where(
            Office.province_id == office.province_id,
            Office.kind.in_([str(kind) for kind in CENTRE_KINDS]),
            Office.active.is_(True),
        )
        .order_by(Office.kind, Office.code)
        .limit(1)
    )


def add_demo_records(report) -> None:
    """Up to three victims: one in support (intake, essential needs, medical care), one
    accepted, one awaiting the centre's answer."""
    if db.session.scalar(select(Referral.id).limit(1)) is not None:
        return
    victims = db.session.scalars(
        select(Person).where(Person.role == PersonRole.VICTIM).order_by(Person.id)
    ).all()
    today = utcnow().date()
    made = 0
    for person in victims:
        if made == 3:
            break
        office = person.case.office
        centre = _centre_for(office)
        liaison = _one_with(Role.LIAISON_OFFICER, office.id)
        social = _one_with(Role.SOCIAL_WORKER, centre.id) if centre else None
        if centre is None or liaison is None or social is None:
            continue
        referral = operations.refer_person(
            person, {"centre_office_id": centre.id, "reason": None}, actor=liaison
        )
        report.count("reintegration referrals")
        made += 1
        if made == 3:
            continue  # awaiting an answer
        operations.answer_referral(
            referral, {"decision": "accept", "version": referral.version}, actor=social
        )
        if made == 2:
            continue  # accepted, awaiting intake
        operations.record_intake(
            referral,
            {"arrived_on": today, "safety_risk": "medium", "consent_services": True},
            actor=social,
        )
        operations.add_service(
            referral,
            {
                "type": "essential_needs",
                "provider": centre.name_in("vi"),
                "planned_start": today,
                "planned_end": today + timedelta(days=90),
                "cost": 4_500_000,
                "currency": "VND" if centre.country.code == "VN" else "LAK",
            },
            actor=social,
        )
        operations.add_service(referral, {"type": "medical", "planned_start": today}, actor=social)
