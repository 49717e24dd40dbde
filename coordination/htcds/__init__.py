"""Cases and people exchanged in the UN/IOM Human Trafficking Case Data Standard (HTCDS 2.0):
export (CSV, JSON; de-identified by default) and import of a partner's file."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="htcds",
    blueprints=("coordination.htcds.views:bp",),
    api_blueprints=("coordination.htcds.api:blp",),
    navigation=(
        NavEntry(
            "htcds.index",
            L_("HTCDS exchange"),
            order=78,
            visible="coordination.htcds.policies:can_use_htcds",
        ),
    ),
    jobs=(
        Job(
            "htcds.remove_pending",
            "coordination.htcds.pending:remove_pending_files",
            "Delete the uploaded HTCDS files nobody imported or cancelled within the hour.",
            every_seconds=3600,
            grace_seconds=3600,
        ),
    ),
    setup="coordination.htcds.setup:init_app",
)
