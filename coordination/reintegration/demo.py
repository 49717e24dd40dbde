"""Demo records: people referred to the Quảng Trị and Savannakhet centres, at each stage
(``flask demo-data load --records``). Idempotent; flushes only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.cases.models import Person, PersonRole
from coordination.core.db import utcnow
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.reintegration import operations
from coordination.reintegration.models import Referral


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _office(code: str) -> Office | None:
    return db.session.scalar(select(Office).where(Office.code == code))


def add_demo_records(report) -> None:
    """Refer up to two victims of Quảng Trị's demo cases to its centre: one accepted and in
    support (intake, essential needs, medical care), one awaiting an answer."""
    if db.session.scalar(select(Referral.id).limit(1)) is not None:
        return
    liaison, social = _user("qt.liaison"), _user("qt.social")
    centre = _office("QT-SPC")
    if liaison is None or social is None or centre is None:
        return
    victims = db.session.scalars(
        select(Person)
        .join(Person.case)
        .where(Person.role == PersonRole.VICTIM, Person.case.has(office_id=liaison.office_id))
        .order_by(Person.id)
        .limit(2)
    ).all()
    today = utcnow().date()
    for number, person in enumerate(victims):
        referral = operations.refer_person(
            person,
            {"centre_office_id": centre.id, "reason": "Hỗ trợ tái hòa nhập sau khi trở về."},
            actor=liaison,
        )
        if number == 0:
            operations.answer_referral(
                referral, {"decision": "accept", "version": referral.version}, actor=social
            )
            operations.record_intake(
                referral,
                {
                    "arrived_on": today,
                    "safety_risk": "medium",
                    "family_situation": "Sống cùng mẹ và hai em.",
                    "consent_services": True,
                    "consent_sharing": True,
                },
                actor=social,
            )
            operations.add_service(
                referral,
                {
                    "type": "essential_needs",
                    "provider": centre.name_vi,
                    "planned_start": today,
                    "planned_end": today + timedelta(days=90),
                    "cost": 4_500_000,
                    "currency": "VND",
                },
                actor=social,
            )
            operations.add_service(
                referral,
                {"type": "medical", "provider": "Bệnh viện đa khoa tỉnh", "planned_start": today},
                actor=social,
            )
        report.count("reintegration referrals")
