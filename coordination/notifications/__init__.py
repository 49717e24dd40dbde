"""In-app notifications and the e-mails that carry them."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="notifications",
    blueprints=("coordination.notifications.views:bp",),
    cli=("coordination.notifications.cli:notifications_cli",),
    jobs=(
        Job(
            "notifications.send_email",
            "coordination.notifications.mail:send_email_job",
            "E-mail pending notifications (retried with back-off while the server is down).",
            every_seconds=60,
            grace_seconds=300,
        ),
    ),
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
