"""What the reminder settings form accepts."""

from __future__ import annotations

from coordination.core.validation import Int, Schema

# Two weeks: a longer lead time would remind of a deadline before the request is read.
MAX_LEAD_HOURS = 14 * 24
MAX_EVENT_DAYS = 14
MAX_EVENT_HOURS = 48


class ReminderSettingSchema(Schema):
    """An office's lead times: an empty field means the default; a field not sent leaves
    the stored value as it is (nothing is changed by omission)."""

    deadline_reminder_hours = Int(1, MAX_LEAD_HOURS)
    event_reminder_days = Int(1, MAX_EVENT_DAYS)
    event_reminder_hours = Int(1, MAX_EVENT_HOURS)
