"""Handovers of victims at the border gate, and their signed records."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="handovers",
    blueprints=("coordination.handovers.views:bp",),
    navigation=(NavEntry("handovers.index", L_("Handovers"), order=40),),
    jobs=(
        Job(
            "handovers.remind",
            "coordination.handovers.tasks:remind_handovers",
            "Remind the officers and guards who work a handover of it, the day before and "
            "two hours before (once each per scheduled time).",
            every_seconds=300,
            # A late run still reminds of what is to come (it looks at what is due now).
            grace_seconds=1800,
        ),
    ),
    setup="coordination.handovers.setup:init_app",
)
