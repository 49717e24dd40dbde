"""Loading a meeting (and its parts) for a user, for views and API alike: the record, or
404 (missing, or not shared with the user's office)."""

from __future__ import annotations

from datetime import datetime

from flask import abort

from coordination.core.access import get_visible_or_404
from coordination.meetings import policies
from coordination.meetings.models import ActionItem, Meeting, parse_slug


def meeting_or_404(meeting_id: int, user) -> Meeting:
    return get_visible_or_404(Meeting, meeting_id, policies.can_view_meeting, user)


def occurrence_key_or_404(meeting: Meeting, slug: str) -> datetime:
    key = parse_slug(slug)
    if key is None or key not in meeting.planned_starts():
        abort(404)
    return key


def action_item_or_404(item_id: int, user) -> ActionItem:
    return get_visible_or_404(ActionItem, item_id, policies.can_view_action_item, user)
