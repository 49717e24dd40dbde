"""Reading cases and the register, scoped like the policies."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from coordination.audit.models import AuditEntry
from coordination.auth.models import Role, User
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.policies import CASE_WORKERS
from coordination.core.paging import scoped
from coordination.core.search import contains_key
from coordination.core.text import search_key
from coordination.directory.models import AdministrativeArea, Office
from coordination.extensions import db


def supervised_offices(user: User) -> list[int]:
    """The offices a supervisor oversees: every office of their province (their own too).

    A list of ids rather than ``office_id = own OR office_id IN (subquery)``: PostgreSQL
    serves ``IN (list)`` from the office indexes, while the OR made it filter every row of
    the table (a supervisor's inbox count took 3x longer).
    """
    province = select(Office.id).where(Office.province_id == user.office.province_id)
    return sorted({user.office_id, *db.session.scalars(province)})


def visible_cases(user: User) -> Select:
    """Cases ``user`` may see (mirrors policies.can_view_case)."""
    query = select(Case)
    if not user.is_active:
        return query.where(false())
    if user.has_role(Role.SUPERVISOR):  # their own office is one of them
        # One IN list; a page of it is read office by office (core.paging).
        return scoped(query, Case.office_id, supervised_offices(user))
    if any(user.has_role(role) for role in (*CASE_WORKERS, Role.BORDER_GUARD)):
        return query.where(Case.office_id == user.office_id)
    return query.where(false())


def search_cases(user: User, q: str | None = None, status: str | None = None) -> Select:
    query = visible_cases(user)
    if status:
        query = query.where(Case.status == status)
    key = search_key(q) if q else ""
    if key:
        people = select(Person.case_id).where(contains_key(Person, key))
        if any(character.isdigit() for character in q):
            # Only a query with digits can be (part of) a case number; names have none.
            query = query.where(
                or_(Case.number.contains(q.strip(), autoescape=True), Case.id.in_(people))
            )
        else:
            query = query.where(Case.id.in_(people))
    return query.order_by(Case.opened_on.desc(), Case.id.desc())


def visible_missing_reports(user: User) -> Select:
    """Reports of the user's country, for liaison officers and supervisors."""
    query = select(MissingPersonReport)
    if not (
        user.is_active and (user.has_role(Role.LIAISON_OFFICER) or user.has_role(Role.SUPERVISOR))
    ):
        return query.where(false())
    same_country = (
        select(Office.id)
        .join(AdministrativeArea, Office.area_id == AdministrativeArea.id)
        .where(AdministrativeArea.country_id == user.office.area.country_id)
    )
    return query.where(MissingPersonReport.office_id.in_(same_country))


def search_missing_reports(user: User, q: str | None = None, status: str | None = None) -> Select:
    query = visible_missing_reports(user)
    if status:
        query = query.where(MissingPersonReport.status == status)
    key = search_key(q) if q else ""
    if key:
        query = query.where(contains_key(MissingPersonReport, key))
    return query.order_by(MissingPersonReport.missing_since.desc(), MissingPersonReport.id.desc())


# Audit actions that changed a case's status, the automatic ones saying their cause.
STATUS_ACTIONS = ("case.handed_over",)


def automatic_status_changes(case: Case) -> list:
    """The case's status changes made by the journey (a completed handover…), oldest first:
    (when, status, actor name, handover id) read from the audit log, where each is kept."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.target_type == "cases",
            AuditEntry.target_id == case.id,
            AuditEntry.action.in_(STATUS_ACTIONS),
        )
        .order_by(AuditEntry.sequence)
        .limit(50)
    )
    return [
        {
            "at": entry.created_at,
            "status": (entry.details or {}).get("status"),
            "actor": entry.actor_name,
            "handover": (entry.details or {}).get("handover"),
            "number": (entry.details or {}).get("number"),
        }
        for entry in entries
    ]
