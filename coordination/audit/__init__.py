"""A tamper-evident log of who did what to which record, when and from where."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="audit",
    blueprints=("coordination.audit.views:bp",),
    cli=("coordination.audit.cli:audit_cli",),
    navigation=(
        NavEntry(
            "audit.index",
            L_("Audit log"),
            order=81,
            visible="coordination.audit.policies:can_view_audit_log",
        ),
    ),
    setup="coordination.audit.setup:init_app",
)
