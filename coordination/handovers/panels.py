"""What the handovers feature shows on a request's page: scheduling the handover an agreed
proposal is about."""

from __future__ import annotations

from flask import Flask

from coordination.core.panels import Panel, register_panel
from coordination.handovers.policies import can_schedule_from


def schedule_panel(found, user) -> Panel | None:
    if not can_schedule_from(user, found):
        return None
    return Panel("handovers/_request_panel.html", {"req": found})


def register(app: Flask) -> None:
    register_panel("request.detail", schedule_panel, app)
