"""What the reminder settings form accepts."""

from __future__ import annotations

from coordination.core.validation import Int, Schema

# Two weeks: a longer lead time would remind of a deadline before the request is read.
MAX_LEAD_HOURS = 14 * 24


class ReminderSettingSchema(Schema):
    """An office's lead time before a reply deadline, in hours; empty: the default."""

    deadline_reminder_hours = Int(1, MAX_LEAD_HOURS, load_default=None)
