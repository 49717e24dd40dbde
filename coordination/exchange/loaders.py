"""Loading a request for a user, for views and API alike: the request, or 404 (missing, or
not visible to ``user``)."""

from __future__ import annotations

from coordination.core.access import get_visible_or_404
from coordination.exchange import policies
from coordination.exchange.models import Request


def request_or_404(request_id: int, user) -> Request:
    return get_visible_or_404(Request, request_id, policies.can_view_request, user)
