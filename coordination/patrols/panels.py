"""The patrols' part of the dashboard: the patrols awaiting the office's answer, and the
next ones to go out, for those who arrange them."""

from __future__ import annotations

from flask import Flask

from coordination.core.panels import Panel, register_panel
from coordination.extensions import db
from coordination.patrols import policies, queries

SHOWN = 5


def dashboard_panel(office, user) -> Panel | None:
    if not policies.can_propose_patrols(user):
        return None
    awaiting = db.session.scalars(queries.listed(user, "awaiting").limit(SHOWN)).all()
    upcoming = [
        patrol
        for patrol in db.session.scalars(queries.listed(user, "upcoming").limit(SHOWN * 2))
        if patrol not in awaiting
    ][:SHOWN]
    if not awaiting and not upcoming:
        return None
    return Panel(
        "patrols/_dashboard.html",
        {"awaiting": awaiting, "upcoming": upcoming, "office_id": user.office_id},
        order=40,
    )


def register(app: Flask) -> None:
    register_panel("dashboard", dashboard_panel, app)
