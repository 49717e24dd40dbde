"""The dashboard panel: the action items of the user (or, with none named, of the user's
office) not done yet, the overdue ones marked."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone

from coordination.core.panels import Panel
from coordination.meetings import queries


def action_items_panel(office, user) -> Panel | None:
    if office is None or not user.is_active or user.office_id != office.id:
        return None
    items = queries.open_action_items(office.id, user.id)
    if not items:
        return None
    today: date = datetime.now(ZoneInfo(str(get_timezone()))).date()
    return Panel(
        template="meetings/_action_items_panel.html",
        context={"items": items, "today": today, "overdue": queries.overdue(items, today)},
        order=60,
    )
