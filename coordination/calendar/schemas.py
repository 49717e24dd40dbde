"""What the calendar's pages and API accept."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from coordination.calendar.periods import FIRST_YEAR, LAST_YEAR, VIEWS
from coordination.core.validation import Choice, Id, Schema
from coordination.i18n import _

MAX_API_DAYS = 366


def _page_year(day) -> None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


class PageArgs(Schema):
    """The page's query string: ?view=month|week|list&date=YYYY-MM-DD&office=<id>."""

    view = Choice(VIEWS, load_default=None)
    date = fields.Date(load_default=None, allow_none=True, validate=_page_year)
    office = Id(load_default=None)


class EntriesArgs(Schema):
    """The API's query string."""

    start = fields.Date(
        load_default=None,
        metadata={"description": "First day (in the user's time zone); today if not given"},
    )
    days = fields.Integer(
        load_default=31,
        validate=validate.Range(min=1, max=MAX_API_DAYS),
        metadata={"description": "How many days from the first"},
    )
    office_id = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={
            "description": "Only this office's entries (the user's own office; "
            "a supervisor: any office of the province)"
        },
    )
