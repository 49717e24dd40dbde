"""Loading a handover for a user (views; the API when it comes): the handover, or 404."""

from __future__ import annotations

from coordination.core.access import get_visible_or_404
from coordination.handovers import policies
from coordination.handovers.models import Handover


def handover_or_404(handover_id: int, user) -> Handover:
    return get_visible_or_404(Handover, handover_id, policies.can_view_handover, user)
