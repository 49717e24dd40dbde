"""The scheduler: one process (`flask scheduler run`) runs the jobs the features declare."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="scheduler",
    blueprints=("coordination.scheduler.views:bp",),
    cli=("coordination.scheduler.cli:scheduler_cli",),
    navigation=(
        NavEntry(
            "scheduler.index",
            L_("Scheduler"),
            order=82,
            visible="coordination.scheduler.policies:can_view_scheduler",
        ),
    ),
    setup="coordination.scheduler.setup:init_app",
)
