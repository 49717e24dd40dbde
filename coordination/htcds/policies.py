"""Who may exchange HTCDS files.

- Exporting (de-identified): the case workers of an office (liaison officers, social
  workers, supervisors) for their office's cases; a supervisor for the cases of the offices of
  their province. Border guards and administrators do not (need to know).
- Exporting with identifiers (names, birth dates, addresses, identity numbers): liaison
  officers and supervisors only, and every such export is audited. Children's identifiers
  stay out unless the user also asks for them (same right, audited with the request).
- Importing a partner's file: liaison officers (who open cases), into their own office.
"""

from __future__ import annotations

from coordination.auth.models import Role, User

EXPORTERS = (Role.LIAISON_OFFICER, Role.SOCIAL_WORKER, Role.SUPERVISOR)
IDENTIFIER_EXPORTERS = (Role.LIAISON_OFFICER, Role.SUPERVISOR)


def can_export(user: User) -> bool:
    return user.is_active and any(user.has_role(role) for role in EXPORTERS)


def can_export_identifiers(user: User) -> bool:
    return user.is_active and any(user.has_role(role) for role in IDENTIFIER_EXPORTERS)


def can_import(user: User) -> bool:
    return user.is_active and user.has_role(Role.LIAISON_OFFICER)


def can_use_htcds(user: User) -> bool:
    """The menu entry."""
    return can_export(user) or can_import(user)


def exported_office_ids(user: User) -> list[int] | None:
    """The offices whose cases the user exports: their own, or a supervisor's province's
    (None: the province filter applies, see export.py)."""
    return None if user.has_role(Role.SUPERVISOR) else [user.office_id]
