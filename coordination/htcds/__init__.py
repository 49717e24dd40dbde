"""Cases and people exchanged in the UN/IOM Human Trafficking Case Data Standard (HTCDS 2.0):
export (CSV, JSON; de-identified by default) and import of a partner's file."""

from coordination.core.features import Feature, NavEntry
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
    setup="coordination.htcds.setup:init_app",
)
