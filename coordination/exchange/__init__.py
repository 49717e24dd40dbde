"""Requests between partner offices: reference numbers, deadlines, threads of messages."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="exchange",
    blueprints=("coordination.exchange.views:bp",),
    api_blueprints=("coordination.exchange.api:blp",),
    navigation=(NavEntry("exchange.inbox", L_("Requests"), order=10),),
    jobs=(
        Job(
            "exchange.remind_deadlines",
            "coordination.exchange.tasks:remind_deadlines",
            "Notify offices of requests whose reply deadline is near (once per deadline).",
            every_seconds=300,
            grace_seconds=3600,
        ),
        Job(
            "exchange.remind_overdue",
            "coordination.exchange.tasks:remind_overdue",
            "Notify offices of overdue requests; escalate to their supervisors, and again "
            "every ESCALATION_REPEAT_DAYS days.",
            every_seconds=300,
            grace_seconds=3600,
        ),
    ),
    search_tables={"requests": "requests_search"},
    hand_written_indexes=frozenset(
        {"ix_requests_recipient_worklist", "ix_requests_sender_worklist"}
    ),
    setup="coordination.exchange.setup:init_app",
)
