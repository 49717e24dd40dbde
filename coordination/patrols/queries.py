"""The patrols a user may see (mirrors policies.can_view_patrol), and the list's parts:
awaiting my office's answer, upcoming, past."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

from coordination.auth.models import Role, User
from coordination.cases.models import Case, CaseStatus
from coordination.core.db import count_rows, utcnow
from coordination.directory.models import BorderGate, Office
from coordination.directory.operations import find_partnership, top_level_area
from coordination.directory.queries import visible_partnerships
from coordination.extensions import db
from coordination.patrols.models import AWAITING_STATES, LIVE_STATES, Patrol, PatrolState


def visible_patrols(user: User) -> Select:
    query = select(Patrol)
    if not user.is_active:
        return query.where(false())
    conditions = [
        Patrol.proposing_office_id == user.office_id,
        Patrol.partner_office_id == user.office_id,
    ]
    if user.has_role(Role.SUPERVISOR):
        province = select(Office.id).where(Office.province_id == user.office.province_id)
        conditions += [
            Patrol.proposing_office_id.in_(province),
            Patrol.partner_office_id.in_(province),
        ]
    return query.where(or_(*conditions))


def listed(user: User, show: str) -> Select:
    """One part of the list: "awaiting" (my office's answer is awaited, soonest first),
    "upcoming" (still to happen, soonest first), "past" (over, reported, declined or
    cancelled; latest first)."""
    now = utcnow()
    query = visible_patrols(user).options(
        selectinload(Patrol.proposing_office), selectinload(Patrol.partner_office)
    )
    if show == "awaiting":
        return query.where(
            Patrol.state.in_([str(state) for state in AWAITING_STATES]),
            Patrol.awaiting_office_id == user.office_id,
            Patrol.ends_at > now,
        ).order_by(Patrol.starts_at, Patrol.id)
    if show == "past":
        return query.where(
            or_(
                Patrol.ends_at <= now,
                Patrol.state.in_(
                    [
                        str(PatrolState.DECLINED),
                        str(PatrolState.CANCELLED),
                        str(PatrolState.COMPLETED),
                    ]
                ),
            )
        ).order_by(Patrol.starts_at.desc(), Patrol.id.desc())
    return query.where(
        Patrol.ends_at > now, Patrol.state.in_([str(state) for state in LIVE_STATES])
    ).order_by(Patrol.starts_at, Patrol.id)


def awaiting_count(user: User) -> int:
    return count_rows(listed(user, "awaiting"))


def partner_options(user: User) -> list[tuple[int, str]]:
    """The active partners of the user's office (the propose form's choices)."""
    partnerships = db.session.scalars(visible_partnerships(user, user.office_id)).all()
    offices = [p.other_office(user.office_id) for p in partnerships if p.active]
    return [(office.id, office.name) for office in offices if office.active]


def is_partner(user: User, office_id: int) -> bool:
    partnership = find_partnership(user.office_id, office_id)
    return partnership is not None and partnership.active


def open_cases(user: User, limit: int = 200) -> list[Case]:
    """The office's open cases a rescued person may join (most recent first)."""
    closed = [str(status) for status in CaseStatus if status.is_closed]
    query = (
        select(Case)
        .where(Case.office_id == user.office_id, Case.status.not_in(closed))
        .order_by(Case.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def gate_options(user: User) -> list[tuple[int, str]]:
    """Active gates on the border of the user's province (either side)."""
    province = user.office.province_id
    gates = db.session.scalars(
        select(BorderGate).where(BorderGate.active.is_(True)).order_by(BorderGate.code)
    )
    return [
        (gate.id, gate.name)
        for gate in gates
        if province in (top_level_area(gate.vietnam_area).id, top_level_area(gate.partner_area).id)
    ]
