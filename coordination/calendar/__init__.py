"""The calendar: what is scheduled, per user and per office, on a page, as JSON and as a
private iCalendar feed. Higher features put their entries on it through the
``calendar.entries`` hook (see entries.py); the calendar imports none of them."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="calendar",
    blueprints=("coordination.calendar.views:bp",),
    api_blueprints=("coordination.calendar.api:blp",),
    navigation=(
        NavEntry(
            "calendar.index",
            L_("Calendar"),
            order=45,
            visible="coordination.calendar.policies:can_use_calendar",
        ),
    ),
)
