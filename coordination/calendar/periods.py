"""The days a calendar page shows: a month grid, a week, or the upcoming list."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

VIEWS = ("month", "week", "list")
LIST_DAYS = 30
# Pages open dates in these years (a month grid of year 9999 would run past the last date
# Python knows); the API clamps to what datetimes can hold instead.
FIRST_YEAR, LAST_YEAR = 1900, 2199


@dataclass(frozen=True)
class Period:
    view: str
    anchor: date  # the day asked for
    first: date  # first day shown
    last: date  # last day shown (inclusive)
    previous: date
    next: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The moments from the first day's midnight to the end of the last, in ``zone``."""
        start = datetime.combine(self.first, time.min, tzinfo=zone)
        return start, datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone)


def _week_start(day: date, first_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, 1)


def period(view: str, anchor: date, first_weekday: int = 0) -> Period:
    """``first_weekday``: 0 for Monday … 6 for Sunday (the locale's)."""
    if view == "month":
        month_first = anchor.replace(day=1)
        month_last = anchor.replace(day=stdlib_calendar.monthrange(anchor.year, anchor.month)[1])
        first = _week_start(month_first, first_weekday)
        last = _week_start(month_last, first_weekday) + timedelta(days=6)
        return Period(view, anchor, first, last, _add_months(anchor, -1), _add_months(anchor, 1))
    if view == "week":
        first = _week_start(anchor, first_weekday)
        return Period(
            view,
            anchor,
            first,
            first + timedelta(days=6),
            anchor - timedelta(days=7),
            anchor + timedelta(days=7),
        )
    return Period(
        "list",
        anchor,
        anchor,
        anchor + timedelta(days=LIST_DAYS - 1),
        anchor - timedelta(days=LIST_DAYS),
        anchor + timedelta(days=LIST_DAYS),
    )


def weeks(days: list[date]) -> list[list[date]]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]
