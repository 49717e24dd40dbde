"""Report periods: a quarter, a half-year, a year, or any range of days (at most five years).

A period is a closed range of calendar days [start, end]. Timestamps are compared with its
bounds at midnight in REPORT_TIMEZONE (Vietnam and Laos keep UTC+7; the steering committees
count their days there), i.e. [start 00:00, end + 1 day 00:00) in that zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coordination.core.formatting import date_text
from coordination.i18n import _

REPORT_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
KINDS = ("quarter", "half", "year", "range")
MAX_RANGE_DAYS = 5 * 366
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(ValueError):
    """A period that cannot be: the message is translated, for the user."""


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    # --- made from a kind and a number ------------------------------------------------------
    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        first = date(year, 3 * (number - 1) + 1, 1)
        return cls("quarter", first, _month_end(year, 3 * number))

    @classmethod
    def half(cls, year: int, number: int) -> Period:
        first = date(year, 6 * (number - 1) + 1, 1)
        return cls("half", first, _month_end(year, 6 * number))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        if end < start:
            raise PeriodError(_("The period ends before it starts."))
        if (end - start).days >= MAX_RANGE_DAYS:
            raise PeriodError(_("A period may be at most five years long."))
        return cls("range", start, end)

    # --- neighbours -------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        if self.kind == "quarter":
            number = (self.start.month - 1) // 3 + 1
            return Period.quarter(self.start.year - (number == 1), 4 if number == 1 else number - 1)
        if self.kind == "half":
            number = 1 if self.start.month == 1 else 2
            return Period.half(self.start.year - (number == 1), 2 if number == 1 else 1)
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period("range", end - timedelta(days=self.days - 1), end)

    def same_last_year(self) -> Period:
        if self.kind in ("quarter", "half", "year"):
            return Period(self.kind, _add_years(self.start, -1), _add_years(self.end, -1))
        return Period("range", _add_years(self.start, -1), _add_years(self.end, -1))

    # --- bounds as timestamps (UTC) ---------------------------------------------------------
    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), REPORT_TIMEZONE).astimezone(UTC)

    @property
    def ends_before(self) -> datetime:
        following = self.end + timedelta(days=1)
        return datetime.combine(following, time(), REPORT_TIMEZONE).astimezone(UTC)

    # --- naming -----------------------------------------------------------------------------
    @property
    def key(self) -> str:
        """A stable text key: 2026-Q3, 2026-H1, 2026, 2026-01-05..2026-02-01."""
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The period a key names; PeriodError if it names none."""
        key = (key or "").strip()
        try:
            if ".." in key:
                first, last = key.split("..", 1)
                return cls.range(date.fromisoformat(first), date.fromisoformat(last))
            if "-Q" in key:
                year, number = key.split("-Q", 1)
                if int(number) in (1, 2, 3, 4):
                    return cls.quarter(_year(year), int(number))
            elif "-H" in key:
                year, number = key.split("-H", 1)
                if int(number) in (1, 2):
                    return cls.half(_year(year), int(number))
            elif key.isdigit():
                return cls.year(_year(key))
        except (ValueError, OverflowError) as error:
            if isinstance(error, PeriodError):
                raise
        raise PeriodError(_("This is not a period a report can cover."))

    @property
    def label(self) -> str:
        """The period in the user's language."""
        if self.kind == "quarter":
            return _(
                "Quarter %(number)s/%(year)s",
                number=(self.start.month - 1) // 3 + 1,
                year=self.start.year,
            )
        if self.kind == "half":
            return _(
                "Half-year %(number)s/%(year)s",
                number=1 if self.start.month == 1 else 2,
                year=self.start.year,
            )
        if self.kind == "year":
            return _("Year %(year)s", year=self.start.year)
        return _("%(start)s to %(end)s", start=date_text(self.start), end=date_text(self.end))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("Choose a year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    return year


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    return following - timedelta(days=1)


def containing(day: date, kind: str) -> Period:
    if kind == "quarter":
        return Period.quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "half":
        return Period.half(day.year, 1 if day.month <= 6 else 2)
    return Period.year(day.year)


def from_args(args) -> Period:
    """The period chosen in a form or query: period=<key>, or start= and end= (a range).
    Raises PeriodError with a translated message."""
    start, end = (args.get("start") or "").strip(), (args.get("end") or "").strip()
    if start or end:
        try:
            first, last = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
        except ValueError:
            raise PeriodError(_("Give the first and last day as dates.")) from None
        if not (FIRST_YEAR <= first.year <= LAST_YEAR and FIRST_YEAR <= last.year <= LAST_YEAR):
            raise PeriodError(
                _("Choose a year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
            )
        return Period.range(first, last)
    key = (args.get("period") or "").strip()
    if len(key) > 40:
        raise PeriodError(_("This is not a period a report can cover."))
    return Period.from_key(key)
