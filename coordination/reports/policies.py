"""Who may see which report.

- An administrator: every scope.
- A supervisor (the provincial steering committee's standing office): the province of their
  office, each office in it, and each partnership of an office in it.
- A liaison officer: their own office, and each partnership of their office.
- Anyone else (border guards, social workers): no reports; the pages answer 404.
Whoever may see a scope may generate a new version of its stored report.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from coordination.auth.models import Role, User
from coordination.directory.models import Office, Partnership
from coordination.extensions import db
from coordination.reports.scopes import (
    ALL,
    Scope,
    from_key,
    office_scope,
    partnership_scope,
    province_scope,
)


def can_use_reports(user: User) -> bool:
    return bool(
        user.is_active
        and (user.is_admin or user.has_role(Role.SUPERVISOR) or user.has_role(Role.LIAISON_OFFICER))
    )


def _province_office_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(select(Office.id).where(Office.province_id == user.office.province_id))
    )


def can_view_scope(user: User, scope: Scope | None) -> bool:
    if scope is None or not can_use_reports(user):
        return False
    if user.is_admin:
        return True
    if user.has_role(Role.SUPERVISOR):
        if scope.kind == "province":
            return scope.id == user.office.province_id
        if scope.kind == "office":
            return scope.id in _province_office_ids(user)
        if scope.kind == "partnership":
            return bool(set(scope.pair) & _province_office_ids(user))
    if user.has_role(Role.LIAISON_OFFICER):
        if scope.kind == "office":
            return scope.id == user.office_id
        if scope.kind == "partnership":
            return user.office_id in scope.pair
    return False


def scopes_for(user: User) -> list[Scope]:
    """The scopes a user may choose, in the order the form lists them."""
    if not can_use_reports(user):
        return []
    if user.is_admin:
        offices = db.session.scalars(select(Office).order_by(Office.code)).all()
        provinces = sorted({office.province_id for office in offices})
        partnerships = db.session.scalars(select(Partnership).order_by(Partnership.id)).all()
        return (
            [ALL]
            + [province_scope(area_id) for area_id in provinces]
            + [office_scope(office.id) for office in offices]
            + [partnership_scope(partnership) for partnership in partnerships]
        )
    chosen: list[Scope] = []
    if user.has_role(Role.SUPERVISOR):
        ids = sorted(_province_office_ids(user))
        chosen.append(province_scope(user.office.province_id))
        chosen += [office_scope(office_id) for office_id in ids]
    else:
        ids = [user.office_id]
        chosen.append(office_scope(user.office_id))
    partnerships = db.session.scalars(
        select(Partnership)
        .where(or_(Partnership.office_a_id.in_(ids), Partnership.office_b_id.in_(ids)))
        .order_by(Partnership.id)
    ).all()
    chosen += [partnership_scope(partnership) for partnership in partnerships]
    return [scope for scope in chosen if can_view_scope(user, scope)]


def can_view_report(user: User, report) -> bool:
    return can_view_scope(user, from_key(report.scope_key))
