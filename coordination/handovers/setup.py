"""What the handovers feature sets up in a new app: its panel on a request's page."""

from __future__ import annotations

from flask import Flask

from coordination.audit.actions import RECORD_ACCESS, record_access
from coordination.core.panels import register_hook
from coordination.handovers import calendar
from coordination.handovers.models import Handover
from coordination.handovers.panels import register
from coordination.handovers.policies import can_view_handover
from coordination.handovers.tasks import describe_notice
from coordination.notifications.describe import DESCRIBE_HOOK


def init_app(app: Flask) -> None:
    register(app)
    calendar.register(app)  # its entries on the calendar (calendar.entries hook)
    register_hook(DESCRIBE_HOOK, describe_notice, app)  # what its reminders say
    register_hook(RECORD_ACCESS, record_access("handovers", Handover, can_view_handover), app)
