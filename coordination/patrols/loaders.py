"""Loading a patrol for a user, for views and API alike: the patrol, or 404 (missing, or
not shared with the user's office)."""

from __future__ import annotations

from coordination.core.access import get_visible_or_404
from coordination.patrols import policies
from coordination.patrols.models import Patrol


def patrol_or_404(patrol_id: int, user) -> Patrol:
    return get_visible_or_404(Patrol, patrol_id, policies.can_view_patrol, user)
