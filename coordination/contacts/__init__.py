"""Hotline calls, letters and diplomatic notes: contacts outside the app, logged in it."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="contacts",
    blueprints=("coordination.contacts.views:bp",),
    api_blueprints=("coordination.contacts.api:blp",),
    navigation=(
        NavEntry(
            "contacts.index",
            L_("Calls and letters"),
            order=15,
            visible="coordination.contacts.policies:can_open_log",
        ),
    ),
    jobs=(
        Job(
            "contacts.remind_follow_ups",
            "coordination.contacts.tasks:remind_follow_ups",
            "Remind the officers of answers promised in calls and letters: the day before they "
            "are due, and once overdue (once each per due date).",
            every_seconds=300,
            grace_seconds=3600,
        ),
    ),
    setup="coordination.contacts.setup:init_app",
    demo="coordination.contacts.demo:add_demo_records",
)
