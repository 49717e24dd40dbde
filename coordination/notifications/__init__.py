"""In-app notifications and the e-mails that carry them."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="notifications",
    blueprints=("coordination.notifications.views:bp",),
    cli=("coordination.notifications.cli:notifications_cli",),
    navigation=(
        NavEntry(
            "notifications.index",
            L_("Notifications"),
            order=50,
            badge="coordination.notifications.operations:unread_count",
            css_class="notify",
        ),
    ),
)
