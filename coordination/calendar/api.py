"""API: the calendar's entries in a range of days (the user's own, or an office's)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from marshmallow import fields

from coordination.calendar import policies
from coordination.calendar.entries import entries_for
from coordination.calendar.schemas import EntriesArgs
from coordination.core.access import require
from coordination.core.api import api_blueprint, api_user, query_args
from coordination.core.validation import Schema
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import TIMEZONES

blp = api_blueprint("api_calendar", __name__, "/calendar", "The calendar: what is scheduled.")

# The first and last days whose midnight, in any of the supported zones, a datetime holds.
FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)


class EntryOut(Schema):
    uid = fields.String(metadata={"description": "Stable identifier (the feed's UID)"})
    sequence = fields.Integer(metadata={"description": "Rises with each change"})
    title = fields.String()
    start = fields.DateTime()
    end = fields.DateTime()
    status = fields.String(metadata={"description": "confirmed, tentative or cancelled"})
    url = fields.String(metadata={"description": "The record's page on this site"})
    kind = fields.String()
    office_ids = fields.List(fields.Integer())
    location = fields.String(allow_none=True)


@blp.route("/entries")
@blp.arguments(query_args(EntriesArgs), location="query", as_kwargs=True)
@blp.response(200, EntryOut(many=True))
def list_entries(start=None, days=31, office_id=None):
    """Entries from ``start`` (00:00 in the user's time zone) for ``days`` days, by time."""
    user = api_user()
    require(policies.can_use_calendar(user))
    office = None
    if office_id is not None:
        office = db.session.get(Office, office_id)
        require(office is not None and policies.can_view_office_calendar(user, office))
    zone = ZoneInfo(user.timezone if user.timezone in TIMEZONES else "Asia/Ho_Chi_Minh")
    first = min(max(start or datetime.now(zone).date(), FIRST_DAY), LAST_DAY)
    last = first + timedelta(days=days) if (LAST_DAY - first).days > days else LAST_DAY
    return entries_for(
        user,
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last, time.min, tzinfo=zone),
        office.id if office else None,
    )
