"""Who may see and change the directory. Views and the API ask only these functions.

Reference data (countries, areas, gates, the list of offices) is shared by every signed-in
user: it is what officers need to address each other. Who works where, and which offices
are partners with which agreements, is for the offices concerned.
"""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.directory.models import Office, Partnership


def can_view_directory(actor: User) -> bool:
    return actor.is_active


def can_manage_directory(actor: User) -> bool:
    """Create and edit offices, border gates, areas and partnerships."""
    return actor.is_active and actor.is_admin


def _oversees(actor: User, office: Office) -> bool:
    return actor.has_role(Role.SUPERVISOR) and actor.office.province_id == office.province_id


def can_view_office_members(actor: User, office: Office) -> bool:
    if not actor.is_active:
        return False
    return actor.is_admin or actor.office_id == office.id or _oversees(actor, office)


def can_view_partnership(actor: User, partnership: Partnership) -> bool:
    if not actor.is_active:
        return False
    if actor.is_admin or actor.office_id in partnership.office_ids:
        return True
    return _oversees(actor, partnership.office_a) or _oversees(actor, partnership.office_b)


def can_edit_partnership(actor: User, partnership: Partnership) -> bool:
    return can_manage_directory(actor)
