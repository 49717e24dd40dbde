"""What the handovers feature sets up in a new app: its panel on a request's page."""

from __future__ import annotations

from flask import Flask

from coordination.handovers import calendar
from coordination.handovers.panels import register


def init_app(app: Flask) -> None:
    register(app)
    calendar.register(app)  # its entries on the calendar (calendar.entries hook)
