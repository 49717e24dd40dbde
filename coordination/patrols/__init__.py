"""Joint border patrols with partner units: proposal, confirmation, outcome reports."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="patrols",
    blueprints=("coordination.patrols.views:bp",),
    api_blueprints=("coordination.patrols.api:blp",),
    navigation=(
        NavEntry(
            "patrols.index",
            L_("Joint patrols"),
            order=42,
            visible="coordination.patrols.policies:can_use_patrols",
        ),
    ),
    jobs=(
        Job(
            "patrols.remind",
            "coordination.patrols.tasks:remind_patrols",
            "Remind both offices' border guards and liaison officers of a confirmed joint "
            "patrol the day before and two hours before it starts (once each).",
            every_seconds=300,
            grace_seconds=1800,
        ),
        Job(
            "patrols.unconfirmed",
            "coordination.patrols.tasks:tell_unconfirmed",
            "Tell the side that proposed a joint patrol when the other side has not confirmed "
            "it three days before it starts (once per start time).",
            every_seconds=900,
            grace_seconds=3600,
        ),
    ),
    setup="coordination.patrols.setup:init_app",
    demo="coordination.patrols.demo:add_demo_records",
)
