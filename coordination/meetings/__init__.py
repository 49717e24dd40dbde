"""Liaison meetings with partner offices: recurrence, agenda, minutes, action items."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="meetings",
    blueprints=("coordination.meetings.views:bp",),
    api_blueprints=("coordination.meetings.api:blp",),
    navigation=(
        NavEntry(
            "meetings.index",
            L_("Liaison meetings"),
            order=44,
            visible="coordination.meetings.policies:can_use_meetings",
        ),
    ),
    jobs=(
        Job(
            "meetings.remind",
            "coordination.meetings.tasks:remind_meetings",
            "Remind both offices' liaison officers and the attendees of a liaison meeting "
            "MEETING_REMINDER_DAYS (3) days and MEETING_REMINDER_HOURS (2) hours before it "
            "(once each).",
            every_seconds=600,
            grace_seconds=3600,
        ),
        Job(
            "meetings.action_items_due",
            "coordination.meetings.tasks:remind_action_items",
            "Tell the owner of an action item of a liaison meeting the day before it is due "
            "(once per due date).",
            every_seconds=3600,
            grace_seconds=6 * 3600,
        ),
    ),
    setup="coordination.meetings.setup:init_app",
    demo="coordination.meetings.demo:add_demo_records",
)
