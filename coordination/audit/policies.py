"""Who may read the audit log, and which part of it."""

from __future__ import annotations

from sqlalchemy import false, select

from coordination.audit.models import AuditEntry
from coordination.auth.models import Role, User
from coordination.directory.models import Office
from coordination.extensions import db


def can_view_audit_log(actor: User) -> bool:
    return actor.is_active and (actor.is_admin or actor.has_role(Role.SUPERVISOR))


def can_verify_audit_log(actor: User) -> bool:
    """Re-checking the whole chain is heavy: administrators only."""
    return actor.is_active and actor.is_admin


def can_view_entry(actor: User, entry: AuditEntry) -> bool:
    if not can_view_audit_log(actor):
        return False
    if actor.is_admin:
        return True
    office = db.session.get(Office, entry.subject_office_id) if entry.subject_office_id else None
    return office is not None and office.province_id == actor.office.province_id


def visible_entries(actor: User):
    """A query of the entries ``actor`` may read: all for admins; for a supervisor, those about
    an office of their province (whoever acted: an administrator elsewhere, too)."""
    query = select(AuditEntry)
    if actor.is_admin:
        return query
    if not can_view_audit_log(actor):
        return query.where(false())
    province_offices = select(Office.id).where(Office.province_id == actor.office.province_id)
    return query.where(AuditEntry.subject_office_id.in_(province_offices))
