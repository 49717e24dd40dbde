"""What a notification that is not about a request says, told by the feature it is about.

A notification about something of a higher feature (a handover: subject_key "handover:42",
no request) cannot be read here without importing that feature. So the feature registers a
function under the hook ``notifications.describe`` (core.panels.register_hook, in its setup):

    describer(notification, user, zone) -> Description | None

called in the reader's language (the page's, or the e-mail's forced locale) with the
reader's time zone; it returns None for a notification that is not its own, or that this
user may no longer see (the list then shows the kind's label alone). What it returns may go
out by e-mail: it must name no victim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from coordination.core.panels import hooks
from coordination.notifications.models import NotificationKind

DESCRIBE_HOOK = "notifications.describe"
# Kinds of notice a higher feature sends (a meeting's reminder): its setup registers
# ``function() -> {kind value: lazy label}`` here, so that lists and e-mails can name them.
KINDS_HOOK = "notifications.kinds"


def kind_label(kind: str) -> str:
    """The readable name of a notification kind, built-in or a feature's."""
    if kind in NotificationKind._value2member_map_:
        return NotificationKind(kind).label
    for provide in hooks(KINDS_HOOK):
        label = provide().get(kind)
        if label is not None:
            return str(label)
    return kind


@dataclass(frozen=True)
class Description:
    title: str  # one line: the list's link text and the e-mail's subject
    lines: tuple[tuple[str, str], ...] = ()  # (label, value) rows of the e-mail
    endpoint: str | None = None  # where the notification leads
    values: Mapping[str, Any] = field(default_factory=dict)
    link_label: str = ""  # the e-mail's words before the link ("Open the handover:")


def describe(notification, user, zone: tzinfo) -> Description | None:
    """The first description a registered feature gives of ``notification``, or None."""
    if not notification.subject_key:
        return None
    for describer in hooks(DESCRIBE_HOOK):
        description = describer(notification, user, zone)
        if description is not None:
            return description
    return None
