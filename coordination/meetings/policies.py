"""Who may see, plan and record liaison meetings.

A meeting is shared between its two offices only (the host and the partner), and the
supervisors of either office's province who oversee them. Nobody else learns that it exists
(404). The liaison officers of the host plan it and change its schedule (move, skip or
cancel an occurrence); the liaison officers of both sides keep its attendees, agenda and
minutes. An action item is moved on by its owner office's people (or either side's liaison
officers).
"""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.meetings.models import ActionItem, Meeting


def _liaison(user: User) -> bool:
    return user.is_active and user.has_role(Role.LIAISON_OFFICER)


def _oversees(user: User, meeting: Meeting) -> bool:
    return user.has_role(Role.SUPERVISOR) and user.office.province_id in {
        meeting.host_office.province_id,
        meeting.partner_office.province_id,
    }


def can_use_meetings(user: User) -> bool:
    """The menu entry: liaison officers and the supervisors who watch them."""
    return user.is_active and (_liaison(user) or user.has_role(Role.SUPERVISOR))


def can_plan_meetings(user: User) -> bool:
    return _liaison(user)


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    if not user.is_active:
        return False
    return user.office_id in meeting.office_ids or _oversees(user, meeting)


def can_schedule(user: User, meeting: Meeting) -> bool:
    """Change the series' times: move, skip or cancel (the host's liaison officers)."""
    return _liaison(user) and user.office_id == meeting.host_office_id and not meeting.cancelled


def can_prepare(user: User, meeting: Meeting) -> bool:
    """Attendees and agenda: either side's liaison officers."""
    return _liaison(user) and user.office_id in meeting.office_ids and not meeting.cancelled


def can_record_minutes(user: User, meeting: Meeting) -> bool:
    """Write, sign (issue) and correct the minutes: either side's liaison officers."""
    return _liaison(user) and user.office_id in meeting.office_ids


def can_view_minutes(user: User, meeting: Meeting) -> bool:
    return can_view_meeting(user, meeting)


def can_view_action_item(user: User, item: ActionItem) -> bool:
    return can_view_meeting(user, item.minutes.meeting)


def can_update_action_item(user: User, item: ActionItem) -> bool:
    """Move an action item on: its owner office's active users, or either side's liaison
    officers."""
    if not user.is_active:
        return False
    meeting = item.minutes.meeting
    if user.office_id == item.owner_office_id:
        return True
    return _liaison(user) and user.office_id in meeting.office_ids
