"""How values read: one module for template filters and documents (PDFs) alike.

Dates and times in the reader's locale and time zone (Flask-Babel's selection, or the one a
document forces), names as written with their Latin form beside, countries by name.

Officers of three countries read one another's pages and papers, so every date reads the
same way in every language: a four-digit year and the month as a word ("4 thg 12, 2026",
"2026年12月4日"), never "4/12/26", which a Lao reader and an English one read differently;
times to the minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from flask_babel import get_locale, get_timezone

# CLDR's "medium" date has the full year and a month name in vi, lo, zh and en.
DATE_FORMAT = "medium"


def day_text(value: date, locale: Locale | str) -> str:
    """A date in ``locale``, four-digit year, month named (no request needed: documents)."""
    return format_date(value, DATE_FORMAT, locale=locale)


def moment_text(value: datetime, locale: Locale | str, zone: tzinfo) -> str:
    """A moment in ``locale`` and ``zone``, to the minute, the date as in day_text."""
    locale = Locale.parse(locale)
    if value.tzinfo is None:  # stored moments are UTC
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone)
    glue = str(locale.datetime_formats[DATE_FORMAT]).replace("'", "")  # "{1}, {0}", "{0} {1}"
    time = format_time(local, "short", tzinfo=zone, locale=locale)
    return glue.replace("{0}", time).replace("{1}", day_text(local.date(), locale))


def _reader_locale() -> Locale:
    return get_locale() or Locale.parse("vi")


def date_text(value: date | None, format: str = DATE_FORMAT) -> str:
    """A date in the reader's locale ("" when there is none). ``format`` is accepted for the
    templates' sake; every format reads as DATE_FORMAT (see the module's docstring)."""
    return day_text(value, _reader_locale()) if value else ""


def datetime_text(value: datetime | None, format: str = DATE_FORMAT) -> str:
    """A moment in the reader's locale and time zone ("" when there is none)."""
    return moment_text(value, _reader_locale(), get_timezone()) if value else ""


def country_name(code: str | None, locale: Locale | str | None = None) -> str:
    """An ISO 3166-1 code as the country's name in the reader's (or ``locale``'s) language:
    "LA" → "Lào", "ລາວ", "老挝", "Laos"; an unknown code stays as it is."""
    if not code:
        return ""
    try:
        locale = Locale.parse(locale) if locale else _reader_locale()
    except (UnknownLocaleError, ValueError, TypeError):
        locale = _reader_locale()
    return locale.territories.get(str(code).upper(), str(code))


def local_input(value: datetime | None) -> str:
    """A UTC datetime as a ``datetime-local`` input value in the reader's time zone."""
    return value.astimezone(get_timezone()).strftime("%Y-%m-%dT%H:%M") if value else ""


def plain_text(value) -> str | None:
    """A stored scalar as stripped text, or None (empty, or not a scalar: a shared copy from
    another system may hold anything)."""
    if value is None or isinstance(value, Mapping | list | tuple):
        return None
    text = str(value).strip()
    return text or None


def name_with_romanised(written, romanised) -> str | None:
    """ "ບຸນມີ ແກ້ວວົງສາ (Bounmy Keovongsa)": the name as written, its Latin form beside when
    it says something more; either alone when the other is missing."""
    written, romanised = plain_text(written), plain_text(romanised)
    if written and romanised and romanised.casefold() != written.casefold():
        return f"{written} ({romanised})"
    return written or romanised
